package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;
import static java.util.Objects.requireNonNull;

import io.stratus.core.RequestContext;
import io.stratus.dynamodb.ItemModel.QueryRequest;
import io.stratus.dynamodb.ItemModel.ReadResponse;
import io.stratus.dynamodb.ItemModel.ScanRequest;
import io.stratus.dynamodb.expression.Condition;
import io.stratus.dynamodb.expression.ConditionEvaluator;
import io.stratus.dynamodb.expression.Documents;
import io.stratus.dynamodb.expression.ExpressionAttributes;
import io.stratus.dynamodb.expression.ExpressionParser;
import io.stratus.dynamodb.expression.Operand;
import io.stratus.dynamodb.expression.Path;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.ItemSize;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Snapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Query and Scan: range scans over a table's or an index's store keys, read from one snapshot.
 * A page ends after Limit items were read or once the items read reach 1 MB (both counted before
 * the filter, as in DynamoDB), with LastEvaluatedKey naming the last item read. Thread-safe.
 */
final class ReadOperations {

    private static final long MAX_PAGE_BYTES = 1024 * 1024;
    private static final Set<String> SELECTS = Set.of("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT");

    private final TableStore tables;

    ReadOperations(TableStore tables) {
        this.tables = requireNonNull(tables, "tables is null");
    }

    /** One key range of a read, in one direction, with what its items must meet (null for everything). */
    private record Part(KeyRange range, boolean reverse, Condition filter) {}

    /** What a Query, Scan or PartiQL SELECT reads, once checked: its parts in turn, from {@code first}. */
    private record Plan(Table table, SecondaryIndex index, List<Part> parts, int first, List<Path> projection,
            String select, Integer limit, Integer segment, Integer totalSegments, boolean consistent, String returnConsumedCapacity,
            boolean filterOnIndex) {
        /** A Query or Scan: a local index's filter reads the table's item, as DynamoDB's does. */
        Plan(Table table, SecondaryIndex index, List<Part> parts, int first, List<Path> projection,
                String select, Integer limit, Integer segment, Integer totalSegments, boolean consistent, String returnConsumedCapacity) {
            this(table, index, parts, first, projection, select, limit, segment, totalSegments, consistent, returnConsumedCapacity, false);
        }
    }

    /** A page and the part it ended in. */
    private record Result(ReadResponse response, int part) {}

    /**
     * A page of a PartiQL SELECT and where it stopped.
     *
     * @param segment the segment holding {@code lastEvaluatedKey} (meaningless without it)
     */
    record SelectPage(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> lastEvaluatedKey, int segment,
            ItemModel.ConsumedCapacity consumedCapacity) {}

    ReadResponse query(RequestContext context, QueryRequest request) {
        String name = TableRules.tableName(context, request.tableName());
        ItemRequests.refuseLegacy("KeyConditions", request.keyConditions());
        ItemRequests.refuseLegacy("QueryFilter", request.queryFilter());
        ItemRequests.refuseLegacy("AttributesToGet", request.attributesToGet());
        ItemRequests.refuseLegacy("ConditionalOperator", request.conditionalOperator());
        if (request.keyConditionExpression() == null) {
            throw validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        }
        checkLimit(request.limit());
        var attributes = new ExpressionAttributes(request.expressionAttributeNames(), request.expressionAttributeValues(), true);
        Condition keyCondition = ExpressionParser.condition(request.keyConditionExpression(), "KeyConditionExpression", attributes);
        Condition filter = ItemRequests.condition(request.filterExpression(), "FilterExpression", attributes);
        List<Path> projection = ItemRequests.projection(request.projectionExpression(), attributes);
        attributes.checkAllUsed();
        String select = select(request.select(), projection, request.indexName());
        Table table = tables.require(context, name);
        SecondaryIndex index = index(table, request.indexName(), request.consistentRead());
        checkSelectOnIndex(select, index);
        KeySchema schema = index == null ? table.key() : index.key();
        KeyCondition key = KeyCondition.of(keyCondition, schema);
        checkFilterAvoidsKeys(filter, schema);
        boolean reverse = Boolean.FALSE.equals(request.scanIndexForward());
        KeyRange range = after(range(table, index, key), startKey(table, index, request.exclusiveStartKey()), reverse);
        return read(new Plan(table, index, List.of(new Part(range, reverse, filter)), 0, projection, select, request.limit(), null, null,
                Boolean.TRUE.equals(request.consistentRead()), request.returnConsumedCapacity())).response();
    }

