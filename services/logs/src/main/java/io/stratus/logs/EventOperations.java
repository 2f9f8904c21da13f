package io.stratus.logs;

import static io.stratus.logs.LogsModel.FilterLogEventsRequest;
import static io.stratus.logs.LogsModel.FilterLogEventsResponse;
import static io.stratus.logs.LogsModel.FilteredLogEvent;
import static io.stratus.logs.LogsModel.GetLogEventsRequest;
import static io.stratus.logs.LogsModel.GetLogEventsResponse;
import static io.stratus.logs.LogsModel.InputLogEvent;
import static io.stratus.logs.LogsModel.OutputLogEvent;
import static io.stratus.logs.LogsModel.PutLogEventsRequest;
import static io.stratus.logs.LogsModel.PutLogEventsResponse;
import static io.stratus.logs.LogsModel.RejectedLogEventsInfo;
import static java.util.Objects.requireNonNull;

import io.stratus.core.RequestContext;
import io.stratus.logs.LogStore.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/** PutLogEvents, GetLogEvents and FilterLogEvents. Thread-safe. */
final class EventOperations {

    static final int MAX_BATCH_EVENTS = 10_000;
    static final int MAX_BATCH_BYTES = 1_048_576;
    static final int EVENT_OVERHEAD = 26;
    private static final int MAX_READ_BYTES = 1_048_576;
    private static final long TOO_NEW = Duration.ofHours(2).toMillis();
    private static final long TOO_OLD = Duration.ofDays(14).toMillis();
    private static final long MAX_SPAN = Duration.ofHours(24).toMillis();

    private final LogStore logs;
    private final SubscriptionDeliveries subscriptions;
    private final Clock clock;
    /** Orders events of one stream that share a timestamp; seeded from the clock so it keeps rising across restarts. */
    private final AtomicLong sequence;

