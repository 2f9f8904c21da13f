package io.stratus.storage;

import static java.util.Objects.requireNonNull;

import io.stratus.core.StratusConfig.Durability;
import io.stratus.core.StratusConfig.Storage;
import java.nio.file.Path;

/** Opens the store the configuration asks for; the one place that knows every implementation. */
public final class Stores {

    private Stores() {}

    /**
     * Opens a store.
     *
     * @param dataDir where a durable store keeps its files; unused for {@link Storage#MEMORY}
     * @param durability whether a durable store syncs each commit; unused for {@link Storage#MEMORY}
     * @throws StoreFormatException if {@code dataDir} holds data in a format this build does not read
     * @throws StoreException if the store cannot be opened
     */
    public static Store open(Storage storage, Path dataDir, Durability durability) {
        requireNonNull(storage, "storage is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(durability, "durability is null");
        return switch (storage) {
            case ROCKSDB -> RocksDbStore.open(dataDir, durability);
            case MEMORY -> new MemoryStore();
        };
    }
}
