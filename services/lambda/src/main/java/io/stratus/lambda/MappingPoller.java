package io.stratus.lambda;

/**
 * The worker behind one enabled event source mapping: {@link SqsPoller} for queues,
 * {@link StreamPoller} for streams. Implementations are thread-safe.
 */
interface MappingPoller extends AutoCloseable {

    /** Starts polling on threads of its own; returns at once. */
    void start();

    /** What {@code LastProcessingResult} reports: {@code No records processed}, {@code OK} or {@code PROBLEM: …}. */
    String lastProcessingResult();

    /** Stops polling and waits a little for the current batch to end. */
    @Override
    void close();
}
