package io.stratus.storage;

import java.util.List;

/** Hears about commits to one keyspace; see {@link Store#addListener} for when and on which thread. */
@FunctionalInterface
public interface ChangeListener {

    /**
     * Called once per commit with that commit's changes to the listened keyspace: one per key, in key
     * order. The list and its arrays must not be modified.
     */
    void onCommit(List<Change> changes);
}
