package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static io.stratus.e2e.lambda.FunctionZips.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.StateReasonCode;

/** State and LastUpdateStatus as AWS reports them, with the SDK's own waiters, and across a restart. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class LambdaStatesIT {

    private static final String HANDLER = "exports.handler = async () => '%s';";

    @Test
    void createIsPendingThenActiveAndUpdatesAreInProgressThenSuccessful(LambdaClient lambda) {
        var created = lambda.createFunction(request("stateful", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", HANDLER.formatted("one"))).build());

        assertThat(created.state()).isEqualTo(State.PENDING);
        assertThat(created.stateReason()).isEqualTo("The function is being created.");
        assertThat(created.stateReasonCode()).isEqualTo(StateReasonCode.CREATING);
        assertThat(created.lastUpdateStatus()).isNull();

        var active = lambda.waiter().waitUntilFunctionActiveV2(r -> r.functionName("stateful")).matched().response().orElseThrow();
        assertThat(active.configuration().state()).isEqualTo(State.ACTIVE);
        assertThat(active.configuration().stateReason()).isNull();
        assertThat(active.configuration().lastUpdateStatus()).isEqualTo(LastUpdateStatus.SUCCESSFUL);
        assertThat(lambda.invoke(r -> r.functionName("stateful")).payload().asUtf8String()).isEqualTo("\"one\"");

        var updated = lambda.updateFunctionCode(r -> r.functionName("stateful").zipFile(SdkBytes.fromByteArray(zip(Map.of("index.js", HANDLER.formatted("two"))))));
        assertThat(updated.state()).isEqualTo(State.ACTIVE);
        assertThat(updated.lastUpdateStatus()).isEqualTo(LastUpdateStatus.IN_PROGRESS);
        assertThat(updated.lastUpdateStatusReason()).isEqualTo("The function is being created.");
        assertThat(updated.lastUpdateStatusReasonCodeAsString()).as("AWS sends a code its model lacks").isEqualTo("Creating");
        var done = lambda.waiter().waitUntilFunctionUpdatedV2(r -> r.functionName("stateful")).matched().response().orElseThrow();
        assertThat(done.configuration().lastUpdateStatus()).isEqualTo(LastUpdateStatus.SUCCESSFUL);
        assertThat(done.configuration().lastUpdateStatusReason()).isNull();
        assertThat(lambda.invoke(r -> r.functionName("stateful")).payload().asUtf8String()).isEqualTo("\"two\"");

        var configured = lambda.updateFunctionConfiguration(r -> r.functionName("stateful").timeout(7));
        assertThat(configured.lastUpdateStatus()).isEqualTo(LastUpdateStatus.IN_PROGRESS);
        lambda.waiter().waitUntilFunctionUpdatedV2(r -> r.functionName("stateful"));
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("stateful")).timeout()).isEqualTo(7);

        // Published versions are snapshots of a settled $LATEST.
        var version = lambda.publishVersion(r -> r.functionName("stateful"));
        assertThat(version.state()).isEqualTo(State.ACTIVE);
        assertThat(version.lastUpdateStatus()).isEqualTo(LastUpdateStatus.SUCCESSFUL);
    }

    @Test
    void pendingAndInProgressFunctionsRefuseWhatAwsRefuses(LambdaClient lambda) {
        // 100 MB of zeros zip small but take a moment to extract: long enough for the next call to find the function preparing.
        lambda.createFunction(r -> r.functionName("slow").runtime(Runtime.NODEJS20_X).handler("index.handler").role(FunctionZips.ROLE)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(bigZip("one", "a.bin")))));
        assertConflict(() -> lambda.invoke(r -> r.functionName("slow")),
                "The operation cannot be performed at this time. The function is currently in the following state: Pending");
        assertConflict(() -> lambda.updateFunctionConfiguration(r -> r.functionName("slow").timeout(5)),
                "The operation cannot be performed at this time. The function is currently in the following state: Pending");
        assertConflict(() -> lambda.publishVersion(r -> r.functionName("slow")),
                "The operation cannot be performed at this time. The function is currently in the following state: Pending");
        FunctionStates.awaitActive(lambda, "slow");

        lambda.updateFunctionCode(r -> r.functionName("slow").zipFile(SdkBytes.fromByteArray(bigZip("two", "b.bin"))));
        String inProgress = "The operation cannot be performed at this time. An update is in progress for resource: "
                + "arn:aws:lambda:us-east-1:000000000000:function:slow";
        assertConflict(() -> lambda.updateFunctionConfiguration(r -> r.functionName("slow").timeout(5)), inProgress);
        assertConflict(() -> lambda.updateFunctionCode(r -> r.functionName("slow").zipFile(SdkBytes.fromByteArray(zip(Map.of("index.js", "x"))))),
                inProgress);
        assertConflict(() -> lambda.publishVersion(r -> r.functionName("slow")), inProgress);
        // Invocations go on meanwhile, on the previous code until the update ends.
        assertThat(lambda.invoke(r -> r.functionName("slow")).statusCode()).isEqualTo(200);
        FunctionStates.awaitUpdated(lambda, "slow");
        assertThat(lambda.invoke(r -> r.functionName("slow")).payload().asUtf8String()).isEqualTo("\"two\"");
    }

    @Test
    void invocationsDuringACodeUpdateRunThePreviousCodeUntilItIsSuccessful(LambdaClient lambda) {
        lambda.createFunction(request("rolling", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", HANDLER.formatted("old"))).build());
        FunctionStates.awaitActive(lambda, "rolling");
        assertThat(invoke(lambda, "rolling")).isEqualTo("\"old\"");

        // The new code's 100 MB take a moment to extract: the update stays InProgress meanwhile.
        lambda.updateFunctionCode(r -> r.functionName("rolling").zipFile(SdkBytes.fromByteArray(bigZip("new", "d.bin"))));
        assertThat(answersWhileInProgress(lambda, "rolling")).as("answers while the update was InProgress").isNotEmpty().containsOnly("\"old\"");

        FunctionStates.awaitUpdated(lambda, "rolling");
        assertThat(invoke(lambda, "rolling")).isEqualTo("\"new\"");
        assertThat(invoke(lambda, "rolling:$LATEST")).isEqualTo("\"new\"");
    }

    @Test
    void invocationsDuringAConfigurationUpdateRunThePreviousConfigurationUntilItIsSuccessful(LambdaClient lambda) {
        lambda.createFunction(request("reconfigured", Runtime.NODEJS20_X, "index.handler",
                Map.of("index.js", "exports.handler = async () => process.env.ANSWER + ' ' + require('fs').existsSync(process.env.STRATUS_OPT_DIR + '/e.bin');"))
                .environment(e -> e.variables(Map.of("ANSWER", "before"))).build());
        FunctionStates.awaitActive(lambda, "reconfigured");
        assertThat(invoke(lambda, "reconfigured")).isEqualTo("\"before false\"");
        // A layer of 100 MB takes a moment to extract into the function's /opt: the update stays InProgress meanwhile.
        String layer = lambda.publishLayerVersion(r -> r.layerName("heavy").content(c -> c.zipFile(SdkBytes.fromByteArray(bigZip("layer", "e.bin")))))
                .layerVersionArn();

        var updating = lambda.updateFunctionConfiguration(r -> r.functionName("reconfigured").layers(layer)
                .environment(e -> e.variables(Map.of("ANSWER", "after"))));
        assertThat(updating.lastUpdateStatus()).isEqualTo(LastUpdateStatus.IN_PROGRESS);
        assertThat(updating.environment().variables()).as("the configuration reports the update at once").containsEntry("ANSWER", "after");
        assertThat(answersWhileInProgress(lambda, "reconfigured")).as("answers while the update was InProgress").isNotEmpty()
                .containsOnly("\"before false\"");

        FunctionStates.awaitUpdated(lambda, "reconfigured");
        assertThat(invoke(lambda, "reconfigured")).isEqualTo("\"after true\"");
    }

    /**
     * Invokes the function until its update is no longer {@code InProgress}, and returns the answers
     * of the invocations that ended while it still was (so they surely ran during the update).
     */
    private static java.util.List<String> answersWhileInProgress(LambdaClient lambda, String name) {
        java.util.List<String> answers = new java.util.ArrayList<>();
        while (true) {
            String answer = invoke(lambda, name);
            if (lambda.getFunctionConfiguration(r -> r.functionName(name)).lastUpdateStatus() != LastUpdateStatus.IN_PROGRESS) {
                return answers;
            }
            answers.add(answer);
        }
    }

    private static String invoke(LambdaClient lambda, String name) {
        var response = lambda.invoke(r -> r.functionName(name));
        assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
        return response.payload().asUtf8String();
    }

    private static void assertConflict(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        LambdaErrorAssert.assertError(call, "ResourceConflictException", 409, message);
    }

    /** A zip with the handler answering {@code answer} and 100 MB of zeros. */
    private static byte[] bigZip(String answer, String bigFile) {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("index.js"));
            zip.write(HANDLER.formatted(answer).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.putNextEntry(new java.util.zip.ZipEntry(bigFile));
            byte[] chunk = new byte[1024 * 1024];
            for (int i = 0; i < 100; i++) {
                zip.write(chunk);
            }
            zip.closeEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Test
    void aFunctionCaughtPendingByAStopIsActiveAfterTheRestart(LambdaClient lambda, Stratus stratus) {
        // Big enough that the stop most likely finds it still Pending.
        var created = lambda.createFunction(r -> r.functionName("restarted").runtime(Runtime.NODEJS20_X).handler("index.handler")
                .role(FunctionZips.ROLE).code(c -> c.zipFile(SdkBytes.fromByteArray(bigZip("after restart", "c.bin")))));
        assertThat(created.state()).isEqualTo(State.PENDING);
        stratus.restart();

        var active = lambda.waiter().waitUntilFunctionActiveV2(r -> r.functionName("restarted")).matched().response().orElseThrow();
        assertThat(active.configuration().state()).isEqualTo(State.ACTIVE);
        assertThat(lambda.invoke(r -> r.functionName("restarted")).payload().asUtf8String()).isEqualTo("\"after restart\"");
    }

    @Test
    void publishWhileAnUpdateIsInProgressIsRefusedOrPublishesTheSettledFunction(LambdaClient lambda) {
        lambda.createFunction(request("publishing", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", HANDLER.formatted("p"))).build());
        FunctionStates.awaitActive(lambda, "publishing");
        lambda.updateFunctionConfiguration(r -> r.functionName("publishing").description("changed"));
        try {
            var version = lambda.publishVersion(r -> r.functionName("publishing"));
            assertThat(version.lastUpdateStatus()).isEqualTo(LastUpdateStatus.SUCCESSFUL);
        } catch (ResourceConflictException e) {
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("The operation cannot be performed at this time. An update is in progress for resource: ");
        }
        assertThatThrownBy(() -> lambda.invoke(r -> r.functionName("never-there"))).isInstanceOf(
                software.amazon.awssdk.services.lambda.model.ResourceNotFoundException.class);
    }
}
