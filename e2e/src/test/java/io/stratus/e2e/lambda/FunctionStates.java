package io.stratus.e2e.lambda;

import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.State;

/**
 * Waits for a function to be ready, as clients must after CreateFunction and the updates (AWS's
 * {@code function_active_v2} and {@code function_updated_v2} waiters do the same, polling once a
 * second; these poll every few milliseconds, since Stratus's Pending and InProgress phases last
 * milliseconds).
 */
public final class FunctionStates {

    private FunctionStates() {}

    /** Waits until the function (or {@code name:qualifier}) is {@code Active}. */
    public static FunctionConfiguration awaitActive(LambdaClient lambda, String name) {
        return await(lambda, name, c -> c.state() == State.ACTIVE);
    }

    /** Waits until the function's last update is {@code Successful}. */
    public static FunctionConfiguration awaitUpdated(LambdaClient lambda, String name) {
        return await(lambda, name, c -> c.state() == State.ACTIVE && c.lastUpdateStatus() == LastUpdateStatus.SUCCESSFUL);
    }

    private static FunctionConfiguration await(LambdaClient lambda, String name, java.util.function.Predicate<FunctionConfiguration> ready) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            FunctionConfiguration configuration = lambda.getFunction(r -> r.functionName(name)).configuration();
            if (ready.test(configuration)) {
                return configuration;
            }
            if (configuration.state() == State.FAILED || configuration.lastUpdateStatus() == LastUpdateStatus.FAILED) {
                throw new AssertionError("Function " + name + " failed: " + configuration.stateReason() + " / " + configuration.lastUpdateStatusReason());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Function " + name + " is still " + configuration.state() + " / " + configuration.lastUpdateStatus());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
