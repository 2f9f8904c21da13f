package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.PeriodicTask;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies buckets' {@link Lifecycle} rules by the injected clock, when the service starts and then
 * every interval: expired current objects are deleted (a delete marker in a versioned bucket),
 * expired noncurrent versions and lone delete markers removed, current objects and noncurrent
 * versions whose transition has come moved to its storage class, stale multipart uploads aborted;
 * and completed multipart uploads' answers kept for a retried completion are forgotten once old
 * ({@link MultipartOperations#COMPLETION_KEPT}). Each removal is an ordinary delete in its own transaction, so a write racing the sweep wins or
 * loses as any two requests would. Thread-safe.
 */
final class LifecycleWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleWorker.class);

    private final Store store;
    private final ObjectOperations objects;
    private final MultipartOperations multipart;
    private final Clock clock;
    private final Duration interval;
    private final PeriodicTask task = new PeriodicTask("s3-lifecycle", this::sweep, e -> LOG.warn("S3 lifecycle sweep failed; the next one retries", e));

    LifecycleWorker(Store store, ObjectOperations objects, MultipartOperations multipart, Clock clock, Duration interval) {
        this.store = requireNonNull(store, "store is null");
        this.objects = requireNonNull(objects, "objects is null");
        this.multipart = requireNonNull(multipart, "multipart is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.interval = requireNonNull(interval, "interval is null");
    }

    void start() {
        task.start(Duration.ZERO, interval);
    }

    /** One pass over every bucket with a lifecycle configuration; also forgets old multipart completions. */
    void sweep() {
        multipart.forgetOldCompletions();
        Instant now = clock.instant();
        for (String name : BucketStore.configured(store, LifecycleOperations.SUBRESOURCE)) {
            Bucket bucket = BucketStore.read(store, name);
            byte[] document = store.get(BucketStore.CONFIG, Key.builder().add(name).add(LifecycleOperations.SUBRESOURCE).build());
            if (bucket == null || document == null || task.isClosed()) {
                continue;
            }
            RequestContext context = new RequestContext("lifecycle-" + io.stratus.core.Ids.requestId(), bucket.account(), bucket.region(), null,
                    Principal.root(bucket.account()), now);
            try {
                for (Lifecycle.Rule rule : Lifecycle.parse(document).rules()) {
                    if (rule.enabled()) {
                        apply(context, bucket, rule, now);
                    }
                }
            } catch (RuntimeException e) {
                // One bucket's failure keeps the others' rules from waiting for it.
                LOG.warn("S3 lifecycle rules of bucket {} failed; the next sweep retries", name, e);
            }
        }
    }

    private void apply(RequestContext context, Bucket bucket, Lifecycle.Rule rule, Instant now) {
        if (rule.expirationDays() != null || rule.expirationDate() != null) {
            for (StoredObject object : current(bucket.name(), rule.prefix())) {
                Instant expiry = rule.expiry(object.lastModifiedMillis());
                if (!object.deleteMarker() && rule.selects(object) && !expiry.isAfter(now)) {
                    objects.expire(context, bucket.name(), object.key(), null);
                }
            }
        }
        if (!rule.transitions().isEmpty()) {
            for (StoredObject object : current(bucket.name(), rule.prefix())) {
                String target = object.deleteMarker() || !rule.selects(object) ? null
                        : rule.transitionedClass(object, object.lastModifiedMillis(), now, -1);
                if (target != null) {
                    objects.transition(context, bucket.name(), object, target);
                }
            }
        }
        if (bucket.versioning() != null && (rule.noncurrentDays() != null || rule.expiredObjectDeleteMarker()
                || !rule.noncurrentTransitions().isEmpty())) {
            for (List<StoredObject> versions : versionsByKey(bucket.name(), rule.prefix())) {
                expireVersions(context, bucket, rule, versions, now);
            }
        }
        if (rule.abortAfterDays() != null) {
            multipart.abortBegunBefore(bucket.name(), rule.prefix(),
                    initiated -> !Lifecycle.afterDays(initiated, rule.abortAfterDays()).isAfter(now));
        }
    }

    /**
     * A key's versions, newest first: each older one became noncurrent when the one before it was
     * written. Expires the noncurrent ones whose time has come, moves the others whose transition has.
     */
    private void expireVersions(RequestContext context, Bucket bucket, Lifecycle.Rule rule, List<StoredObject> versions, Instant now) {
        for (int i = 1; i < versions.size(); i++) {
            StoredObject version = versions.get(i);
            long noncurrentSince = versions.get(i - 1).lastModifiedMillis();
            // Newest first: i - 1 noncurrent versions are newer than this one.
            boolean expired = rule.noncurrentDays() != null && !Lifecycle.afterDays(noncurrentSince, rule.noncurrentDays()).isAfter(now)
                    && (rule.newerNoncurrentVersions() == null || i - 1 >= rule.newerNoncurrentVersions());
            if (expired && (version.deleteMarker() || rule.selects(version))) {
                expireVersion(context, bucket, version, now);
            } else if (!version.deleteMarker() && rule.selects(version)) {
                String target = rule.transitionedClass(version, noncurrentSince, now, i - 1);
                if (target != null) {
                    objects.transition(context, bucket.name(), version, target);
                }
            }
        }
        if (rule.expiredObjectDeleteMarker() && versions.size() == 1 && versions.getFirst().deleteMarker()) {
            StoredObject marker = versions.getFirst();
            objects.expire(context, bucket.name(), marker.key(), marker.versionId() == null ? Versions.NULL : marker.versionId());
        }
    }

    /** Removes a noncurrent version, unless Object Lock keeps it (as S3's lifecycle leaves it). */
    private void expireVersion(RequestContext context, Bucket bucket, StoredObject version, Instant now) {
        if (version.lock() != null && version.lock().protects(now.toEpochMilli(), false)) {
            return;
        }
        try {
            objects.expire(context, bucket.name(), version.key(), version.versionId() == null ? Versions.NULL : version.versionId());
        } catch (io.stratus.core.AwsException e) {
            if (e.errorCode() != S3Errors.ACCESS_DENIED) {
                throw e;
            }
            // Locked since it was listed: kept.
        }
    }

    private List<StoredObject> current(String bucket, String prefix) {
        List<StoredObject> found = new ArrayList<>();
        try (Scan scan = store.scan(ObjectStore.OBJECTS, ObjectStore.prefixRange(bucket, prefix))) {
            while (scan.hasNext() && !task.isClosed()) {
                found.add(S3Json.decode(scan.next().value(), StoredObject.class));
            }
        }
        return found;
    }

    private List<List<StoredObject>> versionsByKey(String bucket, String prefix) {
        List<List<StoredObject>> keys = new ArrayList<>();
        try (Scan scan = store.scan(Versions.VERSIONS, KeyRange.prefix(Key.builder().add(bucket).buildPrefix(prefix)))) {
            String lastKey = null;
            while (scan.hasNext() && !task.isClosed()) {
                Entry entry = scan.next();
                StoredObject version = S3Json.decode(entry.value(), StoredObject.class);
                if (!version.key().equals(lastKey)) {
                    keys.add(new ArrayList<>());
                    lastKey = version.key();
                }
                keys.getLast().add(version);
            }
        }
        return keys;
    }

    @Override
    public void close() {
        task.close();
    }
}