    ReadResponse scan(RequestContext context, ScanRequest request) {
        String name = TableRules.tableName(context, request.tableName());
        ItemRequests.refuseLegacy("ScanFilter", request.scanFilter());
        ItemRequests.refuseLegacy("AttributesToGet", request.attributesToGet());
        ItemRequests.refuseLegacy("ConditionalOperator", request.conditionalOperator());
        checkLimit(request.limit());
        checkSegments(request.segment(), request.totalSegments());
        var attributes = new ExpressionAttributes(request.expressionAttributeNames(), request.expressionAttributeValues(),
                request.filterExpression() != null || request.projectionExpression() != null);
        Condition filter = ItemRequests.condition(request.filterExpression(), "FilterExpression", attributes);
        List<Path> projection = ItemRequests.projection(request.projectionExpression(), attributes);
        attributes.checkAllUsed();
        String select = select(request.select(), projection, request.indexName());
        Table table = tables.require(context, name);
        SecondaryIndex index = index(table, request.indexName(), request.consistentRead());
        checkSelectOnIndex(select, index);
        byte[] prefix = index == null
                ? ItemStore.tablePrefix(table)
                : Key.builder().add(table.id()).add(index.name()).build();
        KeyRange range = after(KeyRange.prefix(prefix), startKey(table, index, request.exclusiveStartKey()), false);
        return read(new Plan(table, index, List.of(new Part(range, false, filter)), 0, projection, select, request.limit(), request.segment(),
                request.totalSegments(), Boolean.TRUE.equals(request.consistentRead()), request.returnConsumedCapacity())).response();
    }

    /** The store key range of the entries a key condition selects in a table or index. */
    static KeyRange range(Table table, SecondaryIndex index, KeyCondition key) {
        return key.range(() -> index == null
                ? ItemKeys.add(Key.builder().add(table.id()), key.hash())
                : ItemKeys.indexPartition(table, index, key.hash()));
    }

    /**
     * A page of a PartiQL SELECT, its statement already planned: its Query segments in turn, or
     * a Scan when {@code segments} is null, continuing after {@code start} in segment
     * {@code startSegment}. Limit and the 1 MB bound count what every segment read.
     */
    SelectPage select(Table table, SecondaryIndex index, List<PartiqlPlans.Segment> segments, Condition scanFilter, List<Path> projection,
            Integer limit, int startSegment, Map<String, AttributeValue> start, boolean consistent, String returnConsumedCapacity) {
        checkLimit(limit);
        if (index != null && index.global() && consistent) {
            throw validation("Strongly consistent read is not supported on Global Secondary Indexes");
        }
        List<Part> parts = new ArrayList<>();
        if (segments == null) {
            byte[] prefix = index == null ? ItemStore.tablePrefix(table) : Key.builder().add(table.id()).add(index.name()).build();
            parts.add(new Part(KeyRange.prefix(prefix), false, scanFilter));
        } else {
            for (PartiqlPlans.Segment segment : segments) {
                parts.add(new Part(range(table, index, segment.key()), segment.reverse(), segment.filter()));
            }
        }
        if (startSegment < 0 || startSegment >= parts.size()) {
            throw validation("Invalid NextToken");
        }
        Part first = parts.get(startSegment);
        byte[] startKey;
        try {
            startKey = startKey(table, index, start);
        } catch (io.stratus.core.AwsException e) {
            throw validation("Invalid NextToken");
        }
        parts.set(startSegment, new Part(after(first.range(), startKey, first.reverse()), first.reverse(), first.filter()));
        String select = projection != null ? "SPECIFIC_ATTRIBUTES" : index == null ? "ALL_ATTRIBUTES" : "ALL_PROJECTED_ATTRIBUTES";
        // A SELECT on a local index filters what the index holds, as DynamoDB's does.
        Result result = read(new Plan(table, index, parts, startSegment, projection, select, limit, null, null, consistent, returnConsumedCapacity,
                true));
        ReadResponse page = result.response();
        return new SelectPage(page.items(), page.lastEvaluatedKey(), result.part(), page.consumedCapacity());
    }

