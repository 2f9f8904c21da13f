package io.stratus.dynamodb;

import java.util.ArrayList;
import java.util.List;

/**
 * The key of a table or index: a partition (hash) attribute and an optional sort (range)
 * attribute, each with its scalar type ({@code S}, {@code N} or {@code B}).
 */
record KeySchema(String hash, String hashType, String range, String rangeType) {

    boolean hasRange() {
        return range != null;
    }

    /** The key's attribute names, partition first. */
    List<String> attributes() {
        List<String> names = new ArrayList<>(2);
        names.add(hash);
        if (range != null) {
            names.add(range);
        }
        return names;
    }

    String typeOf(String attribute) {
        return attribute.equals(hash) ? hashType : attribute.equals(range) ? rangeType : null;
    }

    List<TableModel.KeySchemaElement> elements() {
        List<TableModel.KeySchemaElement> elements = new ArrayList<>(2);
        elements.add(new TableModel.KeySchemaElement(hash, "HASH"));
        if (range != null) {
            elements.add(new TableModel.KeySchemaElement(range, "RANGE"));
        }
        return elements;
    }
}
