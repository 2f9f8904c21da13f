package io.stratus.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Writes log events to CloudWatch Logs, as a service does for what it runs: Lambda writes each
 * invocation's output and its START/END/REPORT lines to {@code /aws/lambda/<function>}, one stream
 * per execution environment. Implemented by the CloudWatch Logs service; the server hands it to
 * the services that need it.
 *
 * <p>Thread safety: callable from any number of threads at once. A call blocks until the events
 * are stored (with the default store, durably), so callers write from a thread of their own, not
 * from the path that answers a client if they can avoid it.
 */
public interface Logs {

    /**
     * One line of a log.
     *
     * @param timestamp when it was written, in epoch milliseconds
     * @param message the line, without its line break
     */
    record Event(long timestamp, String message) {
        public Event {
            requireNonNull(message, "message is null");
        }
    }

    /**
     * Appends events to a stream, creating the group and the stream first if they do not exist
     * (as Lambda's execution role does on AWS). Events need not be in time order; empty
     * messages are skipped.
     *
     * @param accountId the account the group lives in
     * @param region the group's region
     * @param group the group's name, e.g. {@code /aws/lambda/echo}
     * @param stream the stream's name
     */
    void append(String accountId, String region, String group, String stream, List<Event> events);

    /** Writes nothing; for services run without CloudWatch Logs. */
    Logs NONE = (accountId, region, group, stream, events) -> { };
}
