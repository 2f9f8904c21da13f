package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.dynamodb.ItemModel.ItemCollectionMetrics;
import io.stratus.dynamodb.item.AttributeValue;
import java.util.List;
import java.util.Map;

/**
 * ReturnItemCollectionMetrics: on a table with local secondary indexes, a write asked for
 * {@code SIZE} reports its item collection's key and size estimate, as AWS does; other tables
 * report nothing. Stateless.
 */
final class CollectionMetrics {

    private static final double GB = 1024.0 * 1024 * 1024;

    private CollectionMetrics() {}

    /** Whether a request asks for metrics; refuses values other than SIZE and NONE. */
    static boolean wanted(String returnItemCollectionMetrics) {
        if (returnItemCollectionMetrics == null || returnItemCollectionMetrics.equals("NONE")) {
            return false;
        }
        if (!returnItemCollectionMetrics.equals("SIZE")) {
            throw validation("1 validation error detected: Value '%s' at 'returnItemCollectionMetrics' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [SIZE, NONE]", returnItemCollectionMetrics);
        }
        return true;
    }

    /**
     * The metrics of the collection of {@code key}'s partition, {@code sizeBytes} large; the
     * estimate is the whole gigabytes around the size, as AWS reports ({@code [0.0, 1.0]} below 1 GB).
     */
    static ItemCollectionMetrics of(Table table, Map<String, AttributeValue> key, long sizeBytes) {
        String hash = table.key().hash();
        double low = Math.floor(sizeBytes / GB);
        return new ItemCollectionMetrics(Map.of(hash, key.get(hash)), List.of(low, low + 1));
    }
}
