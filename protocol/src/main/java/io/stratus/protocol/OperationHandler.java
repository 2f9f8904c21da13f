package io.stratus.protocol;

import io.stratus.core.RequestContext;

/**
 * Runs one AWS operation. Called on a virtual thread, one call per request; may block.
 *
 * @param <I> the operation's request record
 * @param <O> the operation's response record
 */
@FunctionalInterface
public interface OperationHandler<I, O> {
    O handle(RequestContext context, I input);
}
