package io.stratus.storage;

import static io.stratus.storage.Bytes.b;
import static io.stratus.storage.Bytes.drain;
import static io.stratus.storage.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The transaction half of {@link StoreContractTest}, which runs these cases on every store. */
interface TransactionContract {

    String KS = "items";

    /** The fresh store of the running test. */
    Store store();

    @Test
    default void transactionWritesBecomeVisibleTogetherOnCommit() {
        try (Transaction txn = store().beginTransaction()) {
            txn.put(KS, b("x"), b("1"));
            txn.put("other", b("y"), b("2"));
            assertThat(store().get(KS, b("x"))).isNull();
            txn.commit();
        }
        assertThat(s(store().get(KS, b("x")))).isEqualTo("1");
        assertThat(s(store().get("other", b("y")))).isEqualTo("2");
    }

    @Test
    default void transactionSeesItsOwnWritesInGetsAndScans() {
        for (String k : List.of("a", "b", "c", "d")) {
            store().put(KS, b(k), b("store"));
        }
        try (Transaction txn = store().beginTransaction()) {
            txn.put(KS, b("b"), b("txn"));
            txn.delete(KS, b("c"));
            txn.put(KS, b("e"), b("txn"));
            txn.put(KS, b("0"), b("txn"));
            assertThat(s(txn.get(KS, b("b")))).isEqualTo("txn");
            assertThat(txn.get(KS, b("c"))).isNull();
            assertThat(drain(txn.scan(KS, KeyRange.all()))).containsExactly("0=txn", "a=store", "b=txn", "d=store", "e=txn");
            assertThat(drain(txn.scan(KS, KeyRange.all(), true))).containsExactly("e=txn", "d=store", "b=txn", "a=store", "0=txn");
            assertThat(drain(txn.scan(KS, new KeyRange(b("b"), b("e")), true))).containsExactly("d=store", "b=txn");
        }
        assertThat(s(store().get(KS, b("b")))).isEqualTo("store");
        assertThat(store().get(KS, b("e"))).isNull();
    }

    @Test
    default void transactionReadsTheStoreAsOfItsStart() {
        store().put(KS, b("k"), b("before"));
        try (Transaction txn = store().beginTransaction()) {
            store().put(KS, b("k"), b("after"));
            store().put(KS, b("new"), b("after"));
            assertThat(s(txn.get(KS, b("k")))).isEqualTo("before");
            assertThat(drain(txn.scan(KS, KeyRange.all()))).containsExactly("k=before");
        }
    }

    @Test
    default void closingATransactionWithoutCommitDiscardsIt() {
        try (Transaction txn = store().beginTransaction()) {
            txn.put(KS, b("k"), b("v"));
        }
        assertThat(store().get(KS, b("k"))).isNull();
    }

    @Test
    default void secondOfTwoReadModifyWritesOfOneKeyConflicts() {
        store().put(KS, b("counter"), b("0"));
        try (Transaction first = store().beginTransaction(); Transaction second = store().beginTransaction()) {
            first.put(KS, b("counter"), b(Integer.parseInt(s(first.get(KS, b("counter")))) + 1 + ""));
            second.put(KS, b("counter"), b(Integer.parseInt(s(second.get(KS, b("counter")))) + 1 + ""));
            first.commit();
            assertThatThrownBy(second::commit).isInstanceOf(StoreConflictException.class);
        }
        assertThat(s(store().get(KS, b("counter")))).isEqualTo("1");
    }

    @Test
    default void commitConflictsWhenAKeyItOnlyReadWasChanged() {
        store().put(KS, b("read"), b("1"));
        try (Transaction txn = store().beginTransaction()) {
            txn.get(KS, b("read"));
            txn.get(KS, b("absent"));
            store().put(KS, b("absent"), b("now-present"));
            txn.put(KS, b("written"), b("x"));
            assertThatThrownBy(txn::commit).isInstanceOf(StoreConflictException.class);
        }
        assertThat(store().get(KS, b("written"))).isNull();
    }

    @Test
    default void commitConflictsWhenAKeyItBlindlyWroteWasChanged() {
        try (Transaction txn = store().beginTransaction()) {
            txn.put(KS, b("k"), b("txn"));
            store().put(KS, b("k"), b("other"));
            assertThatThrownBy(txn::commit).isInstanceOf(StoreConflictException.class);
        }
        assertThat(s(store().get(KS, b("k")))).isEqualTo("other");
    }

    @Test
    default void commitConflictsWhenAKeyItScannedWasChanged() {
        store().put(KS, b("a"), b("1"));
        store().put(KS, b("b"), b("1"));
        try (Transaction txn = store().beginTransaction()) {
            assertThat(drain(txn.scan(KS, KeyRange.all()))).hasSize(2);
            store().delete(KS, b("b"));
            txn.put(KS, b("summary"), b("2"));
            assertThatThrownBy(txn::commit).isInstanceOf(StoreConflictException.class);
        }
    }

    @Test
    default void transactionsOnDisjointKeysBothCommit() {
        try (Transaction first = store().beginTransaction(); Transaction second = store().beginTransaction()) {
            first.get(KS, b("a"));
            first.put(KS, b("a"), b("1"));
            second.get(KS, b("b"));
            second.put(KS, b("b"), b("2"));
            first.commit();
            second.commit();
        }
        assertThat(drain(store().scan(KS, KeyRange.all()))).containsExactly("a=1", "b=2");
    }

    @Test
    default void committedOrClosedTransactionRefusesFurtherUse() {
        Transaction txn = store().beginTransaction();
        txn.put(KS, b("k"), b("v"));
        Scan scan = txn.scan(KS, KeyRange.all());
        txn.commit();
        assertThatThrownBy(() -> txn.get(KS, b("k"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(txn::commit).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(scan::hasNext).isInstanceOf(IllegalStateException.class);
        txn.close();
    }

    @Test
    default void transactionReturnsTheBodysResultAndDiscardsOnException() {
        String result = store().transaction(txn -> {
            txn.put(KS, b("k"), b("v"));
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThatThrownBy(() -> store().transaction(txn -> {
            txn.put(KS, b("k"), b("changed"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(s(store().get(KS, b("k")))).isEqualTo("v");
    }

    @Test
    default void transactionGivesUpAfterTheLastConflictingAttempt() {
        var attempts = new AtomicInteger();
        assertThatThrownBy(() -> store().transaction(txn -> {
            attempts.incrementAndGet();
            txn.get(KS, b("hot"));
            store().put(KS, b("hot"), b("changed-behind-its-back"));
            txn.put(KS, b("hot"), b("txn"));
            return null;
        })).isInstanceOf(StoreConflictException.class).hasMessageContaining("16 attempts");
        assertThat(attempts.get()).isEqualTo(Store.MAX_TRANSACTION_ATTEMPTS);
    }

    @Test
    default void concurrentRetryingIncrementsLoseNoUpdate() throws Exception {
        int threads = 8;
        int increments = 200;
        store().put(KS, b("counter"), b("0"));
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < increments; i++) {
                        store().transaction(txn -> {
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
        assertThat(s(store().get(KS, b("counter")))).isEqualTo(String.valueOf(threads * increments));
    }
}
