package io.stratus.logs;

import static java.util.Objects.requireNonNull;

/**
 * A log stream as stored; the event timestamps are null until the first event.
 *
 * @param storedBytes the UTF-8 size of the stream's messages
 */
record LogStream(String name, long creationTime, Long firstEventTimestamp, Long lastEventTimestamp, Long lastIngestionTime,
        long storedBytes) {

    LogStream {
        requireNonNull(name, "name is null");
    }

    /** This stream after a batch of events with these timestamps and sizes arrived at {@code ingestionTime}. */
    LogStream withEvents(long firstTimestamp, long lastTimestamp, long ingestionTime, long bytes) {
        return new LogStream(name, creationTime,
                firstEventTimestamp == null ? firstTimestamp : Math.min(firstEventTimestamp, firstTimestamp),
                lastEventTimestamp == null ? lastTimestamp : Math.max(lastEventTimestamp, lastTimestamp),
                ingestionTime, storedBytes + bytes);
    }

    /** This stream after events of {@code bytes} expired (its retention deleted them). */
    LogStream withoutBytes(long bytes) {
        return new LogStream(name, creationTime, firstEventTimestamp, lastEventTimestamp, lastIngestionTime, Math.max(0, storedBytes - bytes));
    }
}
