package io.stratus.dynamodb;

/**
 * The DynamoDB service's settings.
 *
 * @param itemCollectionSizeLimitBytes the largest an item collection (the items of one partition
 *     key of a table with local secondary indexes, with their index entries) may grow before writes
 *     that grow it are refused with ItemCollectionSizeLimitExceededException; AWS's limit is 10 GB
 */
public record DynamoDbSettings(long itemCollectionSizeLimitBytes) {

    /** The system property that overrides {@link #itemCollectionSizeLimitBytes}, in bytes. */
    public static final String ITEM_COLLECTION_SIZE_LIMIT_PROPERTY = "stratus.dynamodb.itemCollectionSizeLimitBytes";

    /** AWS's item collection size limit: 10 GB. */
    public static final long DEFAULT_ITEM_COLLECTION_SIZE_LIMIT_BYTES = 10L * 1024 * 1024 * 1024;

    public DynamoDbSettings {
        if (itemCollectionSizeLimitBytes < 1) {
            throw new IllegalArgumentException("itemCollectionSizeLimitBytes must be positive: " + itemCollectionSizeLimitBytes);
        }
    }

    public static DynamoDbSettings defaults() {
        return new DynamoDbSettings(DEFAULT_ITEM_COLLECTION_SIZE_LIMIT_BYTES);
    }

    /** These settings with what the system properties override. */
    public DynamoDbSettings withSystemProperties() {
        String limit = System.getProperty(ITEM_COLLECTION_SIZE_LIMIT_PROPERTY);
        if (limit == null || limit.isBlank()) {
            return this;
        }
        try {
            return new DynamoDbSettings(Long.parseLong(limit.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ITEM_COLLECTION_SIZE_LIMIT_PROPERTY + " must be a positive number of bytes: " + limit, e);
        }
    }
}
