package io.stratus.storage;

import static io.stratus.storage.Bytes.b;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryStoreTest extends StoreContractTest {

    @Override
    protected Store openStore() {
        return new MemoryStore();
    }

    @Test
    void oldVersionsAreDroppedOnceNoReaderCanSeeThem() {
        var memory = (MemoryStore) store;
        for (int i = 0; i < 100; i++) {
            memory.put(KS, b("k"), b("v" + i));
        }
        memory.put(KS, b("gone"), b("v"));
        memory.delete(KS, b("gone"));
        assertThat(memory.versionCount()).as("no readers: only the latest value of k").isEqualTo(1);

        Snapshot snapshot = memory.snapshot();
        Transaction txn = memory.beginTransaction();
        Scan scan = memory.scan(KS, KeyRange.all());
        for (int i = 0; i < 100; i++) {
            memory.put(KS, b("k"), b("w" + i));
        }
        memory.put(KS, b("new"), b("v"));
        memory.delete(KS, b("new"));
        assertThat(memory.versionCount()).as("readers pin the versions they can see").isGreaterThan(100);

        snapshot.close();
        txn.close();
        assertThat(memory.versionCount()).as("the open scan still pins its version").isGreaterThan(1);
        scan.close();
        assertThat(memory.versionCount()).as("all readers gone").isEqualTo(1);
    }
}