    EventOperations(LogStore logs, SubscriptionDeliveries subscriptions, Clock clock) {
        this.logs = requireNonNull(logs, "logs is null");
        this.subscriptions = requireNonNull(subscriptions, "subscriptions is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sequence = new AtomicLong(System.currentTimeMillis() * 1_000);
    }

    PutLogEventsResponse putLogEvents(RequestContext context, PutLogEventsRequest request) {
        String groupName = Names.requireGroupName("logGroupName", request.logGroupName());
        String streamName = Names.requireStreamName(request.logStreamName());
        List<InputLogEvent> events = Names.required("logEvents", request.logEvents());
        if (events.isEmpty()) {
            throw LogsErrors.constraint("logEvents", "[]", "Member must have length greater than or equal to 1");
        }
        if (events.size() > MAX_BATCH_EVENTS) {
            throw LogsErrors.constraint("logEvents", "[...]", "Member must have length less than or equal to " + MAX_BATCH_EVENTS);
        }
        long bytes = 0;
        for (int i = 0; i < events.size(); i++) {
            InputLogEvent event = events.get(i);
            Names.required("logEvents." + (i + 1) + ".member.timestamp", event == null ? null : event.timestamp());
            String message = Names.required("logEvents." + (i + 1) + ".member.message", event.message());
            if (message.isEmpty()) {
                throw LogsErrors.constraint("logEvents." + (i + 1) + ".member.message", "", "Member must have length greater than or equal to 1");
            }
            if (i > 0 && event.timestamp() < events.get(i - 1).timestamp()) {
                throw LogsErrors.invalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
            }
            bytes += message.getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD;
        }
        if (bytes > MAX_BATCH_BYTES) {
            throw LogsErrors.invalidParameter("Upload too large: %d bytes exceeds limit of %d", bytes, MAX_BATCH_BYTES);
        }
        if (events.getLast().timestamp() - events.getFirst().timestamp() > MAX_SPAN) {
            throw LogsErrors.invalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        }

        long now = clock.millis();
        LogGroup group = LogStore.requireGroup(logs.store(), context.accountId(), context.region(), groupName);
        long retentionStart = group.retentionInDays() == null ? Long.MIN_VALUE : now - Duration.ofDays(group.retentionInDays()).toMillis();
        int tooOldEnd = 0;
        int expiredEnd = 0;
        int tooNewStart = events.size();
        for (int i = 0; i < events.size(); i++) {
            long timestamp = events.get(i).timestamp();
            if (timestamp < now - TOO_OLD) {
                tooOldEnd = i + 1;
            }
            if (timestamp < retentionStart) {
                expiredEnd = i + 1;
            }
            if (timestamp > now + TOO_NEW && tooNewStart == events.size()) {
                tooNewStart = i;
            }
        }
        int firstAccepted = Math.max(tooOldEnd, expiredEnd);
        List<InputLogEvent> accepted = firstAccepted < tooNewStart ? events.subList(firstAccepted, tooNewStart) : List.of();
        append(context.accountId(), context.region(), groupName, streamName, accepted, now);

        RejectedLogEventsInfo rejected = firstAccepted > 0 || tooNewStart < events.size()
                ? new RejectedLogEventsInfo(tooNewStart < events.size() ? tooNewStart : null, tooOldEnd > 0 ? tooOldEnd : null,
                        expiredEnd > 0 ? expiredEnd : null)
                : null;
        return new PutLogEventsResponse(String.format("%056d", sequence.get()), rejected);
    }

    /**
     * Stores {@code events} (in time order) in an existing stream, in one transaction with what the
     * group's subscription filters match of them; {@code ResourceNotFoundException} when the group
     * or stream does not exist.
     */
    void append(String account, String region, String groupName, String streamName, List<InputLogEvent> events, long ingestionTime) {
        long firstSequence = sequence.getAndAdd(events.size());
        boolean subscribed = logs.store().transaction(txn -> {
            LogGroup group = LogStore.requireGroup(txn, account, region, groupName);
            LogStream stream = LogStore.stream(txn, account, region, group, streamName).orElseThrow(LogsErrors::streamNotFound);
            if (events.isEmpty()) {
                return false;
            }
            // The stream's part of every chunk key, encoded once for the batch.
            byte[] prefix = LogStore.eventsPrefix(account, region, group, streamName);
            long bytes = LogStore.putEvents(txn, prefix, events, firstSequence, ingestionTime);
            LogStore.putStream(txn, account, region, group,
                    stream.withEvents(events.getFirst().timestamp(), events.getLast().timestamp(), ingestionTime, bytes));
            return subscriptions.stage(txn, account, region, group, streamName, events, firstSequence, ingestionTime);
        });
        if (subscribed) {
            subscriptions.wake();
        }
    }

    GetLogEventsResponse getLogEvents(RequestContext context, GetLogEventsRequest request) {
        String groupName = Names.groupOf(context, request.logGroupName(), request.logGroupIdentifier());
        String streamName = Names.requireStreamName(request.logStreamName());
        int limit = Names.limit("limit", request.limit(), MAX_BATCH_EVENTS, MAX_BATCH_EVENTS);
        long startTime = request.startTime() == null ? 0 : Math.max(0, request.startTime());
        long endTime = request.endTime() == null ? Long.MAX_VALUE : request.endTime();
        LogGroup group = LogStore.requireGroup(logs.store(), context.accountId(), context.region(), groupName);
        if (LogStore.stream(logs.store(), context.accountId(), context.region(), group, streamName).isEmpty()) {
            throw LogsErrors.streamNotFound();
        }
        EventToken token = request.nextToken() == null ? null : EventToken.parse(request.nextToken());
        boolean forward = token != null ? token.forward() : Boolean.TRUE.equals(request.startFromHead());

        byte[] prefix = LogStore.eventsPrefix(context.accountId(), context.region(), group, streamName);
        StoredEvent position = token == null ? null : new StoredEvent(streamName, token.timestamp(), token.sequence(), 0, "");
        List<StoredEvent> found = new ArrayList<>();
        if (startTime < endTime) {
            long bytes = 0;
            try (EventCursor cursor = new EventCursor(logs, prefix, streamName, startTime, endTime, position, forward)) {
                for (StoredEvent event = cursor.next(); event != null && found.size() < limit; event = cursor.next()) {
                    bytes += event.message().getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD;
                    if (bytes > MAX_READ_BYTES && !found.isEmpty()) {
                        break;
                    }
                    found.add(event);
                }
            }
        }
        if (!forward) {
            Collections.reverse(found);
        }
        List<OutputLogEvent> events = found.stream().map(e -> new OutputLogEvent(e.timestamp(), e.message(), e.ingestionTime())).toList();
        String nextForward;
        String nextBackward;
        if (found.isEmpty()) {
            // Nothing more this way: the same token again tells clients they reached the end.
            nextForward = token != null && forward ? request.nextToken() : new EventToken(true, startTime - 1, Long.MAX_VALUE).toString();
            nextBackward = token != null && !forward ? request.nextToken() : new EventToken(false, Math.min(endTime, Long.MAX_VALUE - 1), 0).toString();
        } else {
            nextForward = new EventToken(true, found.getLast().timestamp(), found.getLast().sequence()).toString();
            nextBackward = new EventToken(false, found.getFirst().timestamp(), found.getFirst().sequence()).toString();
        }
        return new GetLogEventsResponse(events, nextForward, nextBackward);
    }

    FilterLogEventsResponse filterLogEvents(RequestContext context, FilterLogEventsRequest request) {
        String groupName = Names.groupOf(context, request.logGroupName(), request.logGroupIdentifier());
        if (request.logStreamNames() != null && request.logStreamNamePrefix() != null) {
            throw LogsErrors.invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
        }
        if (request.logStreamNames() != null && (request.logStreamNames().isEmpty() || request.logStreamNames().size() > 100)) {
            throw LogsErrors.constraint("logStreamNames", request.logStreamNames(), "Member must have length between 1 and 100");
        }
        int limit = Names.limit("limit", request.limit(), MAX_BATCH_EVENTS, MAX_BATCH_EVENTS);
        FilterPattern pattern = FilterPattern.parse(request.filterPattern());
        long startTime = request.startTime() == null ? 0 : Math.max(0, request.startTime());
        long endTime = request.endTime() == null ? Long.MAX_VALUE - 1 : request.endTime();
        FilterToken after = request.nextToken() == null ? null : FilterToken.parse(request.nextToken());

        String account = context.accountId();
        String region = context.region();
        LogGroup group = LogStore.requireGroup(logs.store(), account, region, groupName);
        List<LogStream> streams = logs.streams(account, region, group, request.logStreamNamePrefix());
        if (request.logStreamNames() != null) {
            streams = streams.stream().filter(stream -> request.logStreamNames().contains(stream.name())).toList();
        }

        // Every stream's events in time order, merged by (timestamp, stream, sequence).
        Comparator<StoredEvent> order = Comparator.comparingLong(StoredEvent::timestamp).thenComparing(StoredEvent::stream)
                .thenComparingLong(StoredEvent::sequence);
        record Head(StoredEvent event, EventCursor scan) {}
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing(Head::event, order));
        List<EventCursor> scans = new ArrayList<>();
        List<FilteredLogEvent> events = new ArrayList<>();
        String nextToken = null;
        try {
            for (LogStream stream : streams) {
                long from = after == null ? startTime : Math.max(startTime, after.timestamp());
                if (from > endTime) {
                    continue;
                }
                EventCursor scan = new EventCursor(logs, LogStore.eventsPrefix(account, region, group, stream.name()), stream.name(), from,
                        endTime == Long.MAX_VALUE ? endTime : endTime + 1, null, true);
                scans.add(scan);
                advance(scan, stream.name(), heads, after, order, Head::new);
            }
            long bytes = 0;
            while (!heads.isEmpty()) {
                Head head = heads.poll();
                StoredEvent event = head.event();
                if (pattern.matches(event.message())) {
                    if (events.size() == limit || bytes > MAX_READ_BYTES) {
                        StoredEvent last = lastOf(events);
                        nextToken = new FilterToken(last.timestamp(), last.stream(), last.sequence()).toString();
                        break;
                    }
                    events.add(new FilteredLogEvent(event.stream(), event.timestamp(), event.message(), event.ingestionTime(),
                            eventId(event)));
                    bytes += event.message().getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD;
                }
                advance(head.scan(), event.stream(), heads, null, order, Head::new);
            }
        } finally {
            scans.forEach(EventCursor::close);
        }
        return new FilterLogEventsResponse(events, List.of(), nextToken);
    }