    private Result read(Plan plan) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        int scanned = 0;
        long bytes = 0;
        Map<String, AttributeValue> lastEvaluated = null;
        int at = plan.first();
        String keyspace = plan.index() == null ? ItemStore.ITEMS : ItemStore.INDEXES;
        // One snapshot: a page never mixes states, and an LSI's items are fetched as of the same moment.
        try (Snapshot snapshot = tables.store().snapshot()) {
            reading:
            for (; at < plan.parts().size(); at++) {
                Part part = plan.parts().get(at);
                try (Scan scan = snapshot.scan(keyspace, part.range(), part.reverse())) {
                    while (scan.hasNext()) {
                        Entry entry = scan.next();
                        Map<String, AttributeValue> item = ItemStore.decode(entry.value());
                        if (plan.totalSegments() != null && segmentOf(plan.table(), item, plan.totalSegments()) != plan.segment()) {
                            continue;
                        }
                        scanned++;
                        bytes += ItemSize.of(item);
                        Map<String, AttributeValue> entryItem = item;
                        if (plan.index() != null && !plan.index().global() && needsTableItem(plan, part)) {
                            Map<String, AttributeValue> tableItem = ItemStore.read(snapshot, plan.table(), item);
                            item = tableItem == null ? item : tableItem;
                        }
                        if (part.filter() == null || ConditionEvaluator.test(part.filter(), plan.filterOnIndex() ? entryItem : item)) {
                            items.add(plan.projection() == null ? item : Documents.project(item, plan.projection()));
                        }
                        boolean pageFull = plan.limit() != null && scanned >= plan.limit() || bytes >= MAX_PAGE_BYTES;
                        if (pageFull) {
                            lastEvaluated = evaluatedKey(plan.table(), plan.index(), item);
                            break reading;
                        }
                    }
                }
            }
        }
        boolean count = plan.select().equals("COUNT");
        return new Result(new ReadResponse(count ? null : items, items.size(), scanned, lastEvaluated,
                Capacity.read(plan.returnConsumedCapacity(), plan.table().name(), bytes, plan.consistent())), at);
    }

    /** Whether an LSI's projection lacks what the request asks for, so the table's item is read instead, as DynamoDB does. */
    private static boolean needsTableItem(Plan plan, Part part) {
        return !plan.index().projectionType().equals("ALL")
                && (plan.select().equals("ALL_ATTRIBUTES") || plan.projection() != null || part.filter() != null && !plan.filterOnIndex());
    }

    private static int segmentOf(Table table, Map<String, AttributeValue> item, int totalSegments) {
        byte[] hash = ItemKeys.add(Key.builder(), item.get(table.key().hash())).build();
        return Math.floorMod(Arrays.hashCode(hash) * 0x9E3779B9, totalSegments);
    }

    private static Map<String, AttributeValue> evaluatedKey(Table table, SecondaryIndex index, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>(ItemKeys.keyOf(table.key(), item));
        if (index != null) {
            key.putAll(ItemKeys.keyOf(index.key(), item));
        }
        return key;
    }

    /** The store key an ExclusiveStartKey names, or null. */
    private static byte[] startKey(Table table, SecondaryIndex index, Map<String, AttributeValue> start) {
        if (start == null) {
            return null;
        }
        List<String> expected = new ArrayList<>(table.key().attributes());
        if (index != null) {
            index.key().attributes().stream().filter(a -> !expected.contains(a)).forEach(expected::add);
        }
        if (start.size() != expected.size() || !start.keySet().containsAll(expected)) {
            throw validation("The provided starting key is invalid: The provided key element does not match the schema");
        }
        for (String attribute : expected) {
            AttributeValue value = start.get(attribute);
            String type = table.key().typeOf(attribute) != null ? table.key().typeOf(attribute) : index.key().typeOf(attribute);
            if (value == null || !value.type().equals(type)) {
                throw validation("The provided starting key is invalid: The provided key element does not match the schema");
            }
        }
        return index == null ? ItemKeys.itemKey(table, start) : ItemKeys.indexKey(table, index, start);
    }

    /** Narrows {@code range} to the keys after {@code start} in scan order. */
    private static KeyRange after(KeyRange range, byte[] start, boolean reverse) {
        if (start == null) {
            return range;
        }
        if (reverse) {
            byte[] end = range.end() == null || Key.ORDER.compare(start, range.end()) < 0 ? start : range.end();
            byte[] begin = range.start() != null && Key.ORDER.compare(range.start(), end) > 0 ? end : range.start();
            return new KeyRange(begin, end);
        }
        byte[] next = Key.prefixEnd(start);
        byte[] begin = range.start() == null || Key.ORDER.compare(next, range.start()) > 0 ? next : range.start();
        byte[] end = range.end() != null && Key.ORDER.compare(begin, range.end()) > 0 ? begin : range.end();
        return new KeyRange(begin, end);
    }

    private static SecondaryIndex index(Table table, String indexName, Boolean consistentRead) {
        if (indexName == null) {
            return null;
        }
        SecondaryIndex index = table.index(indexName)
                .orElseThrow(() -> validation("The table does not have the specified index: %s", indexName));
        if (index.global() && Boolean.TRUE.equals(consistentRead)) {
            throw validation("Consistent reads are not supported on global secondary indexes");
        }
        return index;
    }

    private static String select(String select, List<Path> projection, String indexName) {
        if (select == null) {
            return projection != null ? "SPECIFIC_ATTRIBUTES" : indexName == null ? "ALL_ATTRIBUTES" : "ALL_PROJECTED_ATTRIBUTES";
        }
        if (!SELECTS.contains(select)) {
            throw validation("1 validation error detected: Value '%s' at 'select' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]", select);
        }
        if (projection != null && !select.equals("SPECIFIC_ATTRIBUTES")) {
            throw validation("Cannot specify the ProjectionExpression when choosing to get %s", select);
        }
        if (select.equals("ALL_PROJECTED_ATTRIBUTES") && indexName == null) {
            throw validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
        if (select.equals("SPECIFIC_ATTRIBUTES") && projection == null) {
            throw validation("SPECIFIC_ATTRIBUTES requires a ProjectionExpression or AttributesToGet");
        }
        return select;
    }

    /** A global index holds only its projection; asking it for every attribute is refused, as in AWS (a local index reads the table). */
    private static void checkSelectOnIndex(String select, SecondaryIndex index) {
        if (select.equals("ALL_ATTRIBUTES") && index != null && index.global() && !index.projectionType().equals("ALL")) {
            throw validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index %s "
                    + "because its projection type is not ALL", index.name());
        }
    }

    private static void checkLimit(Integer limit) {
        if (limit != null && limit < 1) {
            throw validation("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", limit);
        }
    }

    private static void checkSegments(Integer segment, Integer totalSegments) {
        if (segment == null && totalSegments == null) {
            return;
        }
        if (totalSegments == null) {
            throw validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
        }
        if (segment == null) {
            throw validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
        }
        if (totalSegments < 1 || totalSegments > 1_000_000) {
            throw validation("1 validation error detected: Value '%d' at 'totalSegments' failed to satisfy constraint: Member must have value %s",
                    totalSegments, totalSegments < 1 ? "greater than or equal to 1" : "less than or equal to 1000000");
        }
        if (segment < 0 || segment >= totalSegments) {
            throw validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: %d is not less than TotalSegments: %d",
                    segment, totalSegments);
        }
    }

    private static void checkFilterAvoidsKeys(Condition filter, KeySchema schema) {
        if (filter == null) {
            return;
        }
        for (String attribute : schema.attributes()) {
            if (mentions(filter, attribute)) {
                throw validation("Filter Expression can only contain non-primary key attributes: Primary key attribute: %s", attribute);
            }
        }
    }

    private static boolean mentions(Condition condition, String attribute) {
        return switch (condition) {
            case Condition.And and -> mentions(and.left(), attribute) || mentions(and.right(), attribute);
            case Condition.Or or -> mentions(or.left(), attribute) || mentions(or.right(), attribute);
            case Condition.Not not -> mentions(not.condition(), attribute);
            case Condition.Compare compare -> mentions(compare.left(), attribute) || mentions(compare.right(), attribute);
            case Condition.Between between -> mentions(between.value(), attribute) || mentions(between.low(), attribute) || mentions(between.high(), attribute);
            case Condition.In in -> mentions(in.value(), attribute) || in.candidates().stream().anyMatch(c -> mentions(c, attribute));
            case Condition.AttributeExists exists -> exists.path().attribute().equals(attribute);
            case Condition.AttributeNotExists notExists -> notExists.path().attribute().equals(attribute);
            case Condition.AttributeType type -> type.path().attribute().equals(attribute);
            case Condition.BeginsWith beginsWith -> mentions(beginsWith.value(), attribute) || mentions(beginsWith.prefix(), attribute);
            case Condition.Contains contains -> mentions(contains.value(), attribute) || mentions(contains.element(), attribute);
        };
    }

    private static boolean mentions(Operand operand, String attribute) {
        return switch (operand) {
            case Operand.PathOperand path -> path.path().attribute().equals(attribute);
            case Operand.Size size -> size.path().attribute().equals(attribute);
            default -> false;
        };
    }
}
