package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.LambdaVersionsIT.invoke;
import static io.stratus.e2e.lambda.LambdaVersionsIT.returning;
import static io.stratus.e2e.lambda.LambdaVersionsIT.zipOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Versions, aliases, reserved concurrency, tags, policies and event invoke configs survive a
 * restart, and each version keeps its own code files until it is deleted.
 */
class LambdaVersionsRestartIT {

    private static final String CODE_DIR = "lambda/code/000000000000/us-east-1/";

    private static String hex(String base64Sha256) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64Sha256)) + ".zip";
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void everythingAroundAFunctionSurvivesRestart(@TempDir Path dir) throws Exception {
        try (Stratus stratus = Stratus.start(StratusConfig.Storage.ROCKSDB, dir)) {
            LambdaClient lambda = stratus.client(LambdaClient.class);
            lambda.createFunction(FunctionZips.request("kept", Runtime.NODEJS20_X, "index.handler", returning("one"))
                    .publish(true).tags(Map.of("team", "core")).build());
            FunctionStates.awaitUpdated(lambda, "kept");
            lambda.updateFunctionCode(r -> r.functionName("kept").zipFile(zipOf("two")).publish(true));
            FunctionStates.awaitUpdated(lambda, "kept");
            lambda.updateFunctionCode(r -> r.functionName("kept").zipFile(zipOf("three")));
            FunctionStates.awaitUpdated(lambda, "kept");
            var alias = lambda.createAlias(r -> r.functionName("kept").name("live").functionVersion("1")
                    .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 1.0))));
            lambda.putFunctionConcurrency(r -> r.functionName("kept").reservedConcurrentExecutions(7));
            lambda.addPermission(r -> r.functionName("kept").statementId("sns").action("lambda:InvokeFunction").principal("sns.amazonaws.com"));
            lambda.putFunctionEventInvokeConfig(r -> r.functionName("kept").qualifier("live").maximumRetryAttempts(1));
            assertThat(invoke(lambda, "kept", "1", "1")).contains("\"value\":\"one\"");

            stratus.restart();

            assertThat(lambda.listVersionsByFunction(r -> r.functionName("kept")).versions()).extracting(FunctionConfiguration::version)
                    .containsExactly("$LATEST", "1", "2");
            assertThat(invoke(lambda, "kept", "1", "1")).contains("\"value\":\"one\"");
            assertThat(invoke(lambda, "kept:live", null, "2")).contains("\"value\":\"two\"");
            assertThat(invoke(lambda, "kept", null, "$LATEST")).contains("\"value\":\"three\"");
            assertThat(lambda.getAlias(r -> r.functionName("kept").name("live")).revisionId()).isEqualTo(alias.revisionId());
            assertThat(lambda.getFunctionConcurrency(r -> r.functionName("kept")).reservedConcurrentExecutions()).isEqualTo(7);
            assertThat(lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions()).isEqualTo(993);
            assertThat(lambda.getFunction(r -> r.functionName("kept")).tags()).isEqualTo(Map.of("team", "core"));
            assertThat(lambda.getPolicy(r -> r.functionName("kept")).policy()).contains("\"Sid\":\"sns\"");
            assertThat(lambda.getFunctionEventInvokeConfig(r -> r.functionName("kept:live")).maximumRetryAttempts()).isEqualTo(1);
            // The version counter survives too: publishing the changed $LATEST makes version 3.
            assertThat(lambda.publishVersion(r -> r.functionName("kept")).version()).isEqualTo("3");
        }
    }

    @Test
    void versionsKeepTheirCodeFilesUntilDeleted(@TempDir Path dir) throws Exception {
        try (Stratus stratus = Stratus.start(StratusConfig.Storage.ROCKSDB, dir)) {
            LambdaClient lambda = stratus.client(LambdaClient.class);
            String a = lambda.createFunction(FunctionZips.request("files", Runtime.NODEJS20_X, "index.handler", returning("a")).publish(true).build())
                    .codeSha256();
            FunctionStates.awaitUpdated(lambda, "files");
            String b = lambda.updateFunctionCode(r -> r.functionName("files").zipFile(zipOf("b")).publish(true)).codeSha256();
            FunctionStates.awaitUpdated(lambda, "files");
            String c = lambda.updateFunctionCode(r -> r.functionName("files").zipFile(zipOf("c"))).codeSha256();
            FunctionStates.awaitUpdated(lambda, "files");
            Path code = dir.resolve(CODE_DIR + "files");
            assertThat(files(code)).containsExactlyInAnyOrder(hex(a), hex(b), hex(c));

            lambda.deleteFunction(r -> r.functionName("files").qualifier("1"));
            assertThat(files(code)).containsExactlyInAnyOrder(hex(b), hex(c));
            // Version 3 shares $LATEST's code: deleting it keeps the file $LATEST needs.
            lambda.publishVersion(r -> r.functionName("files"));
            lambda.deleteFunction(r -> r.functionName("files").qualifier("3"));
            assertThat(files(code)).containsExactlyInAnyOrder(hex(b), hex(c));
            assertThat(invoke(lambda, "files", null, "$LATEST")).contains("\"value\":\"c\"");
            assertThat(invoke(lambda, "files", "2", "2")).contains("\"value\":\"b\"");

            lambda.deleteFunction(r -> r.functionName("files"));
            assertThat(Files.exists(code) ? files(code) : List.of()).isEmpty();
        }
    }
}