    private StoredEvent lastOf(List<FilteredLogEvent> events) {
        FilteredLogEvent last = events.getLast();
        String[] id = last.eventId().split("-");
        return new StoredEvent(last.logStreamName(), last.timestamp(), Long.parseLong(id[1]), last.ingestionTime(), last.message());
    }

    private static String eventId(StoredEvent event) {
        return eventId(event.timestamp(), event.sequence());
    }

    /** The id of the event with this timestamp and sequence number, as FilterLogEvents and subscription deliveries name it. */
    static String eventId(long timestamp, long sequence) {
        return timestamp + "-" + sequence;
    }

    private static <H> void advance(EventCursor scan, String stream, PriorityQueue<H> heads, FilterToken after, Comparator<StoredEvent> order,
            java.util.function.BiFunction<StoredEvent, EventCursor, H> head) {
        for (StoredEvent event = scan.next(); event != null; event = scan.next()) {
            if (after != null && order.compare(event, after.asEvent()) <= 0) {
                continue;
            }
            heads.add(head.apply(event, scan));
            return;
        }
    }

    /** Where GetLogEvents stopped: {@code f/<timestamp>/<sequence>} forward, {@code b/…} backward. */
    private record EventToken(boolean forward, long timestamp, long sequence) {
        static EventToken parse(String token) {
            String[] parts = token.split("/");
            if (parts.length != 3 || !(parts[0].equals("f") || parts[0].equals("b"))) {
                throw LogsErrors.invalidParameter("The specified nextToken is invalid.");
            }
            try {
                return new EventToken(parts[0].equals("f"), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            } catch (NumberFormatException e) {
                throw LogsErrors.invalidParameter("The specified nextToken is invalid.");
            }
        }

        @Override
        public String toString() {
            return (forward ? "f/" : "b/") + timestamp + "/" + sequence;
        }
    }

    /** The last event FilterLogEvents returned. */
    private record FilterToken(long timestamp, String stream, long sequence) {
        static FilterToken parse(String token) {
            String decoded = GroupOperations.decodeToken(token);
            String[] parts = decoded.split("\n", 3);
            try {
                return new FilterToken(Long.parseLong(parts[0]), parts[2], Long.parseLong(parts[1]));
            } catch (RuntimeException e) {
                throw LogsErrors.invalidParameter("The specified nextToken is invalid.");
            }
        }

        StoredEvent asEvent() {
            return new StoredEvent(stream, timestamp, sequence, 0, "");
        }

        @Override
        public String toString() {
            return GroupOperations.encodeToken(timestamp + "\n" + sequence + "\n" + stream);
        }
    }
}
