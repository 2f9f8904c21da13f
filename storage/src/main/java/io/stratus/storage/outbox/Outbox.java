package io.stratus.storage.outbox;

import static java.util.Objects.requireNonNull;

import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.Transaction;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable outbox: messages a service must send after a write (an S3 event notification, an SNS
 * delivery, an EventBridge target's event) are {@linkplain #add added} in the write's own
 * transaction, so what was acknowledged survives a crash, and one sender thread hands them to the
 * service's {@link Courier} off the request's path, each on a virtual thread of its own. The
 * courier makes one attempt and says what becomes of the message: settled (removed), or kept in its
 * place as the message it returns — its next attempt at a later time, or its dead-letter delivery.
 * Messages of one {@linkplain Courier#lane lane} go one after the other in the order they were
 * added, and a lane whose message waits holds back the rest of it (FIFO).
 *
 * <p>Delivery is at least once: a crash between an attempt and its settling repeats the attempt.
 * Thread-safe; {@link #start()} starts the sender, {@link #close()} lets the round in progress
 * finish and settle, then stops it.
 *
 * @param <T> the service's message, which knows when it is due
 */
public final class Outbox<T> implements AutoCloseable {

    /** The service's side of an outbox: how its messages are kept, ordered and delivered. */
    public interface Courier<T> {

        byte[] encode(T message);

        T decode(byte[] stored);

        /** When the message's next attempt may be made, epoch milliseconds (0: at once). */
        long dueAt(T message);

        /**
         * The ordered lane the message belongs to, or null (the default) when it may go
         * independently of every other message.
         */
        default String lane(T message) {
            return null;
        }

        /**
         * Makes one attempt at {@code message} and settles it: returns null once it needs nothing
         * more (delivered, or given up), or the message to keep in its place — its next attempt
         * (due later) or what goes to its dead-letter target instead. Should not throw: a message
         * whose attempt throws is kept as it was and tried again shortly.
         *
         * @param now the time of this round, epoch milliseconds
         */
        T deliver(T message, long now);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    /** How many due messages one round delivers at most. */
    private static final int BATCH = 256;
    /**
     * How many messages one round looks at: more than it delivers, so messages waiting for a retry
     * (an endpoint that keeps failing) do not hold back newer ones that are due.
     */
    private static final int LOOK_AHEAD = 4096;
    /** How often the outbox is looked at without a wake-up: a safety net, every add wakes it. */
    private static final Duration IDLE_LOOK = Duration.ofSeconds(5);
    /** How often the clock is looked at while a message waits: a test clock can jump. */
    private static final Duration TICK = Duration.ofMillis(200);
    /** How long {@link #close()} lets the round in progress finish. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final Store store;
    private final String keyspace;
    private final Clock clock;
    private final Courier<T> courier;
    private final AtomicLong sequence;
    private final ExecutorService attempts;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean closed;
    private Thread sender;

    /**
     * @param name names the outbox's threads and log lines, e.g. {@code sns-delivery}
     * @param keyspace the keyspace holding the messages, the outbox's alone
     * @param clock the time messages fall due by
     */
    public Outbox(String name, Store store, String keyspace, Clock clock, Courier<T> courier) {
        this.name = requireNonNull(name, "name is null");
        this.store = requireNonNull(store, "store is null");
        this.keyspace = requireNonNull(keyspace, "keyspace is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.courier = requireNonNull(courier, "courier is null");
        this.sequence = new AtomicLong(Math.max(System.currentTimeMillis() * 1_000, lastSequence()));
        this.attempts = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-", 0).factory());
    }

    /** The highest sequence a stored message has, so messages added after a restart go behind it. */
    private long lastSequence() {
        try (Scan scan = store.scan(keyspace, KeyRange.all(), true)) {
            return scan.hasNext() && Key.decode(scan.next().key()).getFirst() instanceof Long last ? last : 0;
        }
    }

    /** Adds {@code message} in {@code txn}, behind every message added before; call {@link #wake()} once it committed. */
    public void add(Transaction txn, T message) {
        requireNonNull(message, "message is null");
        txn.put(keyspace, Key.builder().add(sequence.incrementAndGet()).build(), courier.encode(message));
    }

    /** Tells the sender that messages were added. */
    public void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /** Starts sending what the outbox holds, messages of earlier runs included. */
    public void start() {
        sender = Thread.ofVirtual().name(name + "-sender").start(this::sendLoop);
    }

    private void sendLoop() {
        while (!closed) {
            long wait;
            try {
                wait = round();
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("{}: a round failed, trying again shortly", name, e);
                wait = 1000;
            }
            if (wait == 0) {
                continue;
            }
            try {
                wakeUps.tryAcquire(wait, TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A stored message and its key. */
    private record Stored<T>(byte[] key, T message) {}

    /**
     * Delivers the due messages, lane by lane, and settles them in one transaction.
     *
     * @return milliseconds to wait before the next round, 0 to go on at once
     */
    long round() {
        long now = clock.millis();
        long nextDue = Long.MAX_VALUE;
        Map<Object, List<Stored<T>>> lanes = new LinkedHashMap<>();
        Set<String> heldBack = new HashSet<>();
        List<byte[]> unreadable = new ArrayList<>();
        int due = 0;
        try (Scan scan = store.scan(keyspace, KeyRange.all())) {
            for (int seen = 0; scan.hasNext() && seen < LOOK_AHEAD && due < BATCH; seen++) {
                Entry entry = scan.next();
                T message;
                try {
                    message = courier.decode(entry.value());
                } catch (RuntimeException e) {
                    LOG.error("{}: dropped a stored message that cannot be read", name, e);
                    unreadable.add(entry.key());
                    continue;
                }
                String lane = courier.lane(message);
                long dueAt = courier.dueAt(message);
                if (dueAt > now) {
                    nextDue = Math.min(nextDue, dueAt);
                    if (lane != null) {
                        heldBack.add(lane);
                    }
                } else if (lane == null || !heldBack.contains(lane)) {
                    due++;
                    lanes.computeIfAbsent(lane == null ? new Object() : lane, k -> new ArrayList<>()).add(new Stored<>(entry.key(), message));
                }
            }
        }
        if (lanes.isEmpty()) {
            settle(Map.of(), unreadable);
            return nextDue == Long.MAX_VALUE ? IDLE_LOOK.toMillis() : Math.clamp(nextDue - now, 1, TICK.toMillis());
        }
        List<Future<Lane<T>>> running = new ArrayList<>();
        for (List<Stored<T>> lane : lanes.values()) {
            running.add(attempts.submit(() -> deliverLane(lane, now)));
        }
        Map<Stored<T>, T> outcomes = new LinkedHashMap<>();
        boolean failed = false;
        for (Future<Lane<T>> lane : running) {
            try {
                outcomes.putAll(lane.get().outcomes());
                failed |= lane.get().failed();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return IDLE_LOOK.toMillis();
            } catch (ExecutionException e) {
                throw new IllegalStateException(name + ": a lane failed", e.getCause());
            }
        }
        settle(outcomes, unreadable);
        return failed ? TICK.toMillis() : 0;
    }

    /** What became of a lane's messages, and whether an attempt threw (its message and the rest of the lane stay as they were). */
    private record Lane<T>(Map<Stored<T>, T> outcomes, boolean failed) {}

    /** Attempts a lane's messages in order; one kept to wait for a later attempt holds back the rest. */
    private Lane<T> deliverLane(List<Stored<T>> lane, long now) {
        Map<Stored<T>, T> outcomes = new LinkedHashMap<>();
        for (Stored<T> stored : lane) {
            T kept;
            try {
                kept = courier.deliver(stored.message(), now);
            } catch (RuntimeException e) {
                LOG.warn("{}: an attempt failed; its message is tried again shortly", name, e);
                return new Lane<>(outcomes, true);
            }
            outcomes.put(stored, kept);
            if (kept != null && courier.dueAt(kept) > now) {
                break;
            }
        }
        return new Lane<>(outcomes, false);
    }

    private void settle(Map<Stored<T>, T> outcomes, List<byte[]> unreadable) {
        if (outcomes.isEmpty() && unreadable.isEmpty()) {
            return;
        }
        store.transaction(txn -> {
            outcomes.forEach((stored, kept) -> {
                if (kept == null) {
                    txn.delete(keyspace, stored.key());
                } else {
                    txn.put(keyspace, stored.key(), courier.encode(kept));
                }
            });
            unreadable.forEach(key -> txn.delete(keyspace, key));
            return null;
        });
    }

    @Override
    public void close() {
        closed = true;
        if (sender != null) {
            // A round in progress finishes and settles what it delivered, so a graceful stop
            // delivers nothing twice; one that takes too long is interrupted.
            wake();
            try {
                if (!sender.join(CLOSE_WAIT)) {
                    sender.interrupt();
                    sender.join(Duration.ofSeconds(2));
                }
            } catch (InterruptedException e) {
                sender.interrupt();
                Thread.currentThread().interrupt();
            }
        }
        attempts.shutdown();
        try {
            if (!attempts.awaitTermination(2, TimeUnit.SECONDS)) {
                attempts.shutdownNow();
            }
        } catch (InterruptedException e) {
            attempts.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
