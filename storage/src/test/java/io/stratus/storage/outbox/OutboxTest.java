package io.stratus.storage.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig.Durability;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.MemoryStore;
import io.stratus.storage.RocksDbStore;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

    private static final String KEYSPACE = "test.outbox";

    /** A message: its text, its lane (or null), how often it failed, and when it is due. */
    record Note(String text, String lane, int failures, long dueAt) {

        static Note of(String text) {
            return new Note(text, null, 0, 0);
        }

        static Note inLane(String text, String lane) {
            return new Note(text, lane, 0, 0);
        }

        Note failedUntil(long at) {
            return new Note(text, lane, failures + 1, at);
        }

        String encoded() {
            return text + "|" + (lane == null ? "" : lane) + "|" + failures + "|" + dueAt;
        }

        static Note parse(String stored) {
            String[] parts = stored.split("\\|", -1);
            return new Note(parts[0], parts[1].isEmpty() ? null : parts[1], Integer.parseInt(parts[2]), Long.parseLong(parts[3]));
        }
    }

    /** Records each attempt and settles it as {@code outcome} says. */
    static final class Recorder implements Outbox.Courier<Note> {

        final List<String> attempts = new CopyOnWriteArrayList<>();
        final BiFunction<Note, Long, Note> outcome;

        Recorder(BiFunction<Note, Long, Note> outcome) {
            this.outcome = outcome;
        }

        @Override
        public byte[] encode(Note message) {
            return message.encoded().getBytes(UTF_8);
        }

        @Override
        public Note decode(byte[] stored) {
            return Note.parse(new String(stored, UTF_8));
        }

        @Override
        public long dueAt(Note message) {
            return message.dueAt();
        }

        @Override
        public String lane(Note message) {
            return message.lane();
        }

        @Override
        public Note deliver(Note message, long now) {
            attempts.add(message.text());
            return outcome.apply(message, now);
        }
    }

    private final MutableClock clock = new MutableClock();

    @Test
    void deliversWhatCommittedAndRemovesItOnceSettled() {
        Store store = new MemoryStore();
        Recorder courier = new Recorder((note, now) -> null);
        Outbox<Note> outbox = new Outbox<>("test", store, KEYSPACE, clock, courier);
        store.transaction(txn -> {
            outbox.add(txn, Note.of("a"));
            outbox.add(txn, Note.of("b"));
            return null;
        });

        assertThat(outbox.round()).isZero();
        assertThat(courier.attempts).containsExactlyInAnyOrder("a", "b");
        assertThat(stored(store)).isEmpty();
        assertThat(outbox.round()).as("nothing left: idle").isGreaterThan(1000);
    }

    @Test
    void aMessageKeptForLaterIsTriedAgainWhenDueAndNotBefore() {
        Store store = new MemoryStore();
        Recorder courier = new Recorder((note, now) -> note.failures() < 2 ? note.failedUntil(now + 1_000) : null);
        Outbox<Note> outbox = new Outbox<>("test", store, KEYSPACE, clock, courier);
        store.transaction(txn -> {
            outbox.add(txn, Note.of("a"));
            return null;
        });

        outbox.round();
        assertThat(stored(store)).containsExactly(new Note("a", null, 1, clock.millis() + 1_000));
        assertThat(outbox.round()).as("waits, looking at the clock now and then").isBetween(1L, 200L);
        assertThat(courier.attempts).containsExactly("a");

        clock.advance(1_000);
        outbox.round();
        clock.advance(1_000);
        outbox.round();
        assertThat(courier.attempts).containsExactly("a", "a", "a");
        assertThat(stored(store)).isEmpty();
    }

    @Test
    void aLaneGoesInOrderAndAWaitingMessageHoldsBackTheRestOfItsLaneOnly() {
        Store store = new MemoryStore();
        Recorder courier = new Recorder((note, now) -> note.text().equals("x1") && note.failures() == 0 ? note.failedUntil(now + 1_000) : null);
        Outbox<Note> outbox = new Outbox<>("test", store, KEYSPACE, clock, courier);
        store.transaction(txn -> {
            outbox.add(txn, Note.inLane("x1", "x"));
            outbox.add(txn, Note.inLane("x2", "x"));
            outbox.add(txn, Note.inLane("y1", "y"));
            outbox.add(txn, Note.inLane("y2", "y"));
            outbox.add(txn, Note.of("z"));
            return null;
        });

        outbox.round();
        assertThat(courier.attempts).containsExactlyInAnyOrder("x1", "y1", "y2", "z");
        assertThat(courier.attempts.indexOf("y1")).isLessThan(courier.attempts.indexOf("y2"));
        outbox.round();
        assertThat(courier.attempts).as("x2 waits behind x1").doesNotContain("x2");

        clock.advance(1_000);
        outbox.round();
        assertThat(courier.attempts.subList(4, 6)).containsExactly("x1", "x2");
        assertThat(stored(store)).isEmpty();
    }

    @Test
    void aMessageKeptDueNowIsAttemptedInTheNextRound() {
        Store store = new MemoryStore();
        // "a" fails for good: it goes to its dead-letter target instead, at once.
        Recorder courier = new Recorder((note, now) -> note.text().equals("a") ? new Note("dead-letter of a", null, 0, now) : null);
        Outbox<Note> outbox = new Outbox<>("test", store, KEYSPACE, clock, courier);
        store.transaction(txn -> {
            outbox.add(txn, Note.of("a"));
            return null;
        });

        assertThat(outbox.round()).isZero();
        outbox.round();
        assertThat(courier.attempts).containsExactly("a", "dead-letter of a");
        assertThat(stored(store)).isEmpty();
    }

    @Test
    void anAttemptThatThrowsKeepsItsMessageForALaterRound() {
        Store store = new MemoryStore();
        Recorder courier = new Recorder((note, now) -> {
            throw new IllegalStateException("a bug");
        });
        Outbox<Note> outbox = new Outbox<>("test", store, KEYSPACE, clock, courier);
        store.transaction(txn -> {
            outbox.add(txn, Note.of("a"));
            return null;
        });

        assertThat(outbox.round()).as("not at once: no busy loop").isPositive();
        assertThat(stored(store)).containsExactly(Note.of("a"));
    }

    @Test
    void whatALaneDeliveredBeforeAnAttemptThrewIsSettled() {
        Store store = new MemoryStore();
        Recorder courier = new Recorder((note, now) -> {
            if (note.text().equals("x2")) {
                throw new IllegalStateException("a bug");
            }
            return null;
        });
        Outbox<Note> outbox = new Outbox<>("test", store, KEYSPACE, clock, courier);
        store.transaction(txn -> {
            outbox.add(txn, Note.inLane("x1", "x"));
            outbox.add(txn, Note.inLane("x2", "x"));
            outbox.add(txn, Note.inLane("x3", "x"));
            return null;
        });

        assertThat(outbox.round()).isPositive();
        assertThat(courier.attempts).containsExactly("x1", "x2");
        assertThat(stored(store)).containsExactly(Note.inLane("x2", "x"), Note.inLane("x3", "x"));
    }

    @Test
    void aStoredMessageThatCannotBeReadIsDropped() {
        Store store = new MemoryStore();
        store.put(KEYSPACE, Key.builder().add(1L).build(), "not|a|note".getBytes(UTF_8));
        Recorder courier = new Recorder((note, now) -> null);
        Outbox<Note> outbox = new Outbox<>("test", store, KEYSPACE, clock, courier);

        outbox.round();
        assertThat(courier.attempts).isEmpty();
        assertThat(stored(store)).isEmpty();
    }

    @Test
    void messagesOfAnEarlierRunAreSentAndNewOnesGoBehindThem(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (Store store = RocksDbStore.open(data, Durability.STRICT)) {
            Outbox<Note> outbox = new Outbox<>("test", store, KEYSPACE, clock, new Recorder((note, now) -> null));
            store.transaction(txn -> {
                outbox.add(txn, Note.inLane("first", "l"));
                return null;
            });
            outbox.close(); // never started: nothing sent
        }
        try (Store store = RocksDbStore.open(data, Durability.STRICT)) {
            Recorder courier = new Recorder((note, now) -> null);
            // A clock far behind the earlier run's: new messages must still sort after the old ones.
            Outbox<Note> outbox = new Outbox<>("test", store, KEYSPACE, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), courier);
            store.transaction(txn -> {
                outbox.add(txn, Note.inLane("second", "l"));
                return null;
            });
            outbox.start();
            outbox.wake();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (courier.attempts.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            outbox.close();
            assertThat(courier.attempts).containsExactly("first", "second");
            assertThat(stored(store)).isEmpty();
        }
    }

    private static List<Note> stored(Store store) {
        List<Note> notes = new ArrayList<>();
        try (Scan scan = store.scan(KEYSPACE, KeyRange.all())) {
            while (scan.hasNext()) {
                notes.add(Note.parse(new String(scan.next().value(), UTF_8)));
            }
        }
        return notes;
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {

        private volatile long millis = 1_700_000_000_000L;

        void advance(long by) {
            millis += by;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
