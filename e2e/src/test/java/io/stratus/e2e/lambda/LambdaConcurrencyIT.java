package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.LambdaErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.ThrottleReason;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/** PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency, and reserved concurrency at Invoke. */
@StratusTest
class LambdaConcurrencyIT {

    private static final String SLOW = "exports.handler = async (event) => { await new Promise(r => setTimeout(r, event.sleep || 0)); return 'done'; };";

    /** A client that does not retry throttles, so the test sees each one. */
    private static LambdaClient noRetries(Stratus stratus) {
        return stratus.client(LambdaClient.builder().overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none())));
    }

    private static void assertThrottled(Runnable call, ThrottleReason reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TooManyRequestsException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(429);
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate Exceeded.");
        });
    }

    @Test
    void zeroReservedConcurrencyThrottlesEveryInvocation(Stratus stratus, LambdaClient lambda) {
        LambdaClient direct = noRetries(stratus);
        FunctionZips.create(lambda, "off", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", SLOW));
        assertThat(lambda.getFunctionConcurrency(r -> r.functionName("off")).reservedConcurrentExecutions()).isNull();
        assertThat(lambda.getFunction(r -> r.functionName("off")).concurrency()).isNull();

        assertThat(lambda.putFunctionConcurrency(r -> r.functionName("off").reservedConcurrentExecutions(0)).reservedConcurrentExecutions()).isZero();
        assertThat(lambda.getFunctionConcurrency(r -> r.functionName("off")).reservedConcurrentExecutions()).isZero();
        assertThat(lambda.getFunction(r -> r.functionName("off")).concurrency().reservedConcurrentExecutions()).isZero();
        for (int i = 0; i < 3; i++) {
            assertThrottled(() -> direct.invoke(r -> r.functionName("off")), ThrottleReason.RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED);
        }
        lambda.publishVersion(r -> r.functionName("off"));
        // The reservation covers every version of the function.
        assertThrottled(() -> direct.invoke(r -> r.functionName("off:1")), ThrottleReason.RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED);

        lambda.deleteFunctionConcurrency(r -> r.functionName("off"));
        assertThat(lambda.getFunctionConcurrency(r -> r.functionName("off")).reservedConcurrentExecutions()).isNull();
        assertThat(direct.invoke(r -> r.functionName("off")).statusCode()).isEqualTo(200);
    }

    @Test
    void reservedConcurrencyLimitsBusyEnvironments(Stratus stratus, LambdaClient lambda) throws Exception {
        LambdaClient direct = noRetries(stratus);
        lambda.createFunction(FunctionZips.request("one-at-a-time", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", SLOW)).timeout(30).build());
        FunctionStates.awaitUpdated(lambda, "one-at-a-time");
        lambda.putFunctionConcurrency(r -> r.functionName("one-at-a-time").reservedConcurrentExecutions(1));
        try {
            runOneAtATime(direct);
        } finally {
            lambda.deleteFunctionConcurrency(r -> r.functionName("one-at-a-time"));
        }
    }

    private static void runOneAtATime(LambdaClient direct) throws Exception {
        // Warm, so the slow invocation below is busy at once.
        assertThat(direct.invoke(r -> r.functionName("one-at-a-time")).statusCode()).isEqualTo(200);

        CompletableFuture<InvokeResponse> slow = CompletableFuture.supplyAsync(() -> direct.invoke(r -> r.functionName("one-at-a-time")
                .payload(software.amazon.awssdk.core.SdkBytes.fromUtf8String("{\"sleep\":3000}"))));
        Thread.sleep(1000);
        assertThrottled(() -> direct.invoke(r -> r.functionName("one-at-a-time")), ThrottleReason.RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED);
        assertThat(slow.get(30, TimeUnit.SECONDS).payload().asUtf8String()).isEqualTo("\"done\"");
        assertThat(direct.invoke(r -> r.functionName("one-at-a-time")).statusCode()).isEqualTo(200);
    }

    @Test
    void reservationsLeaveTheAccountMinimumUnreserved(LambdaClient lambda) {
        FunctionZips.create(lambda, "big", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", SLOW));
        FunctionZips.create(lambda, "small", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", SLOW));
        int unreservedBefore = lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions();
        assertThat(unreservedBefore).isEqualTo(1000);
        String message = "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].";
        assertError(() -> lambda.putFunctionConcurrency(r -> r.functionName("big").reservedConcurrentExecutions(901)),
                "InvalidParameterValueException", 400, message);
        lambda.putFunctionConcurrency(r -> r.functionName("big").reservedConcurrentExecutions(900));
        assertThat(lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions()).isEqualTo(100);
        assertError(() -> lambda.putFunctionConcurrency(r -> r.functionName("small").reservedConcurrentExecutions(1)),
                "InvalidParameterValueException", 400, message);
        // Changing a function's own reservation counts it once.
        lambda.putFunctionConcurrency(r -> r.functionName("big").reservedConcurrentExecutions(800));
        lambda.putFunctionConcurrency(r -> r.functionName("small").reservedConcurrentExecutions(100));
        assertThat(lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions()).isEqualTo(100);

        // Deleting the function frees its reservation.
        lambda.deleteFunction(r -> r.functionName("big"));
        assertThat(lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions()).isEqualTo(900);
        lambda.deleteFunctionConcurrency(r -> r.functionName("small"));
        assertThat(lambda.getAccountSettings().accountLimit().unreservedConcurrentExecutions()).isEqualTo(1000);
    }

    @Test
    void badConcurrencyRequests(LambdaClient lambda) {
        FunctionZips.create(lambda, "conc-bad", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", SLOW));
        assertError(() -> lambda.putFunctionConcurrency(r -> r.functionName("conc-bad").reservedConcurrentExecutions(-1)),
                "ValidationException", 400,
                "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0");
        assertError(() -> lambda.putFunctionConcurrency(r -> r.functionName("conc-bad")), "ValidationException", 400,
                "1 validation error detected: Value null at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must not be null");
        String missing = "Function not found: arn:aws:lambda:us-east-1:000000000000:function:conc-missing";
        assertError(() -> lambda.putFunctionConcurrency(r -> r.functionName("conc-missing").reservedConcurrentExecutions(1)),
                "ResourceNotFoundException", 404, missing);
        assertError(() -> lambda.getFunctionConcurrency(r -> r.functionName("conc-missing")), "ResourceNotFoundException", 404, missing);
        assertError(() -> lambda.deleteFunctionConcurrency(r -> r.functionName("conc-missing")), "ResourceNotFoundException", 404, missing);
    }
}
