package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.create;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * A stop lets invocations in flight finish: Invoke answers from the runtime's own thread (no
 * request thread waits for it), and the server still counts it in flight until it has answered.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class LambdaShutdownIT {

    private static final String SLEEPER = """
            import time
            def handler(event, context):
                time.sleep(1.5)
                return {"slept": True}
            """;

    @Test
    void anInvocationInFlightWhenTheServerStopsGetsItsAnswer(Stratus stratus, LambdaClient lambda) throws Exception {
        create(lambda, "sleeper", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", SLEEPER));
        // Warm, so the invocation below is running (not starting its runtime) when the stop comes.
        assertThat(lambda.invoke(r -> r.functionName("sleeper")).statusCode()).isEqualTo(200);

        CompletableFuture<InvokeResponse> inFlight = CompletableFuture.supplyAsync(() -> lambda.invoke(r -> r.functionName("sleeper")));
        Thread.sleep(500);
        long stopping = System.nanoTime();
        stratus.restart();

        InvokeResponse answered = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.functionError()).isNull();
        assertThat(answered.payload().asUtf8String()).isEqualTo("{\"slept\": true}");
        // The stop waited for it, not for the grace period's end.
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopping)).isLessThan(8);
        assertThat(lambda.invoke(r -> r.functionName("sleeper")).payload().asUtf8String()).isEqualTo("{\"slept\": true}");
    }
}
