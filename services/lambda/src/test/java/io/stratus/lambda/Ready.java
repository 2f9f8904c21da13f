package io.stratus.lambda;

import io.stratus.core.RequestContext;

/** Waits for a function to settle (Active, last update Successful), as clients do after creating or updating it. */
final class Ready {

    private Ready() {}

    static void await(LambdaService lambda, RequestContext context, String name) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            var configuration = lambda.getFunctionConfiguration(context, new LambdaModel.GetFunctionConfigurationRequest(name, null));
            if ("Active".equals(configuration.state()) && "Successful".equals(configuration.lastUpdateStatus())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " is still " + configuration.state() + " / " + configuration.lastUpdateStatus());
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
