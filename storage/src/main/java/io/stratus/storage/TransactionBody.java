package io.stratus.storage;

/**
 * The work of one {@link Store#transaction} attempt. It may run several times, each time in a fresh
 * transaction, so it must touch nothing but the transaction it is given.
 */
@FunctionalInterface
public interface TransactionBody<T> {

    T run(Transaction txn);
}
