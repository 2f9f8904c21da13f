package io.stratus.lambda;

import io.stratus.core.spi.FunctionInvoker;
import io.stratus.core.spi.ServiceCaller;

/**
 * A hand-written function for the pollers' tests, which invoke synchronously only: subclasses
 * answer {@link #invoke}; the function exists, takes no asynchronous invocation and grants no
 * service access.
 */
abstract class SyncOnlyFunction implements FunctionInvoker {

    @Override
    public void invokeAsync(String accountId, String region, String function, byte[] payload) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void invokeAsync(String accountId, String region, String function, byte[] payload, ServiceCaller caller) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean exists(String accountId, String region, String function) {
        return true;
    }

    @Override
    public boolean allows(String accountId, String region, String function, ServiceCaller caller) {
        return false;
    }
}
