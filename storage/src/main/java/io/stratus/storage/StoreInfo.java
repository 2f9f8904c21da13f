package io.stratus.storage;

import static java.util.Objects.requireNonNull;

/**
 * What a store is, for the health endpoint.
 *
 * @param engine {@code rocksdb} or {@code memory}
 * @param description a one-line description, e.g. {@code rocksdb /var/stratus (durability strict)}
 */
public record StoreInfo(String engine, String description) {

    public StoreInfo {
        requireNonNull(engine, "engine is null");
        requireNonNull(description, "description is null");
    }
}
