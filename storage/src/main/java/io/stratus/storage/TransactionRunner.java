package io.stratus.storage;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs {@link Store#transaction} bodies: optimistically first, then, for a body that keeps
 * conflicting, exclusively.
 *
 * <p>Optimistic retries alone can starve a writer of a hot key: on a store that syncs each commit,
 * every transaction that reads the key while another commit is syncing is doomed, and the same
 * writer can lose many rounds in a row. So after {@link #OPTIMISTIC_ATTEMPTS} conflicts a body takes
 * a fair lock and keeps it for its remaining attempts, and optimistic attempts wait while anyone
 * holds it. The holder then only races writes made outside this runner (single puts, transactions
 * begun by hand) and the few attempts already under way, and waiting writers are served in order.
 * This is the fallback lock of lock elision; uncontended transactions never touch it.
 *
 * <p>Thread-safe.
 */
final class TransactionRunner {

    static final int OPTIMISTIC_ATTEMPTS = 4;

    private final Supplier<Transaction> begin;
    private final ReentrantLock exclusive = new ReentrantLock(true);

    /** @param begin begins a transaction on the store this runner serves */
    TransactionRunner(Supplier<Transaction> begin) {
        this.begin = requireNonNull(begin, "begin is null");
    }

    <T> T run(TransactionBody<T> body) {
        requireNonNull(body, "body is null");
        for (int attempt = 1; attempt <= OPTIMISTIC_ATTEMPTS; attempt++) {
            awaitNoExclusiveAttempt();
            try {
                return attempt(body);
            }
            catch (StoreConflictException e) {
                pause(attempt);
            }
        }
        exclusive.lock();
        try {
            for (int attempt = OPTIMISTIC_ATTEMPTS + 1; ; attempt++) {
                try {
                    return attempt(body);
                }
                catch (StoreConflictException e) {
                    if (attempt >= Store.MAX_TRANSACTION_ATTEMPTS) {
                        throw new StoreConflictException("transaction still conflicted after " + attempt + " attempts", e);
                    }
                    pause(attempt);
                }
            }
        }
        finally {
            exclusive.unlock();
        }
    }

    private <T> T attempt(TransactionBody<T> body) {
        try (Transaction txn = begin.get()) {
            T result = body.run(txn);
            txn.commit();
            return result;
        }
    }

    private void awaitNoExclusiveAttempt() {
        // A nested call from inside an exclusive body must not wait for itself.
        if (exclusive.isLocked() && !exclusive.isHeldByCurrentThread()) {
            exclusive.lock();
            exclusive.unlock();
        }
    }

    /**
     * Waits a random time below a bound that doubles with each attempt (100 µs, 200 µs, … up to
     * about 25 ms), so writers that collided do not collide again in lockstep.
     */
    private static void pause(int attempt) {
        long boundNanos = 100_000L << Math.min(attempt - 1, 8);
        try {
            Thread.sleep(Duration.ofNanos(1 + ThreadLocalRandom.current().nextLong(boundNanos)));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to retry a conflicting transaction", e);
        }
    }
}
