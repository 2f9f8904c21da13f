package io.stratus.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.storage.Store;
import io.stratus.storage.Stores;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphanBodyWorkerTest {

    @TempDir
    Path root;

    private static String body(BodyStore bodies, String text) {
        return bodies.commit(bodies.receive(new ByteArrayInputStream(text.getBytes()), false, Set.of()));
    }

    @Test
    void removesBodiesNoRecordNamesAndKeepsTheRest() throws Exception {
        try (Store store = Stores.open(StratusConfig.Storage.MEMORY, root.resolve("store"), StratusConfig.Durability.STRICT)) {
            BodyStore bodies = new BodyStore(root.resolve("s3"));
            String kept = body(bodies, "kept");
            String part = body(bodies, "part");
            String orphan = body(bodies, "orphan");
            String first = body(bodies, "first");
            String second = body(bodies, "second");
            store.transaction(txn -> {
                ObjectStore.write(txn, "b", new StoredObject("k", null, kept, 4, "etag", 0, null, Map.of(), null, null, null, null, null, Map.of(), false, null, null, null, null, null));
                // A completed multipart upload's body is its parts' files.
                ObjectStore.write(txn, "b", new StoredObject("m", null, BodyStore.join(java.util.List.of(first, second)), 11, "etag-2", 0, null,
                        Map.of(), null, null, java.util.List.of(5L, 6L), null, null, Map.of(), false, null, null, null, null, null));
                UploadStore.writePart(txn, "upload", new UploadStore.Part(1, part, 4, "etag", 0, null, null));
                return null;
            });

            OrphanBodyWorker worker = new OrphanBodyWorker(store, bodies);
            worker.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (bodies.ids().contains(orphan) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            assertThat(bodies.ids()).containsExactlyInAnyOrder(kept, part, first, second);
        }
    }
}
