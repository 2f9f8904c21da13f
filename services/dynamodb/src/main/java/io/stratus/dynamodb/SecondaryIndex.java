package io.stratus.dynamodb;

import java.util.List;

/**
 * A global or local secondary index: its key, what it projects, and for global indexes their own
 * throughput and status.
 *
 * @param projectionType {@code ALL}, {@code KEYS_ONLY} or {@code INCLUDE}
 * @param nonKeyAttributes the attributes an {@code INCLUDE} projection adds to the keys
 */
record SecondaryIndex(
        String name,
        boolean global,
        KeySchema key,
        String projectionType,
        List<String> nonKeyAttributes,
        Long readCapacity,
        Long writeCapacity) {

    SecondaryIndex {
        nonKeyAttributes = nonKeyAttributes == null ? List.of() : List.copyOf(nonKeyAttributes);
    }

    TableModel.Projection projection() {
        return new TableModel.Projection(projectionType, projectionType.equals("INCLUDE") ? nonKeyAttributes : null);
    }
}
