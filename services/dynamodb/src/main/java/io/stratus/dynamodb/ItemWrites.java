package io.stratus.dynamodb;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;

/**
 * What every item write shares beyond its own transaction: the stream records it appends and the
 * item collection size limit it must respect. Thread-safe.
 *
 * @param collectionLimitBytes the largest an item collection of a table with local secondary
 *     indexes may grow (AWS: 10 GB)
 */
record ItemWrites(StreamRecords streams, long collectionLimitBytes) {

    ItemWrites {
        requireNonNull(streams, "streams is null");
        if (collectionLimitBytes < 1) {
            throw new IllegalArgumentException("collectionLimitBytes must be positive");
        }
    }

    /** Refuses a write that grew an item collection past the limit; one that shrinks it always passes. */
    void checkCollection(ItemStats.CollectionChange change) {
        if (change != null && change.deltaBytes() > 0 && change.sizeBytes() > collectionLimitBytes) {
            throw AwsException.of(DynamoDbErrors.ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED, "Collection size exceeded.");
        }
    }
}
