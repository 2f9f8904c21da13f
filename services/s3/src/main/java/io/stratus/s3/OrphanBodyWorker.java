package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.storage.Scan;
import io.stratus.storage.Snapshot;
import io.stratus.storage.Store;
import io.stratus.storage.KeyRange;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes body files no record refers to: what a crash between a body's rename and its record's
 * commit leaves behind. The files are listed before the first request is served and the records
 * read afterwards, in the background; a body listed then can never become referenced later (new
 * records only name new bodies or bodies already referenced), so what no record names is safe to
 * remove. Runs once per start; thread-safe.
 */
final class OrphanBodyWorker {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanBodyWorker.class);
    private static final List<String> RECORDS = List.of(ObjectStore.OBJECTS, Versions.VERSIONS, UploadStore.PARTS);

    private final Store store;
    private final BodyStore bodies;
    private Thread thread;

    OrphanBodyWorker(Store store, BodyStore bodies) {
        this.store = requireNonNull(store, "store is null");
        this.bodies = requireNonNull(bodies, "bodies is null");
    }

    /** Lists the bodies now (call before serving), then sweeps in the background. */
    synchronized void start() {
        Set<String> listed = bodies.ids();
        if (listed.isEmpty()) {
            return;
        }
        thread = Thread.ofVirtual().name("s3-orphan-bodies").start(() -> sweep(listed));
    }

    synchronized void stop() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void sweep(Set<String> listed) {
        try {
            Set<String> orphans = new HashSet<>(listed);
            try (Snapshot snapshot = store.snapshot()) {
                for (String keyspace : RECORDS) {
                    try (Scan scan = snapshot.scan(keyspace, KeyRange.all())) {
                        while (scan.hasNext() && !orphans.isEmpty()) {
                            if (Thread.currentThread().isInterrupted()) {
                                return;
                            }
                            String bodyId = S3Json.decode(scan.next().value(), BodyReference.class).bodyId();
                            BodyStore.fileIds(bodyId).forEach(orphans::remove);
                        }
                    }
                }
            }
            orphans.forEach(bodies::delete);
            if (!orphans.isEmpty()) {
                LOG.info("Removed {} S3 body files no object or part refers to", orphans.size());
            }
        } catch (RuntimeException e) {
            // The store closing under a sweep ends it; the next start sweeps again.
            LOG.debug("Sweeping unreferenced S3 bodies stopped", e);
        }
    }

    /** The one member every object, version and part record shares. */
    private record BodyReference(String bodyId) {}
}
