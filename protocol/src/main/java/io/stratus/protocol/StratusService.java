package io.stratus.protocol;

/**
 * A service as the server runs it: its wire definition plus a lifecycle for background workers.
 * The server constructs each service with its collaborators, calls {@link #start()} once before
 * serving, and {@link #close()} once after the last request.
 */
public interface StratusService extends AutoCloseable {

    ServiceDefinition definition();

    /** Starts background workers; the default has none. */
    default void start() {}

    /** Stops background workers and releases resources; the default has none. */
    @Override
    default void close() {}
}
