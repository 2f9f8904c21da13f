package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.storage.Store;
import io.stratus.storage.Transaction;
import io.stratus.storage.outbox.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates new versions as their bucket's {@link BucketReplication} rules say: a write that a
 * rule selects is staged in the write's own transaction (an {@link Outbox}, so an acknowledged
 * write is replicated even across a crash) and its version marked {@code PENDING}; the sender then
 * copies the version — its body, metadata, tags, version id and time — into the destination bucket
 * as a {@code REPLICA} (a delete marker as a delete marker), and marks the source {@code COMPLETED},
 * or {@code FAILED} when the destination is gone or no longer versioned. Replicas are not
 * replicated again. A key's versions replicate in the order they were written. Thread-safe.
 */
final class Replicator implements Outbox.Courier<Replicator.Task>, AutoCloseable {

    static final String OUTBOX = "s3.replication";
    static final String PENDING = "PENDING";
    static final String COMPLETED = "COMPLETED";
    static final String FAILED = "FAILED";
    static final String REPLICA = "REPLICA";
    private static final int MAX_ATTEMPTS = 8;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

    /**
     * One version to replicate, or whose new tags to replicate ({@code tagsOnly}).
     *
     * @param storageClass the class the rule names for replicas, or null for the source's
     */
    record Task(String bucket, String key, String versionId, String destination, String storageClass, int attempts, long notBefore,
            boolean tagsOnly) {

        Task retried(long at) {
            return new Task(bucket, key, versionId, destination, storageClass, attempts + 1, at, tagsOnly);
        }
    }

    private final Store store;
    private final BodyStore bodies;
    private final BucketLocks locks;
    private final Outbox<Task> outbox;

    Replicator(Store store, BodyStore bodies, BucketLocks locks, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.bodies = requireNonNull(bodies, "bodies is null");
        this.locks = requireNonNull(locks, "locks is null");
        this.outbox = new Outbox<>("s3-replication", store, OUTBOX, clock, this);
    }

    /**
     * Stages the replication of a new version of {@code bucket} if one of its rules selects it, in
     * the transaction that writes it; call {@link #wake()} after the commit.
     *
     * @return the version to write: marked {@code PENDING} when it will be replicated
     */
    StoredObject stage(Transaction txn, Bucket bucket, StoredObject version) {
        if (!bucket.versioningEnabled() || REPLICA.equals(version.replicationStatus())) {
            return version;
        }
        BucketReplication replication = ReplicationOperations.read(txn, bucket.name());
        BucketReplication.Rule rule = replication == null ? null : replication.ruleFor(version);
        if (rule == null) {
            return version;
        }
        outbox.add(txn, new Task(bucket.name(), version.key(), version.versionId(), rule.destinationBucket(), rule.storageClass(), 0, 0, false));
        return version.deleteMarker() ? version : version.withReplicationStatus(PENDING);
    }

    /**
     * Stages, in the transaction that changes them, the replication of a replicated version's new
     * tags (its copy gets them, as S3 replicates tag changes); call {@link #wake()} after the commit.
     *
     * @param before the version as it was; {@code after} the same with its new tags
     */
    void stageTags(Transaction txn, Bucket bucket, StoredObject before, StoredObject after) {
        String status = before.replicationStatus();
        if (status == null || status.equals(REPLICA)) {
            return;
        }
        BucketReplication replication = ReplicationOperations.read(txn, bucket.name());
        BucketReplication.Rule rule = replication == null ? null : replication.ruleFor(before);
        if (rule != null) {
            outbox.add(txn, new Task(bucket.name(), after.key(), after.versionId(), rule.destinationBucket(), rule.storageClass(), 0, 0, true));
        }
    }

    void wake() {
        outbox.wake();
    }

    void start() {
        outbox.start();
    }

    @Override
    public void close() {
        outbox.close();
    }

    @Override
    public byte[] encode(Task task) {
        return S3Json.encode(task);
    }

    @Override
    public Task decode(byte[] stored) {
        return S3Json.decode(stored, Task.class);
    }

    @Override
    public long dueAt(Task task) {
        return task.notBefore();
    }

    /** A key's versions replicate in order. */
    @Override
    public String lane(Task task) {
        return task.bucket() + "\n" + task.key();
    }

