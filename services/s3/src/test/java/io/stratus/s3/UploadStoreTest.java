package io.stratus.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.storage.MemoryStore;
import org.junit.jupiter.api.Test;

class UploadStoreTest {

    private static UploadStore.Completion completion(String uploadId, long completedMillis) {
        return new UploadStore.Completion("bucket", "key", uploadId, completedMillis, null, "\"etag-2\"", null, null, null, null);
    }

    @Test
    void completionsAreKeptUntilForgottenByAge() {
        MemoryStore store = new MemoryStore();
        UploadStore uploads = new UploadStore(store);
        store.transaction(txn -> {
            UploadStore.writeCompletion(txn, completion("old", 1_000));
            UploadStore.writeCompletion(txn, completion("new", 5_000));
            return null;
        });

        assertThat(uploads.forgetCompletions(2_000)).isEqualTo(1);

        assertThat(UploadStore.readCompletion(store, "bucket", "key", "old")).isNull();
        assertThat(UploadStore.readCompletion(store, "bucket", "key", "new")).isEqualTo(completion("new", 5_000));
    }
}
