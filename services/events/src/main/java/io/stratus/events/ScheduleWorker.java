package io.stratus.events;

import static java.util.Objects.requireNonNull;

import io.stratus.core.PeriodicTask;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scheduled rules: once a second it looks for rules whose next run is due (by the injected
 * clock, so tests move time instead of waiting) and, for an enabled rule, records a
 * {@code Scheduled Event} delivery per target in the transaction that moves the rule's next run
 * on. A run missed while Stratus was down happens once at start, not once per missed period.
 * Thread-safe.
 */
final class ScheduleWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleWorker.class);
    private static final Duration LOOK = Duration.ofSeconds(1);

    private final EventStore store;
    private final EventRouting routing;
    private final Deliveries deliveries;
    private final Clock clock;
    private final PeriodicTask task;

    ScheduleWorker(EventStore store, EventRouting routing, Deliveries deliveries, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.routing = requireNonNull(routing, "routing is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.task = new PeriodicTask("events-schedules", this::runDue, e -> LOG.warn("EventBridge: scheduled rules round failed", e));
    }

    void start() {
        task.start(LOOK, LOOK);
    }

    /** Runs every scheduled rule that is due now; visible for tests. */
    void runDue() {
        Instant now = clock.instant();
        int fired = 0;
        try (Scan scan = store.store().scan(EventStore.SCHEDULES, KeyRange.all())) {
            while (scan.hasNext() && !task.isClosed()) {
                Entry entry = scan.next();
                long due = Long.parseLong(new String(entry.value(), StandardCharsets.UTF_8));
                if (due <= now.toEpochMilli()) {
                    List<Object> key = Key.decode(entry.key());
                    fired += fire((String) key.get(0), (String) key.get(1), (String) key.get(2), entry.key(), due, now);
                }
            }
        }
        if (fired > 0) {
            deliveries.wake();
        }
    }

    private int fire(String account, String region, String name, byte[] key, long due, Instant now) {
        return store.store().transaction(txn -> {
            byte[] current = txn.get(EventStore.SCHEDULES, key);
            if (current == null || Long.parseLong(new String(current, StandardCharsets.UTF_8)) != due) {
                return 0; // deleted or rescheduled meanwhile
            }
            Rule rule = EventStore.rule(txn, account, region, Bus.DEFAULT, name).orElse(null);
            if (rule == null || rule.scheduleExpression() == null) {
                txn.delete(EventStore.SCHEDULES, key);
                return 0;
            }
            Instant next = Schedule.parse(rule.scheduleExpression()).next(now);
            if (next == null) {
                txn.delete(EventStore.SCHEDULES, key);
            } else {
                txn.put(EventStore.SCHEDULES, key, Long.toString(next.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
            }
            if (!rule.enabled() || rule.targets().isEmpty()) {
                return 0;
            }
            String ruleArn = Rule.arn(account, region, Bus.DEFAULT, name).toString();
            String event = EventRouting.event(UUID.randomUUID().toString(), "Scheduled Event", "aws.events", account, Instant.ofEpochMilli(due),
                    region, List.of(ruleArn), TargetInput.object()).toString();
            return routing.deliver(txn, account, region, rule, event, now.toEpochMilli());
        });
    }

    @Override
    public void close() {
        task.close();
    }
}
