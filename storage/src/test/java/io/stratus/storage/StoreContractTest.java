package io.stratus.storage;

import static io.stratus.storage.Bytes.b;
import static io.stratus.storage.Bytes.drain;
import static io.stratus.storage.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link Store} must have. Each implementation runs it through a subclass that
 * says how to open a fresh, empty store. The transaction cases live in {@link TransactionContract},
 * which this suite includes.
 */
abstract class StoreContractTest implements TransactionContract {

    protected Store store;

    /** Opens a fresh, empty store; the suite closes it. */
    protected abstract Store openStore();

    @BeforeEach
    void open() {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    public Store store() {
        return store;
    }

    @Test
    void getOfMissingKeyReturnsNull() {
        assertThat(store.get(KS, b("nope"))).isNull();
    }

    @Test
    void putThenGetReturnsACopyOfTheValue() {
        byte[] value = b("v1");
        store.put(KS, b("k"), value);
        value[0] = 'x';
        byte[] read = store.get(KS, b("k"));
        assertThat(s(read)).isEqualTo("v1");
        read[0] = 'y';
        assertThat(s(store.get(KS, b("k")))).isEqualTo("v1");
    }

    @Test
    void putOverwritesAndDeleteRemoves() {
        store.put(KS, b("k"), b("v1"));
        store.put(KS, b("k"), b("v2"));
        assertThat(s(store.get(KS, b("k")))).isEqualTo("v2");
        store.delete(KS, b("k"));
        assertThat(store.get(KS, b("k"))).isNull();
        store.delete(KS, b("never-there"));
        assertThat(drain(store.scan(KS, KeyRange.all()))).isEmpty();
    }

    @Test
    void emptyValueAndEmptyKeyAreStored() {
        store.put(KS, b("k"), new byte[0]);
        store.put(KS, new byte[0], b("for-empty-key"));
        assertThat(store.get(KS, b("k"))).isEmpty();
        assertThat(s(store.get(KS, new byte[0]))).isEqualTo("for-empty-key");
        assertThat(drain(store.scan(KS, KeyRange.all()))).containsExactly("=for-empty-key", "k=");
    }

    @Test
    void keyspacesAreIsolated() {
        store.put("a", b("k"), b("in-a"));
        store.put("b", b("k"), b("in-b"));
        store.put("default", b("k"), b("in-default"));
        assertThat(s(store.get("a", b("k")))).isEqualTo("in-a");
        assertThat(s(store.get("b", b("k")))).isEqualTo("in-b");
        assertThat(s(store.get("default", b("k")))).isEqualTo("in-default");
        store.delete("a", b("k"));
        assertThat(drain(store.scan("b", KeyRange.all()))).containsExactly("k=in-b");
        assertThat(drain(store.scan("never-used", KeyRange.all()))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Upper", "has space", "a/b", "ü", "x:y",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void invalidKeyspaceNamesAreRefused(String name) {
        List<Consumer<String>> uses = List.of(
                ks -> store.get(ks, b("k")),
                ks -> store.put(ks, b("k"), b("v")),
                ks -> store.delete(ks, b("k")),
                ks -> store.scan(ks, KeyRange.all()).close(),
                ks -> store.addListener(ks, changes -> {}),
                ks -> store.transaction(txn -> txn.get(ks, b("k"))),
                ks -> store.transaction(txn -> { txn.put(ks, b("k"), b("v")); return null; }));
        for (var use : uses) {
            assertThatThrownBy(() -> use.accept(name)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyspace");
        }
        assertThatThrownBy(() -> store.get(null, b("k"))).isInstanceOf(NullPointerException.class).hasMessage("keyspace is null");
    }

    @Test
    void longestAndOddButValidKeyspaceNamesWork() {
        String longest = "k".repeat(64);
        for (String name : List.of(longest, "a.b_c-1", "0")) {
            store.put(name, b("k"), b(name));
            assertThat(s(store.get(name, b("k")))).isEqualTo(name);
        }
    }

    @Test
    void scansHonourEveryRangeFormInBothDirections() {
        for (String k : List.of("a", "b", "ba", "bb", "c", "d")) {
            store.put(KS, b(k), b(k.toUpperCase()));
        }
        assertThat(drain(store.scan(KS, KeyRange.all()))).containsExactly("a=A", "b=B", "ba=BA", "bb=BB", "c=C", "d=D");
        assertThat(drain(store.scan(KS, KeyRange.all(), true))).containsExactly("d=D", "c=C", "bb=BB", "ba=BA", "b=B", "a=A");
        assertThat(drain(store.scan(KS, new KeyRange(b("b"), b("c"))))).containsExactly("b=B", "ba=BA", "bb=BB");
        assertThat(drain(store.scan(KS, new KeyRange(b("b"), b("c")), true))).containsExactly("bb=BB", "ba=BA", "b=B");
        assertThat(drain(store.scan(KS, KeyRange.prefix(b("b")), true))).containsExactly("bb=BB", "ba=BA", "b=B");
        assertThat(drain(store.scan(KS, KeyRange.atLeast(b("bb"))))).containsExactly("bb=BB", "c=C", "d=D");
        assertThat(drain(store.scan(KS, KeyRange.atLeast(b("bb")), true))).containsExactly("d=D", "c=C", "bb=BB");
        assertThat(drain(store.scan(KS, KeyRange.before(b("b"))))).containsExactly("a=A");
        assertThat(drain(store.scan(KS, KeyRange.before(b("b")), true))).containsExactly("a=A");
        assertThat(drain(store.scan(KS, new KeyRange(b("bz"), b("bz")), true))).isEmpty();
        assertThat(drain(store.scan(KS, new KeyRange(b("e"), null), true))).isEmpty();
        assertThat(drain(store.scan(KS, KeyRange.before(b("a")), true))).isEmpty();
    }

    @Test
    void scansMatchASortedModelOnRandomKeysAndRanges() {
        var random = new Random(42);
        byte[] alphabet = {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF};
        var model = new TreeMap<byte[], byte[]>(Key.ORDER);
        for (int i = 0; i < 150; i++) {
            byte[] key = randomBytes(random, alphabet, 3);
            if (random.nextInt(5) == 0) {
                store.delete(KS, key);
                model.remove(key);
            }
            else {
                byte[] value = {(byte) i};
                store.put(KS, key, value);
                model.put(key, value);
            }
        }
        for (int i = 0; i < 300; i++) {
            byte[] x = random.nextInt(6) == 0 ? null : randomBytes(random, alphabet, 3);
            byte[] y = random.nextInt(6) == 0 ? null : randomBytes(random, alphabet, 3);
            if (x != null && y != null && Key.ORDER.compare(x, y) > 0) {
                byte[] t = x;
                x = y;
                y = t;
            }
            var range = i % 10 == 0 && x != null ? KeyRange.prefix(x) : new KeyRange(x, y);
            var expected = new ArrayList<String>();
            model.forEach((k, v) -> {
                if (range.contains(k)) {
                    expected.add(Key.toHex(k) + "=" + v[0]);
                }
            });
            assertThat(hexEntries(store.scan(KS, range, false))).as("forward %s", range).isEqualTo(expected);
            Collections.reverse(expected);
            assertThat(hexEntries(store.scan(KS, range, true))).as("reverse %s", range).isEqualTo(expected);
        }
    }

    @Test
    void scanReadsOnePointInTime() {
        for (String k : List.of("a", "b", "c")) {
            store.put(KS, b(k), b("old"));
        }
        try (Scan scan = store.scan(KS, KeyRange.all())) {
            assertThat(s(scan.next().key())).isEqualTo("a");
            store.put(KS, b("b"), b("new"));
            store.delete(KS, b("c"));
            store.put(KS, b("bb"), b("new"));
            var rest = new ArrayList<String>();
            scan.forEachRemaining(e -> rest.add(s(e.key()) + "=" + s(e.value())));
            assertThat(rest).containsExactly("b=old", "c=old");
            assertThat(scan.hasNext()).isFalse();
        }
    }

    @Test
    void snapshotDoesNotSeeLaterWrites() {
        store.put(KS, b("a"), b("1"));
        store.put(KS, b("gone"), b("1"));
        try (Snapshot snapshot = store.snapshot()) {
            store.put(KS, b("a"), b("2"));
            store.put(KS, b("b"), b("2"));
            store.delete(KS, b("gone"));
            store.transaction(txn -> {
                txn.put(KS, b("c"), b("2"));
                return null;
            });
            assertThat(s(snapshot.get(KS, b("a")))).isEqualTo("1");
            assertThat(snapshot.get(KS, b("b"))).isNull();
            assertThat(drain(snapshot.scan(KS, KeyRange.all()))).containsExactly("a=1", "gone=1");
            assertThat(drain(snapshot.scan(KS, KeyRange.all(), true))).containsExactly("gone=1", "a=1");
        }
        assertThat(drain(store.scan(KS, KeyRange.all()))).containsExactly("a=2", "b=2", "c=2");
    }

    @Test
    void snapshotKeepsItsVersionThroughManyOverwrites() {
        store.put(KS, b("k"), b("v0"));
        Snapshot snapshot = store.snapshot();
        for (int i = 1; i <= 500; i++) {
            store.put(KS, b("k"), b("v" + i));
        }
        store.delete(KS, b("k"));
        assertThat(s(snapshot.get(KS, b("k")))).isEqualTo("v0");
        snapshot.close();
        assertThat(store.get(KS, b("k"))).isNull();
        assertThatThrownBy(() -> snapshot.get(KS, b("k"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingASnapshotClosesItsScans() {
        store.put(KS, b("a"), b("1"));
        Snapshot snapshot = store.snapshot();
        Scan scan = snapshot.scan(KS, KeyRange.all());
        snapshot.close();
        assertThatThrownBy(scan::hasNext).isInstanceOf(IllegalStateException.class);
        scan.close();
    }

    @Test
    void snapshotsSeeTransactionsWhole() throws Exception {
        store.put(KS, b("left"), b("100"));
        store.put(KS, b("right"), b("0"));
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<?> mover = pool.submit(() -> {
                for (int i = 0; i < 300; i++) {
                    store.transaction(txn -> {
                        int left = Integer.parseInt(s(txn.get(KS, b("left"))));
                        int right = Integer.parseInt(s(txn.get(KS, b("right"))));
                        int amount = left > 0 ? 1 : -100;
                        txn.put(KS, b("left"), b(String.valueOf(left - amount)));
                        txn.put(KS, b("right"), b(String.valueOf(right + amount)));
                        return null;
                    });
                }
            });
            while (!mover.isDone()) {
                try (Snapshot snapshot = store.snapshot()) {
                    int left = Integer.parseInt(s(snapshot.get(KS, b("left"))));
                    int right = Integer.parseInt(s(snapshot.get(KS, b("right"))));
                    assertThat(left + right).isEqualTo(100);
                    int scanned = drain(snapshot.scan(KS, KeyRange.all())).stream().mapToInt(e -> Integer.parseInt(e.substring(e.indexOf('=') + 1))).sum();
                    assertThat(scanned).isEqualTo(100);
                }
            }
            mover.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void listenersHearEachCommitToTheirKeyspace() {
        var heard = new CopyOnWriteArrayList<String>();
        store.addListener(KS, changes -> heard.add(changes.stream()
                .map(c -> s(c.key()) + (c.isDelete() ? " deleted" : "=" + s(c.value())))
                .toList().toString()));
        store.addListener(KS, changes -> {
            throw new IllegalStateException("a broken listener must not fail the commit");
        });
        store.put(KS, b("a"), b("1"));
        store.put("elsewhere", b("x"), b("1"));
        store.delete(KS, b("a"));
        store.transaction(txn -> {
            txn.put(KS, b("c"), b("3"));
            txn.put(KS, b("b"), b("2"));
            txn.put(KS, b("b"), b("2b"));
            txn.put("elsewhere", b("y"), b("1"));
            return null;
        });
        try (Transaction discarded = store.beginTransaction()) {
            discarded.put(KS, b("never"), b("!"));
        }
        try (Transaction conflicting = store.beginTransaction()) {
            conflicting.put(KS, b("c"), b("conflict"));
            store.put(KS, b("c"), b("4"));
            assertThatThrownBy(conflicting::commit).isInstanceOf(StoreConflictException.class);
        }
        assertThat(heard).containsExactly("[a=1]", "[a deleted]", "[b=2b, c=3]", "[c=4]");
    }

    @Test
    void listenersHearConcurrentCommitsInCommitOrder() throws Exception {
        var heard = new CopyOnWriteArrayList<Integer>();
        store.addListener(KS, changes -> changes.forEach(c -> heard.add(Integer.parseInt(s(c.value())))));
        store.put(KS, b("counter"), b("0"));
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        store.transaction(txn -> {
                            int n = Integer.parseInt(s(txn.get(KS, b("counter"))));
                            txn.put(KS, b("counter"), b(String.valueOf(n + 1)));
                            return null;
                        });
                    }
                }));
            }
            for (var future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        }
        var expected = new ArrayList<Integer>();
        for (int i = 0; i <= 200; i++) {
            expected.add(i);
        }
        assertThat(heard).isEqualTo(expected);
    }

    @Test
    void closedStoreRefusesEverything() {
        store.put(KS, b("a"), b("1"));
        Scan scan = store.scan(KS, KeyRange.all());
        Snapshot snapshot = store.snapshot();
        Transaction txn = store.beginTransaction();
        store.close();
        store.close();
        assertThatThrownBy(() -> store.get(KS, b("a"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.put(KS, b("a"), b("2"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.delete(KS, b("a"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.scan(KS, KeyRange.all())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(store::beginTransaction).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(store::snapshot).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(scan::hasNext).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> snapshot.get(KS, b("a"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(txn::commit).isInstanceOf(IllegalStateException.class);
        scan.close();
        snapshot.close();
        txn.close();
    }

    @Test
    void infoNamesTheEngine() {
        assertThat(store.info().engine()).isIn("memory", "rocksdb");
        assertThat(store.info().description()).startsWith(store.info().engine());
    }

    private static byte[] randomBytes(Random random, byte[] alphabet, int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return bytes;
    }

    private static List<String> hexEntries(Scan scan) {
        try (scan) {
            var entries = new ArrayList<String>();
            scan.forEachRemaining(e -> entries.add(Key.toHex(e.key()) + "=" + e.value()[0]));
            return entries;
        }
    }
}
