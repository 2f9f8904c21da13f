package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetProvisionedConcurrencyConfigResponse;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyConfigListItem;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyStatusEnum;
import software.amazon.awssdk.services.lambda.model.PutProvisionedConcurrencyConfigResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Provisioned concurrency through the SDK: its four operations with AWS's answers and errors, and
 * environments that really are initialized before the first invocation, and again after a restart.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class LambdaProvisionedConcurrencyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Module-level code runs at init: when it ran, and how many invocations this environment served. */
    private static final String INIT_COUNTING = """
            const initAt = Date.now();
            let calls = 0;
            exports.handler = async (event) => {
              calls++;
              if (event.sleep) await new Promise(r => setTimeout(r, event.sleep));
              return { initAt, calls, pid: process.pid };
            };
            """;

    @Test
    void provisionedEnvironmentsAreInitializedBeforeTheFirstInvocation(LambdaClient lambda) throws Exception {
        create(lambda, "warm", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", INIT_COUNTING));
        String version = lambda.publishVersion(r -> r.functionName("warm")).version();
        lambda.createAlias(r -> r.functionName("warm").name("live").functionVersion(version));

        PutProvisionedConcurrencyConfigResponse put = lambda.putProvisionedConcurrencyConfig(r -> r.functionName("warm").qualifier("live")
                .provisionedConcurrentExecutions(2));
        assertThat(put.sdkHttpResponse().statusCode()).isEqualTo(202);
        assertThat(put.status()).isEqualTo(ProvisionedConcurrencyStatusEnum.IN_PROGRESS);
        assertThat(put.requestedProvisionedConcurrentExecutions()).isEqualTo(2);
        assertThat(put.allocatedProvisionedConcurrentExecutions()).isZero();
        assertThat(put.availableProvisionedConcurrentExecutions()).isZero();
        assertThat(put.lastModified()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");

        GetProvisionedConcurrencyConfigResponse ready = awaitStatus(lambda, "warm", "live", ProvisionedConcurrencyStatusEnum.READY);
        assertThat(ready.requestedProvisionedConcurrentExecutions()).isEqualTo(2);
        assertThat(ready.allocatedProvisionedConcurrentExecutions()).isEqualTo(2);
        assertThat(ready.availableProvisionedConcurrentExecutions()).isEqualTo(2);
        assertThat(ready.statusReason()).isNull();
        assertThat(ready.lastModified()).isEqualTo(put.lastModified());

        // Two invocations at once, each on one of the two environments: both initialized before either was sent.
        long sent = System.currentTimeMillis();
        List<InvokeResponse> both;
        try (var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var first = CompletableFuture.supplyAsync(() -> invokeTail(lambda, "warm:live", "{\"sleep\":500}"), callers);
            var second = CompletableFuture.supplyAsync(() -> invokeTail(lambda, "warm:live", "{\"sleep\":500}"), callers);
            both = List.of(first.get(), second.get());
        }
        for (InvokeResponse response : both) {
            assertThat(response.functionError()).isNull();
            assertThat(response.executedVersion()).isEqualTo(version);
            JsonNode body = JSON.readTree(response.payload().asUtf8String());
            assertThat(body.get("initAt").asLong()).as("init ran before the invocation was sent").isLessThan(sent);
            assertThat(body.get("calls").asInt()).isEqualTo(1);
            assertThat(log(response)).contains("REPORT RequestId: ").doesNotContain("Init Duration");
        }
        assertThat(JSON.readTree(both.get(0).payload().asUtf8String()).get("pid"))
                .isNotEqualTo(JSON.readTree(both.get(1).payload().asUtf8String()).get("pid"));

        // The version itself is what is provisioned: invoking it by number lands on the same warm environments.
        assertThat(log(invokeTail(lambda, "warm:" + version, "{}"))).doesNotContain("Init Duration");
        // $LATEST is not provisioned: its first invocation is a cold start.
        assertThat(log(invokeTail(lambda, "warm", "{}"))).contains("Init Duration");
    }

    @Test
    void anAliasMovedToAnotherVersionGetsThatVersionsEnvironments(LambdaClient lambda) throws Exception {
        create(lambda, "moving", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", INIT_COUNTING));
        String one = lambda.publishVersion(r -> r.functionName("moving")).version();
        lambda.updateFunctionConfiguration(r -> r.functionName("moving").description("two"));
        FunctionStates.awaitUpdated(lambda, "moving");
        String two = lambda.publishVersion(r -> r.functionName("moving")).version();
        lambda.createAlias(r -> r.functionName("moving").name("live").functionVersion(one));
        lambda.putProvisionedConcurrencyConfig(r -> r.functionName("moving").qualifier("live").provisionedConcurrentExecutions(1));
        awaitStatus(lambda, "moving", "live", ProvisionedConcurrencyStatusEnum.READY);

        lambda.updateAlias(r -> r.functionName("moving").name("live").functionVersion(two));
        // Version 2's environment is made and initialized: READY again only once it is.
        assertThat(lambda.getProvisionedConcurrencyConfig(r -> r.functionName("moving").qualifier("live")).status())
                .isIn(ProvisionedConcurrencyStatusEnum.IN_PROGRESS, ProvisionedConcurrencyStatusEnum.READY);
        awaitStatus(lambda, "moving", "live", ProvisionedConcurrencyStatusEnum.READY);
        long sent = System.currentTimeMillis();
        InvokeResponse response = invokeTail(lambda, "moving:live", "{}");
        assertThat(response.executedVersion()).isEqualTo(two);
        assertThat(log(response)).doesNotContain("Init Duration");
        assertThat(JSON.readTree(response.payload().asUtf8String()).get("initAt").asLong()).isLessThan(sent);
    }

    @Test
    void aWeightedAliasSplitsItsEnvironmentsBetweenItsVersions(LambdaClient lambda) throws Exception {
        create(lambda, "canary", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", INIT_COUNTING));
        String one = lambda.publishVersion(r -> r.functionName("canary")).version();
        lambda.updateFunctionConfiguration(r -> r.functionName("canary").description("two"));
        FunctionStates.awaitUpdated(lambda, "canary");
        String two = lambda.publishVersion(r -> r.functionName("canary")).version();
        lambda.createAlias(r -> r.functionName("canary").name("live").functionVersion(one)
                .routingConfig(c -> c.additionalVersionWeights(Map.of(two, 0.25))));
        lambda.putProvisionedConcurrencyConfig(r -> r.functionName("canary").qualifier("live").provisionedConcurrentExecutions(4));

        GetProvisionedConcurrencyConfigResponse ready = awaitStatus(lambda, "canary", "live", ProvisionedConcurrencyStatusEnum.READY);
        assertThat(ready.allocatedProvisionedConcurrentExecutions()).isEqualTo(4);
        // Three environments of version 1 and one of version 2, all initialized before these calls.
        long sent = System.currentTimeMillis();
        List<InvokeResponse> ones;
        try (var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<InvokeResponse>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> invokeTail(lambda, "canary:" + one, "{\"sleep\":500}"), callers));
            }
            calls.add(CompletableFuture.supplyAsync(() -> invokeTail(lambda, "canary:" + two, "{\"sleep\":500}"), callers));
            ones = new java.util.ArrayList<>();
            for (CompletableFuture<InvokeResponse> call : calls) {
                ones.add(call.get());
            }
        }
        for (InvokeResponse response : ones) {
            assertThat(log(response)).doesNotContain("Init Duration");
            assertThat(JSON.readTree(response.payload().asUtf8String()).get("initAt").asLong()).isLessThan(sent);
        }

        // All traffic to version 2 now: its share becomes all four.
        lambda.updateAlias(r -> r.functionName("canary").name("live").functionVersion(two).routingConfig(c -> c.additionalVersionWeights(Map.of())));
        awaitStatus(lambda, "canary", "live", ProvisionedConcurrencyStatusEnum.READY);
        assertThat(lambda.getProvisionedConcurrencyConfig(r -> r.functionName("canary").qualifier("live")).allocatedProvisionedConcurrentExecutions())
                .isEqualTo(4);
    }

    @Test
    void configurationsAreListedAndDeleted(LambdaClient lambda) {
        create(lambda, "listed", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", INIT_COUNTING));
        String one = lambda.publishVersion(r -> r.functionName("listed")).version();
        lambda.updateFunctionConfiguration(r -> r.functionName("listed").description("two"));
        FunctionStates.awaitUpdated(lambda, "listed");
        String two = lambda.publishVersion(r -> r.functionName("listed")).version();
        lambda.createAlias(r -> r.functionName("listed").name("blue").functionVersion(two));
        lambda.putProvisionedConcurrencyConfig(r -> r.functionName("listed").qualifier(one).provisionedConcurrentExecutions(1));
        lambda.putProvisionedConcurrencyConfig(r -> r.functionName("listed").qualifier("blue").provisionedConcurrentExecutions(1));
        awaitStatus(lambda, "listed", one, ProvisionedConcurrencyStatusEnum.READY);
        awaitStatus(lambda, "listed", "blue", ProvisionedConcurrencyStatusEnum.READY);

        String arn = "arn:aws:lambda:us-east-1:000000000000:function:listed";
        var all = lambda.listProvisionedConcurrencyConfigs(r -> r.functionName("listed"));
        assertThat(all.provisionedConcurrencyConfigs()).extracting(ProvisionedConcurrencyConfigListItem::functionArn)
                .containsExactly(arn + ":" + one, arn + ":blue");
        assertThat(all.provisionedConcurrencyConfigs()).allSatisfy(item -> {
            assertThat(item.status()).isEqualTo(ProvisionedConcurrencyStatusEnum.READY);
            assertThat(item.requestedProvisionedConcurrentExecutions()).isEqualTo(1);
            assertThat(item.allocatedProvisionedConcurrentExecutions()).isEqualTo(1);
        });
        assertThat(all.nextMarker()).isNull();
        var firstPage = lambda.listProvisionedConcurrencyConfigs(r -> r.functionName("listed").maxItems(1));
        assertThat(firstPage.provisionedConcurrencyConfigs()).hasSize(1);
        var secondPage = lambda.listProvisionedConcurrencyConfigs(r -> r.functionName("listed").maxItems(1).marker(firstPage.nextMarker()));
        assertThat(secondPage.provisionedConcurrencyConfigs()).extracting(ProvisionedConcurrencyConfigListItem::functionArn).containsExactly(arn + ":blue");
        assertThat(secondPage.nextMarker()).isNull();

        var deleted = lambda.deleteProvisionedConcurrencyConfig(r -> r.functionName("listed").qualifier("blue"));
        assertThat(deleted.sdkHttpResponse().statusCode()).isEqualTo(204);
        LambdaErrorAssert.assertError(() -> lambda.getProvisionedConcurrencyConfig(r -> r.functionName("listed").qualifier("blue")),
                "ProvisionedConcurrencyConfigNotFoundException", 404, "No Provisioned Concurrency Config found for this function");
        // Deleting what is not there is no error.
        lambda.deleteProvisionedConcurrencyConfig(r -> r.functionName("listed").qualifier("blue"));
        assertThat(lambda.listProvisionedConcurrencyConfigs(r -> r.functionName("listed")).provisionedConcurrencyConfigs())
                .extracting(ProvisionedConcurrencyConfigListItem::functionArn).containsExactly(arn + ":" + one);
        // Deleting the alias or the version deletes its configuration.
        lambda.deleteAlias(r -> r.functionName("listed").name("blue"));
        lambda.deleteFunction(r -> r.functionName("listed").qualifier(one));
        assertThat(lambda.listProvisionedConcurrencyConfigs(r -> r.functionName("listed")).provisionedConcurrencyConfigs()).isEmpty();
    }

    @Test
    void badRequestsGetAwsErrors(LambdaClient lambda) {
        create(lambda, "picky", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", INIT_COUNTING));
        String version = lambda.publishVersion(r -> r.functionName("picky")).version();
        lambda.createAlias(r -> r.functionName("picky").name("live").functionVersion(version));
        lambda.createAlias(r -> r.functionName("picky").name("head").functionVersion("$LATEST"));
        String arn = "arn:aws:lambda:us-east-1:000000000000:function:picky";

        invalid(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier("$LATEST").provisionedConcurrentExecutions(1)),
                "Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
        invalid(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier("head").provisionedConcurrentExecutions(1)),
                "Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
        invalid(() -> lambda.getProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier("$LATEST")),
                "The function resource provided must be an alias or a published version.");
        invalid(() -> lambda.deleteProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier("$LATEST")),
                "The function resource provided must be an alias or a published version.");
        // Qualifier is a required member of these operations.
        LambdaErrorAssert.assertError(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName("picky").provisionedConcurrentExecutions(1)),
                "ValidationException", 400, "1 validation error detected: Value null at 'qualifier' failed to satisfy constraint: Member must not be null");
        LambdaErrorAssert.assertError(() -> lambda.getProvisionedConcurrencyConfig(r -> r.functionName("picky")),
                "ValidationException", 400, "1 validation error detected: Value null at 'qualifier' failed to satisfy constraint: Member must not be null");
        LambdaErrorAssert.assertError(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier(version)
                .provisionedConcurrentExecutions(0)), "ValidationException", 400,
                "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1");
        LambdaErrorAssert.assertError(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier("9")
                .provisionedConcurrentExecutions(1)), "ResourceNotFoundException", 404, "Function not found: " + arn + ":9");
        LambdaErrorAssert.assertError(() -> lambda.getProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier("nope")),
                "ResourceNotFoundException", 404, "Cannot find alias arn: " + arn + ":nope");
        LambdaErrorAssert.assertError(() -> lambda.getProvisionedConcurrencyConfig(r -> r.functionName("missing").qualifier("1")),
                "ResourceNotFoundException", 404, "Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing");
        LambdaErrorAssert.assertError(() -> lambda.getProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier(version)),
                "ProvisionedConcurrencyConfigNotFoundException", 404, "No Provisioned Concurrency Config found for this function");
        LambdaErrorAssert.assertError(() -> lambda.listProvisionedConcurrencyConfigs(r -> r.functionName("picky").maxItems(51)),
                "ValidationException", 400,
                "1 validation error detected: Value '51' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50");

        // The account's unreserved concurrency pays for provisioned concurrency, keeping at least 100.
        int unreserved = lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions();
        invalid(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier(version).provisionedConcurrentExecutions(unreserved + 1)),
                "Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [" + unreserved + "].");
        invalid(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier(version).provisionedConcurrentExecutions(unreserved - 99)),
                "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].");
        lambda.putProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier("live").provisionedConcurrentExecutions(1));
        assertThat(lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions()).isEqualTo(unreserved - 1);

        // A version is provisioned through one alias or by itself, not both.
        LambdaErrorAssert.assertError(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier(version)
                .provisionedConcurrentExecutions(1)), "ResourceConflictException", 409, "Version is pointed by a Provisioned Concurrency alias");
        lambda.deleteProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier("live"));
        lambda.putProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier(version).provisionedConcurrentExecutions(1));
        LambdaErrorAssert.assertError(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier("live")
                .provisionedConcurrentExecutions(1)), "ResourceConflictException", 409,
                "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version");

        // With reserved concurrency, provisioned concurrency comes out of the reservation.
        lambda.putFunctionConcurrency(r -> r.functionName("picky").reservedConcurrentExecutions(2));
        assertThat(lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions()).isEqualTo(unreserved - 2);
        invalid(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier(version).provisionedConcurrentExecutions(3)),
                "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function");
        lambda.putProvisionedConcurrencyConfig(r -> r.functionName("picky").qualifier(version).provisionedConcurrentExecutions(2));
        awaitStatus(lambda, "picky", version, ProvisionedConcurrencyStatusEnum.READY);
        // ... and the reservation cannot shrink below it (0 included), while it may stay or grow.
        invalid(() -> lambda.putFunctionConcurrency(r -> r.functionName("picky").reservedConcurrentExecutions(1)),
                "Specified ReservedConcurrentExecutions for function is less than the function's provisioned concurrency [2].");
        invalid(() -> lambda.putFunctionConcurrency(r -> r.functionName("picky").reservedConcurrentExecutions(0)),
                "Specified ReservedConcurrentExecutions for function is less than the function's provisioned concurrency [2].");
        assertThat(lambda.getFunctionConcurrency(r -> r.functionName("picky")).reservedConcurrentExecutions()).isEqualTo(2);
        lambda.putFunctionConcurrency(r -> r.functionName("picky").reservedConcurrentExecutions(3));
        lambda.deleteFunction(r -> r.functionName("picky"));
        assertThat(lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions()).isEqualTo(unreserved);
    }

    @Test
    void aFunctionThatCannotInitializeFailsItsAllocation(LambdaClient lambda) {
        create(lambda, "broken", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", "throw new Error('no init for you');"));
        String version = lambda.publishVersion(r -> r.functionName("broken")).version();
        lambda.putProvisionedConcurrencyConfig(r -> r.functionName("broken").qualifier(version).provisionedConcurrentExecutions(1));

        var failed = awaitStatus(lambda, "broken", version, ProvisionedConcurrencyStatusEnum.FAILED);
        assertThat(failed.statusReason()).isEqualTo("FUNCTION_ERROR_INIT_FAILURE");
        assertThat(failed.allocatedProvisionedConcurrentExecutions()).isZero();
    }

    @Test
    void provisionedEnvironmentsAreMadeAgainAfterARestart(LambdaClient lambda, Stratus stratus) throws Exception {
        create(lambda, "durable", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", INIT_COUNTING));
        String version = lambda.publishVersion(r -> r.functionName("durable")).version();
        lambda.putProvisionedConcurrencyConfig(r -> r.functionName("durable").qualifier(version).provisionedConcurrentExecutions(1));
        awaitStatus(lambda, "durable", version, ProvisionedConcurrencyStatusEnum.READY);

        stratus.restart();

        awaitStatus(lambda, "durable", version, ProvisionedConcurrencyStatusEnum.READY);
        long sent = System.currentTimeMillis();
        InvokeResponse response = invokeTail(lambda, "durable:" + version, "{}");
        assertThat(JSON.readTree(response.payload().asUtf8String()).get("initAt").asLong()).isLessThan(sent);
        assertThat(log(response)).doesNotContain("Init Duration");
    }

    private static GetProvisionedConcurrencyConfigResponse awaitStatus(LambdaClient lambda, String name, String qualifier,
            ProvisionedConcurrencyStatusEnum status) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            GetProvisionedConcurrencyConfigResponse config = lambda.getProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier(qualifier));
            if (config.status() == status) {
                return config;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ":" + qualifier + " is still " + config.status() + " (" + config.statusReason() + ")");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static InvokeResponse invokeTail(LambdaClient lambda, String name, String payload) {
        return lambda.invoke(r -> r.functionName(name).logType(LogType.TAIL).payload(software.amazon.awssdk.core.SdkBytes.fromUtf8String(payload)));
    }

    private static String log(InvokeResponse response) {
        return new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
    }

    private static void invalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        LambdaErrorAssert.assertError(call, "InvalidParameterValueException", 400, message);
    }
}
