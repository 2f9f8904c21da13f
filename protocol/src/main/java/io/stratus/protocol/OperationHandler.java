package io.stratus.protocol;

import io.stratus.core.RequestContext;

/**
 * Runs one AWS operation. Called on a virtual thread, one call per request; may block.
 *
 * <p>An operation whose answer comes from another thread's work (Lambda's Invoke: the runtime's
 * answer arrives on the Runtime API's thread) may return a {@link java.util.concurrent.CompletionStage}
 * of its response record instead, so that no thread waits for it: the response is encoded and
 * handed to the connection on the thread that completes the stage, which must therefore be one
 * that may run a little of Stratus's code (not an event loop, not a shared timer). A stage that
 * completes exceptionally answers as a thrown exception would.
 *
 * @param <I> the operation's request record
 * @param <O> the operation's response record, or a {@code CompletionStage} of it
 */
@FunctionalInterface
public interface OperationHandler<I, O> {
    O handle(RequestContext context, I input);
}
