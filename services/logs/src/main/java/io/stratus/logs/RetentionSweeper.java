package io.stratus.logs;

import static java.util.Objects.requireNonNull;

import io.stratus.core.PeriodicTask;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes events older than their group's retention (by the injected clock), and the streams and
 * events of groups that were deleted but whose removal a crash interrupted (keys of an
 * incarnation no group has any more). Thread-safe.
 */
final class RetentionSweeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);

    private final LogStore logs;
    private final GroupOperations groups;
    private final QueryOperations queries;
    private final Clock clock;
    private final Duration interval;
    private final PeriodicTask task = new PeriodicTask("logs-retention", this::sweep, e -> LOG.warn("Log retention sweep failed; the next one retries", e));

    RetentionSweeper(LogStore logs, GroupOperations groups, QueryOperations queries, Clock clock, Duration interval) {
        this.logs = requireNonNull(logs, "logs is null");
        this.groups = requireNonNull(groups, "groups is null");
        this.queries = requireNonNull(queries, "queries is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.interval = requireNonNull(interval, "interval is null");
    }

    void start() {
        task.start(Duration.ZERO, interval);
    }

    /** One pass: expired events of every group with a retention policy, leftovers of deleted groups, old queries' results. */
    void sweep() {
        long now = clock.millis();
        queries.forget(now - QueryOperations.KEPT.toMillis());
        Map<List<Object>, LogGroup> live = logs.allGroups();
        for (var entry : live.entrySet()) {
            LogGroup group = entry.getValue();
            if (group.retentionInDays() != null) {
                expire((String) entry.getKey().get(0), (String) entry.getKey().get(1), group, now - Duration.ofDays(group.retentionInDays()).toMillis());
            }
        }
        for (Leftover leftover : leftovers(live)) {
            // A group created since the scan above owns its streams: only a dead incarnation goes.
            Optional<LogGroup> current = LogStore.group(logs.store(), leftover.account(), leftover.region(), leftover.group().name());
            if (current.isEmpty() || current.get().incarnation() != leftover.group().incarnation()) {
                groups.purge(leftover.account(), leftover.region(), leftover.group());
            }
        }
    }

    private void expire(String account, String region, LogGroup group, long cutoff) {
        for (LogStream stream : logs.streams(account, region, group, null)) {
            if (stream.firstEventTimestamp() != null && stream.firstEventTimestamp() >= cutoff) {
                continue;
            }
            logs.deleteEventsBefore(account, region, group, stream.name(), cutoff);
        }
    }

    private record Leftover(String account, String region, LogGroup group) {}

    /** Streams keyed by an incarnation that no live group has. */
    private List<Leftover> leftovers(Map<List<Object>, LogGroup> live) {
        List<Leftover> leftovers = new ArrayList<>();
        Long lastIncarnation = null;
        try (Scan scan = logs.store().scan(LogStore.STREAMS, KeyRange.all())) {
            while (scan.hasNext()) {
                List<Object> key = Key.decode(scan.next().key());
                long incarnation = (Long) key.get(3);
                if (lastIncarnation != null && lastIncarnation == incarnation) {
                    continue;
                }
                lastIncarnation = incarnation;
                LogGroup group = live.get(key.subList(0, 3));
                if (group == null || group.incarnation() != incarnation) {
                    leftovers.add(new Leftover((String) key.get(0), (String) key.get(1),
                            new LogGroup((String) key.get(2), 0, incarnation, null, null, null, Map.of())));
                }
            }
        }
        return leftovers;
    }

    @Override
    public void close() {
        task.close();
    }
}
