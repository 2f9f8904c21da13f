package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.AttributeValue.B;
import io.stratus.dynamodb.item.AttributeValue.N;
import io.stratus.dynamodb.item.AttributeValue.S;
import io.stratus.dynamodb.item.ItemSize;
import io.stratus.storage.Key;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Item keys: the checks DynamoDB makes of an item's key and index-key attributes and of a request's
 * Key, and their order-preserving encoding into store keys (numbers numerically, strings by UTF-8
 * bytes, binaries as unsigned bytes), so a partition's items are one range scan in sort-key order.
 */
final class ItemKeys {

    private static final int MAX_HASH_BYTES = 2048;
    private static final int MAX_RANGE_BYTES = 1024;

    private ItemKeys() {}

    /** The key attributes of {@code item} under {@code schema}. */
    static Map<String, AttributeValue> keyOf(KeySchema schema, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>(2);
        for (String name : schema.attributes()) {
            key.put(name, item.get(name));
        }
        return key;
    }

    /** Checks a whole item for PutItem (and the result of UpdateItem): its keys, index keys and size. */
    static void checkItem(Table table, Map<String, AttributeValue> item) {
        for (String name : table.key().attributes()) {
            AttributeValue value = item.get(name);
            if (value == null) {
                throw validation("One or more parameter values were invalid: Missing the key %s in the item", name);
            }
            String expected = table.key().typeOf(name);
            if (!value.type().equals(expected)) {
                throw validation("One or more parameter values were invalid: Type mismatch for key %s expected: %s actual: %s", name, expected, value.type());
            }
            checkKeyValue(name, value, name.equals(table.key().hash()));
        }
        for (SecondaryIndex index : table.indexes()) {
            for (String name : index.key().attributes()) {
                AttributeValue value = item.get(name);
                if (value == null || table.key().typeOf(name) != null) {
                    continue;
                }
                String expected = index.key().typeOf(name);
                if (!value.type().equals(expected)) {
                    throw validation("One or more parameter values were invalid: Type mismatch for Index Key %s Expected: %s Actual: %s IndexName: %s",
                            name, expected, value.type(), index.name());
                }
                if (isEmpty(value)) {
                    throw validation("One or more parameter values are not valid. A value specified for a secondary index key is not supported. "
                            + "The AttributeValue for a key attribute cannot contain an empty %s value. IndexName: %s, IndexKey: %s",
                            value instanceof S ? "string" : "binary", index.name(), name);
                }
            }
        }
        if (ItemSize.of(item) > ItemSize.MAX_ITEM_BYTES) {
            throw validation("Item size has exceeded the maximum allowed size");
        }
    }

    /** Checks a request's Key: exactly the table's key attributes, of the right types. */
    static Map<String, AttributeValue> checkKey(Table table, Map<String, AttributeValue> key) {
        if (key == null) {
            throw validation("1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null");
        }
        KeySchema schema = table.key();
        if (key.size() != schema.attributes().size()) {
            throw validation("The provided key element does not match the schema");
        }
        for (String name : schema.attributes()) {
            AttributeValue value = key.get(name);
            if (value == null || !value.type().equals(schema.typeOf(name))) {
                throw validation("The provided key element does not match the schema");
            }
            checkKeyValue(name, value, name.equals(schema.hash()));
        }
        return keyOf(schema, key);
    }

    private static void checkKeyValue(String name, AttributeValue value, boolean hash) {
        if (isEmpty(value)) {
            throw validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty %s value. Key: %s",
                    value instanceof S ? "string" : "binary", name);
        }
        long size = ItemSize.of(value);
        if (hash && size > MAX_HASH_BYTES) {
            throw validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
        }
        if (!hash && size > MAX_RANGE_BYTES) {
            throw validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
        }
        if (value instanceof S s && !isValidUnicode(s.value())) {
            throw validation("One or more parameter values were invalid: The AttributeValue for a key attribute is not valid UTF-8. Key: %s", name);
        }
    }

    private static boolean isEmpty(AttributeValue value) {
        return value instanceof S s && s.value().isEmpty() || value instanceof B b && b.value().length == 0;
    }

    static boolean isValidUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Appends a key attribute's value to a store key. */
    static Key.Builder add(Key.Builder builder, AttributeValue value) {
        return switch (value) {
            case S s when !isValidUnicode(s.value()) ->
                    throw validation("One or more parameter values were invalid: A key attribute value is not valid UTF-8");
            case S s -> builder.add(s.value());
            case N n -> builder.add(n.value());
            case B b -> builder.add(b.value());
            default -> throw new IllegalArgumentException("not a key type: " + value.type());
        };
    }

    /** The store key of an item in its table: (table id, partition value[, sort value]). */
    static byte[] itemKey(Table table, Map<String, AttributeValue> item) {
        Key.Builder builder = Key.builder().add(table.id());
        add(builder, item.get(table.key().hash()));
        if (table.key().hasRange()) {
            add(builder, item.get(table.key().range()));
        }
        return builder.build();
    }

    /** The partition of an index entry: (table id, index name, index partition value). */
    static Key.Builder indexPartition(Table table, SecondaryIndex index, AttributeValue hashValue) {
        return add(Key.builder().add(table.id()).add(index.name()), hashValue);
    }

    /**
     * The store key of an item's entry in an index: its index key then its table key, so entries
     * with equal index keys stay distinct and sorted; null when the item lacks an index key attribute.
     */
    static byte[] indexKey(Table table, SecondaryIndex index, Map<String, AttributeValue> item) {
        AttributeValue hash = item.get(index.key().hash());
        AttributeValue range = index.key().hasRange() ? item.get(index.key().range()) : null;
        if (hash == null || index.key().hasRange() && range == null) {
            return null;
        }
        Key.Builder builder = indexPartition(table, index, hash);
        if (range != null) {
            add(builder, range);
        }
        add(builder, item.get(table.key().hash()));
        if (table.key().hasRange()) {
            add(builder, item.get(table.key().range()));
        }
        return builder.build();
    }
}
