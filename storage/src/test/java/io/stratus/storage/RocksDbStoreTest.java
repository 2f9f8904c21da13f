package io.stratus.storage;

import static io.stratus.storage.Bytes.b;
import static io.stratus.storage.Bytes.drain;
import static io.stratus.storage.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.StratusConfig.Durability;
import io.stratus.core.StratusConfig.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbStoreTest extends StoreContractTest {

    @TempDir
    Path tempDir;

    @Override
    protected Store openStore() {
        return RocksDbStore.open(tempDir.resolve("data"), Durability.STRICT);
    }

    @Test
    void writesAndKeyspacesSurviveReopening() throws Exception {
        Path dataDir = tempDir.resolve("reopened");
        try (Store first = RocksDbStore.open(dataDir, Durability.RELAXED)) {
            first.put("queues", b("q1"), b("v1"));
            first.put("tables", b("t1"), b("v2"));
            first.transaction(txn -> {
                txn.put("tables", b("t2"), b("v3"));
                txn.delete("queues", b("q1"));
                return null;
            });
        }
        assertThat(Files.readString(dataDir.resolve("STRATUS_FORMAT")).strip()).isEqualTo("1");
        try (Store second = Stores.open(Storage.ROCKSDB, dataDir, Durability.STRICT)) {
            assertThat(second.get("queues", b("q1"))).isNull();
            assertThat(drain(second.scan("tables", KeyRange.all()))).containsExactly("t1=v2", "t2=v3");
            assertThat(second.info().description()).contains(dataDir.toAbsolutePath().toString()).contains("strict");
        }
    }

    @Test
    void dataDirOfANewerFormatIsRefused() throws Exception {
        Path dataDir = tempDir.resolve("newer");
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("STRATUS_FORMAT"), "2\n");
        assertThatThrownBy(() -> RocksDbStore.open(dataDir, Durability.STRICT))
                .isInstanceOf(StoreFormatException.class)
                .hasMessage("data dir " + dataDir + " was written by a newer Stratus (format 2); this binary reads format 1"
                        + " — upgrade Stratus or use another --data-dir");
        assertThat(dataDir.resolve("rocksdb")).doesNotExist();
    }

    @Test
    void unreadableFormatFileIsRefused() throws Exception {
        Path dataDir = tempDir.resolve("garbage");
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("STRATUS_FORMAT"), "not a number");
        assertThatThrownBy(() -> RocksDbStore.open(dataDir, Durability.STRICT))
                .isInstanceOf(StoreFormatException.class)
                .hasMessageContaining("unreadable STRATUS_FORMAT file ('not a number'");
    }

    @Test
    void databaseWithoutFormatFileIsRefused() throws Exception {
        Path dataDir = tempDir.resolve("unversioned");
        RocksDbStore.open(dataDir, Durability.RELAXED).close();
        Files.delete(dataDir.resolve("STRATUS_FORMAT"));
        assertThatThrownBy(() -> RocksDbStore.open(dataDir, Durability.STRICT))
                .isInstanceOf(StoreFormatException.class)
                .hasMessageContaining("no STRATUS_FORMAT file");
    }

    @Test
    void secondOpenOfAnOpenDataDirFailsClearly() {
        assertThatThrownBy(() -> RocksDbStore.open(tempDir.resolve("data"), Durability.STRICT))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is another Stratus using this --data-dir?");
        store.put("still", b("k"), b("working"));
        assertThat(s(store.get("still", b("k")))).isEqualTo("working");
    }

    @Test
    void anInterruptedCommitStillCompletesBeforeItsTransactionIsFreed() throws Exception {
        // A strict commit from a virtual thread runs on a platform thread; an interrupt must not let
        // the caller free the transaction (or close the store) while that write is still running.
        try (Store store = RocksDbStore.open(tempDir.resolve("interrupted"), Durability.STRICT)) {
            for (int i = 0; i < 200; i++) {
                int n = i;
                Thread writer = Thread.ofVirtual().start(() -> store.transaction(txn -> {
                    txn.put("interrupted", b("k" + n), b("v"));
                    Thread.currentThread().interrupt();
                    return null;
                }));
                writer.join();
                assertThat(s(store.get("interrupted", b("k" + n)))).isEqualTo("v");
            }
        }
    }
}