    @Override
    public Task deliver(Task task, long now) {
        Bucket source = BucketStore.read(store, task.bucket());
        StoredObject version = source == null ? null : Versions.version(store, source, task.key(), task.versionId());
        if (version == null) {
            return null; // deleted since: nothing left to copy
        }
        try {
            Bucket destination = BucketStore.read(store, task.destination());
            if (destination == null || !destination.versioningEnabled()) {
                LOG.warn("S3 could not replicate {}/{} ({}) to {}: the destination bucket is gone or not versioned", task.bucket(), task.key(),
                        task.versionId(), task.destination());
                mark(task, FAILED);
                return null;
            }
            if (task.tagsOnly()) {
                retag(task, version);
                return null;
            }
            copy(task, version);
            if (!version.deleteMarker()) {
                mark(task, COMPLETED);
            }
            return null;
        } catch (RuntimeException e) {
            if (task.attempts() + 1 >= MAX_ATTEMPTS) {
                LOG.warn("S3 gave up replicating {}/{} ({}) to {}", task.bucket(), task.key(), task.versionId(), task.destination(), e);
                mark(task, FAILED);
                return null;
            }
            LOG.debug("S3 will retry replicating {}/{} to {}", task.bucket(), task.key(), task.destination(), e);
            return task.retried(now + (FIRST_RETRY.toMillis() << task.attempts()));
        }
    }

    /** Writes the replica (with a body of its own) into the destination, unless an earlier attempt did. */
    private void copy(Task task, StoredObject version) {
        byte[] inline = null;
        String bodyId = null;
        if (!version.deleteMarker()) {
            if (BodyStore.isInline(version.bodyId())) {
                inline = bodies.inlineBytes(version.bodyId());
                bodyId = BodyStore.newInlineId();
            } else {
                bodyId = bodies.copy(version.bodyId());
            }
        }
        String replicaBody = bodyId;
        byte[] replicaBytes = inline;
        // The versions the replica replaced (a "null" version), or null when an earlier attempt had written it.
        List<StoredObject> replaced;
        try {
            replaced = locks.shared(task.destination(), () -> store.transaction(txn -> {
                Bucket destination = BucketStore.read(txn, task.destination());
                if (destination == null || !destination.versioningEnabled()) {
                    throw new IllegalStateException("the destination bucket " + task.destination() + " is gone or not versioned");
                }
                if (Versions.version(txn, destination, version.key(), version.versionId()) != null) {
                    return null;
                }
                String storageClass = task.storageClass() == null ? version.storageClass() : ObjectKeys.storageClass(task.storageClass());
                StoredObject replica = version.asReplica(replicaBody, storageClass, destination.objectLock() ? version.lock() : null);
                if (replicaBytes != null) {
                    bodies.writeInline(txn, replicaBody, replicaBytes);
                }
                List<StoredObject> dropped = Versions.putReplica(txn, destination, replica);
                bodies.dropInline(txn, dropped);
                return dropped;
            }));
        } catch (RuntimeException e) {
            deleteFile(replicaBody, replicaBytes);
            throw e;
        }
        if (replaced == null) {
            deleteFile(replicaBody, replicaBytes);
            return;
        }
        replaced.stream().map(StoredObject::bodyId).filter(java.util.Objects::nonNull).forEach(bodies::delete);
    }

    /** Removes a copied body file the destination did not take (an inline body went with its transaction). */
    private void deleteFile(String bodyId, byte[] inline) {
        if (bodyId != null && inline == null) {
            bodies.delete(bodyId);
        }
    }

    /** Gives the copy the source version's tags (a copy not made yet gets them when it is). */
    private void retag(Task task, StoredObject version) {
        locks.shared(task.destination(), () -> store.transaction(txn -> {
            Bucket destination = BucketStore.read(txn, task.destination());
            StoredObject copy = destination == null ? null : Versions.version(txn, destination, version.key(), version.versionId());
            if (copy != null && !copy.tags().equals(version.tags())) {
                Versions.rewrite(txn, destination, copy.withTags(version.tags()));
            }
            return null;
        }));
    }

    /** Records on the source version how its replication went. */
    private void mark(Task task, String status) {
        store.transaction(txn -> {
            Bucket source = BucketStore.read(txn, task.bucket());
            StoredObject version = source == null ? null : Versions.version(txn, source, task.key(), task.versionId());
            if (version != null && !version.deleteMarker() && !status.equals(version.replicationStatus())) {
                Versions.rewrite(txn, source, version.withReplicationStatus(status));
            }
            return null;
        });
    }
}
