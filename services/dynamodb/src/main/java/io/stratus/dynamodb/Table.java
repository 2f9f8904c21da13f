package io.stratus.dynamodb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A table as stored: its key, indexes, settings and tags. {@code id} is unique per creation, so
 * the items of a deleted table never show through a new table of the same name. Immutable.
 *
 * @param ttlAttribute the attribute TTL reads expiry times from, or null when TTL is disabled
 * @param stream the enabled stream's specification, or null when no stream is enabled
 * @param latestStreamLabel the label of the table's latest stream (enabled or not), or null when it never had one
 */
record Table(
        String account,
        String region,
        String name,
        String id,
        long createdMillis,
        KeySchema key,
        Map<String, String> attributeTypes,
        String billingMode,
        Long readCapacity,
        Long writeCapacity,
        List<SecondaryIndex> globalIndexes,
        List<SecondaryIndex> localIndexes,
        TableModel.StreamSpecification stream,
        Map<String, String> tags,
        String ttlAttribute,
        boolean deletionProtection,
        String tableClass,
        String latestStreamLabel) {

    static final String PAY_PER_REQUEST = "PAY_PER_REQUEST";
    static final String PROVISIONED = "PROVISIONED";

    Table {
        attributeTypes = Collections.unmodifiableMap(new LinkedHashMap<>(attributeTypes));
        globalIndexes = List.copyOf(globalIndexes);
        localIndexes = List.copyOf(localIndexes);
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    String arn() {
        return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
    }

    /** Both kinds of index, global first. */
    List<SecondaryIndex> indexes() {
        List<SecondaryIndex> all = new ArrayList<>(globalIndexes);
        all.addAll(localIndexes);
        return all;
    }

    Optional<SecondaryIndex> index(String indexName) {
        return indexes().stream().filter(i -> i.name().equals(indexName)).findFirst();
    }

    /** The table's key attributes and every index's: what an item must type correctly. */
    Set<String> keyAttributes() {
        Set<String> names = new LinkedHashSet<>(key.attributes());
        indexes().forEach(i -> names.addAll(i.key().attributes()));
        return names;
    }

    Table withIndexes(List<SecondaryIndex> global, Map<String, String> types) {
        return new Table(account, region, name, id, createdMillis, key, types, billingMode, readCapacity, writeCapacity,
                global, localIndexes, stream, tags, ttlAttribute, deletionProtection, tableClass, latestStreamLabel);
    }

    Table withBilling(String mode, Long read, Long write) {
        return new Table(account, region, name, id, createdMillis, key, attributeTypes, mode, read, write,
                globalIndexes, localIndexes, stream, tags, ttlAttribute, deletionProtection, tableClass, latestStreamLabel);
    }

    Table withSettings(TableModel.StreamSpecification newStream, boolean protection, String newClass) {
        return new Table(account, region, name, id, createdMillis, key, attributeTypes, billingMode, readCapacity, writeCapacity,
                globalIndexes, localIndexes, newStream, tags, ttlAttribute, protection, newClass, latestStreamLabel);
    }

    Table withStreamLabel(String label) {
        return new Table(account, region, name, id, createdMillis, key, attributeTypes, billingMode, readCapacity, writeCapacity,
                globalIndexes, localIndexes, stream, tags, ttlAttribute, deletionProtection, tableClass, label);
    }

    /** The ARN of the table's latest stream, or null when it never had one. */
    String latestStreamArn() {
        return latestStreamLabel == null ? null : arn() + "/stream/" + latestStreamLabel;
    }

    Table withTags(Map<String, String> newTags) {
        return new Table(account, region, name, id, createdMillis, key, attributeTypes, billingMode, readCapacity, writeCapacity,
                globalIndexes, localIndexes, stream, newTags, ttlAttribute, deletionProtection, tableClass, latestStreamLabel);
    }

    Table withTtl(String attribute) {
        return new Table(account, region, name, id, createdMillis, key, attributeTypes, billingMode, readCapacity, writeCapacity,
                globalIndexes, localIndexes, stream, tags, attribute, deletionProtection, tableClass, latestStreamLabel);
    }
}
