package io.stratus.logs;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.spi.Logs;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** {@link Logs} for other services: appends, creating the group and stream on first use. Thread-safe. */
final class LogsWriter implements Logs {

    /** AWS's largest event; Lambda splits longer lines the same way. */
    private static final int MAX_MESSAGE_BYTES = 256 * 1024 - EventOperations.EVENT_OVERHEAD;

    private final GroupOperations groups;
    private final StreamOperations streams;
    private final EventOperations events;
    private final Clock clock;

    LogsWriter(GroupOperations groups, StreamOperations streams, EventOperations events, Clock clock) {
        this.groups = requireNonNull(groups, "groups is null");
        this.streams = requireNonNull(streams, "streams is null");
        this.events = requireNonNull(events, "events is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void append(String accountId, String region, String group, String stream, List<Event> lines) {
        List<LogsModel.InputLogEvent> batch = lines.stream()
                .filter(line -> !line.message().isEmpty())
                .sorted(Comparator.comparingLong(Event::timestamp))
                .map(line -> new LogsModel.InputLogEvent(line.timestamp(), truncate(line.message())))
                .toList();
        if (batch.isEmpty()) {
            return;
        }
        for (int attempt = 0; ; attempt++) {
            try {
                events.append(accountId, region, group, stream, batch, clock.millis());
                return;
            } catch (AwsException e) {
                if (e.errorCode() != LogsErrors.RESOURCE_NOT_FOUND || attempt > 0) {
                    throw e;
                }
                createIfAbsent(accountId, region, group, stream);
            }
        }
    }

    private void createIfAbsent(String accountId, String region, String group, String stream) {
        try {
            groups.create(accountId, region, new LogGroup(group, clock.millis(), GroupOperations.newIncarnation(), null, null, null, Map.of()));
        } catch (AwsException e) {
            if (e.errorCode() != LogsErrors.RESOURCE_ALREADY_EXISTS) {
                throw e;
            }
        }
        try {
            streams.create(accountId, region, group, stream);
        } catch (AwsException e) {
            if (e.errorCode() != LogsErrors.RESOURCE_ALREADY_EXISTS) {
                throw e;
            }
        }
    }

    private static String truncate(String message) {
        if ((long) message.length() * 3 <= MAX_MESSAGE_BYTES) {
            // No char takes more than three UTF-8 bytes: short enough without encoding it.
            return message;
        }
        byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length <= MAX_MESSAGE_BYTES) {
            return message;
        }
        return new String(bytes, 0, MAX_MESSAGE_BYTES, java.nio.charset.StandardCharsets.UTF_8);
    }
}
