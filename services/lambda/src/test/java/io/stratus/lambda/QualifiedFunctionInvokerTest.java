package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.core.spi.Queues;
import io.stratus.storage.MemoryStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * {@link FunctionInvoker#invoke} as other services call it, with qualified names: {@code name:version},
 * {@code name:alias}, and qualified ARNs. A real {@link LambdaService} on an in-memory store, running
 * Node.js functions.
 */
class QualifiedFunctionInvokerTest {

    private static final String ACCOUNT = "000000000000";
    private static final String REGION = "us-east-1";
    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";

    private static boolean hasNode() {
        try {
            return FunctionRuntime.NODEJS20.interpreter().isPresent();
        } catch (AwsException e) {
            return false;
        }
    }

    private static byte[] zip(String value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("index.js"));
            zip.write(("exports.handler = async () => '" + value + "';").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static String run(FunctionInvoker invoker, String function) {
        FunctionInvoker.Result result = invoker.invoke(ACCOUNT, REGION, function, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(result.failed()).isFalse();
        return new String(result.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void invokesVersionsAndAliasesByQualifiedNameOrArn() throws IOException {
        assumeTrue(hasNode());
        RequestContext context = new RequestContext("r", ACCOUNT, REGION, ACCOUNT, Principal.root(ACCOUNT), Instant.now());
        try (LambdaService lambda = new LambdaService(new MemoryStore(), Clock.systemUTC(), LambdaSettings.temporary(URI.create("http://127.0.0.1:1")),
                new NoQueues(), new InMemoryChangeFeed(), new RecordingTargets(), io.stratus.core.spi.Logs.NONE, (a, b, k, v) -> { throw new IllegalStateException("no S3 here"); })) {
            lambda.start();
            lambda.createFunction(context, new LambdaModel.CreateFunctionRequest("fn", "nodejs20.x", "arn:aws:iam::000000000000:role/r",
                    "index.handler", new LambdaModel.FunctionCode(zip("one"), null, null, null, null), null, null, null, true, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null));
            Ready.await(lambda, context, "fn");
            lambda.updateFunctionCode(context, new LambdaModel.UpdateFunctionCodeRequest("fn", zip("two"), null, null, null, null, null, null, null, null));
            Ready.await(lambda, context, "fn");
            lambda.definition().operation("CreateAlias").orElseThrow().invoke(context, new ControlModel.CreateAliasRequest("fn", "live", "1", null, null));

            assertThat(run(lambda.functions(), "fn")).isEqualTo("\"two\"");
            assertThat(run(lambda.functions(), "fn:$LATEST")).isEqualTo("\"two\"");
            assertThat(run(lambda.functions(), "fn:1")).isEqualTo("\"one\"");
            assertThat(run(lambda.functions(), "fn:live")).isEqualTo("\"one\"");
            assertThat(run(lambda.functions(), ARN + "fn:1")).isEqualTo("\"one\"");
            assertThat(run(lambda.functions(), ARN + "fn:live")).isEqualTo("\"one\"");
            assertThat(run(lambda.functions(), ACCOUNT + ":function:fn:live")).isEqualTo("\"one\"");
            assertThatThrownBy(() -> run(lambda.functions(), "fn:7")).isInstanceOfSatisfying(AwsException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(LambdaErrors.RESOURCE_NOT_FOUND);
                assertThat(e.getMessage()).isEqualTo("Function not found: " + ARN + "fn:7");
            });
            assertThatThrownBy(() -> run(lambda.functions(), "fn:nope")).isInstanceOfSatisfying(AwsException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(LambdaErrors.RESOURCE_NOT_FOUND));
        }
    }
}
