package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;
import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.dynamodb.TableModel.CreateTableRequest;
import io.stratus.dynamodb.TableModel.DescribeTableResponse;
import io.stratus.dynamodb.TableModel.GlobalSecondaryIndex;
import io.stratus.dynamodb.TableModel.GlobalSecondaryIndexUpdate;
import io.stratus.dynamodb.TableModel.ListTablesRequest;
import io.stratus.dynamodb.TableModel.ListTablesResponse;
import io.stratus.dynamodb.TableModel.LocalSecondaryIndex;
import io.stratus.dynamodb.TableModel.TableDescriptionResponse;
import io.stratus.dynamodb.TableModel.TableNameRequest;
import io.stratus.dynamodb.TableModel.UpdateTableRequest;
import io.stratus.storage.Snapshot;
import io.stratus.storage.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * CreateTable, DescribeTable, ListTables, UpdateTable, DeleteTable. A table is ready as soon as it
 * is created (CreateTable answers CREATING and UpdateTable UPDATING, as AWS does, and DescribeTable
 * then finds it ACTIVE, so SDK waiters pass at once); a new global index is filled from the table's
 * items before UpdateTable answers. Thread-safe.
 */
final class TableOperations {

    private static final int MAX_LIST_LIMIT = 100;

    private final TableStore tables;
    private final TablePurger purger;
    private final Clock clock;

    TableOperations(TableStore tables, TablePurger purger, Clock clock) {
        this.tables = requireNonNull(tables, "tables is null");
        this.purger = requireNonNull(purger, "purger is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    TableDescriptionResponse createTable(RequestContext context, CreateTableRequest request) {
        String name = TableRules.checkTableName(request.tableName());
        Map<String, String> types = TableRules.attributeTypes(request.attributeDefinitions());
        KeySchema key = TableRules.keySchema(request.keySchema(), types, null);
        String billing = TableRules.billingMode(request.billingMode());
        TableRules.checkThroughput(billing, request.provisionedThroughput(), null);
        List<SecondaryIndex> global = new ArrayList<>();
        for (GlobalSecondaryIndex index : orEmpty(request.globalSecondaryIndexes())) {
            global.add(TableRules.index(index.indexName(), index.keySchema(), index.projection(), index.provisionedThroughput(), true, types, billing, key));
        }
        List<SecondaryIndex> local = new ArrayList<>();
        for (LocalSecondaryIndex index : orEmpty(request.localSecondaryIndexes())) {
            local.add(TableRules.index(index.indexName(), index.keySchema(), index.projection(), null, false, types, billing, key));
        }
        TableRules.checkIndexCounts(global, local);
        List<SecondaryIndex> all = new ArrayList<>(global);
        all.addAll(local);
        TableRules.checkAllDefinitionsUsed(types, key, all);
        Map<String, String> tags = Tagging.checkTags(request.tags());
        checkStream(request.streamSpecification());
        long now = clock.millis();
        Table created = new Table(context.accountId(), context.region(), name, UUID.randomUUID().toString(), now, key, types, billing,
                request.provisionedThroughput() == null ? null : request.provisionedThroughput().readCapacityUnits(),
                request.provisionedThroughput() == null ? null : request.provisionedThroughput().writeCapacityUnits(),
                global, local, enabledStream(request.streamSpecification()), tags, null,
                Boolean.TRUE.equals(request.deletionProtectionEnabled()), request.tableClass(), null);
        Table table = tables.store().transaction(txn -> {
            if (TableStore.read(txn, created.account(), created.region(), name) != null) {
                throw AwsException.of(DynamoDbErrors.RESOURCE_IN_USE, "Table already exists: %s", name);
            }
            Table written = created.stream() == null ? created
                    : created.withStreamLabel(StreamStore.create(txn, created, created.stream().streamViewType(), now).label());
            TableStore.write(txn, written);
            return written;
        });
        return new TableDescriptionResponse(TableDescriptions.describe(table, "CREATING"));
    }

    DescribeTableResponse describeTable(RequestContext context, TableNameRequest request) {
        String name = TableRules.tableName(context, request.tableName());
        // One snapshot: the counts are those of the table as read.
        try (Snapshot snapshot = tables.store().snapshot()) {
            Table table = TableStore.read(snapshot, context.accountId(), context.region(), name);
            if (table == null) {
                throw AwsException.of(DynamoDbErrors.RESOURCE_NOT_FOUND, "Requested resource not found: Table: %s not found", name);
            }
            return new DescribeTableResponse(TableDescriptions.describe(table, "ACTIVE", ItemStats.read(snapshot, table)));
        }
    }

    ListTablesResponse listTables(RequestContext context, ListTablesRequest request) {
        int limit = request.limit() == null ? MAX_LIST_LIMIT : request.limit();
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw validation("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value %s",
                    limit, limit < 1 ? "greater than or equal to 1" : "less than or equal to 100");
        }
        String after = request.exclusiveStartTableName();
        if (after != null) {
            TableRules.checkTableName(after);
        }
        List<String> names = tables.names(context.accountId(), context.region(), after, limit + 1);
        if (names.size() > limit) {
            List<String> page = names.subList(0, limit);
            return new ListTablesResponse(List.copyOf(page), page.getLast());
        }
        return new ListTablesResponse(names, null);
    }

    TableDescriptionResponse deleteTable(RequestContext context, TableNameRequest request) {
        String name = TableRules.tableName(context, request.tableName());
        Table deleted = tables.store().transaction(txn -> {
            Table table = TableStore.read(txn, context.accountId(), context.region(), name);
            if (table == null) {
                throw AwsException.of(DynamoDbErrors.RESOURCE_NOT_FOUND, "Requested resource not found: Table: %s not found", name);
            }
            if (table.deletionProtection()) {
                throw validation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
            }
            TableStore.drop(txn, table);
            StreamStore.disableLatest(txn, table, clock.millis());
            return table;
        });
        purger.purgeSoon(deleted.id());
        return new TableDescriptionResponse(TableDescriptions.describe(deleted, "DELETING", ItemStats.read(tables.store(), deleted)));
    }

    TableDescriptionResponse updateTable(RequestContext context, UpdateTableRequest request) {
        String name = TableRules.tableName(context, request.tableName());
        if (request.billingMode() == null && request.provisionedThroughput() == null && request.globalSecondaryIndexUpdates() == null
                && request.streamSpecification() == null && request.tableClass() == null && request.deletionProtectionEnabled() == null) {
            throw validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
        }
        Table current = tables.require(context, name);
        Map<String, String> types = new LinkedHashMap<>(current.attributeTypes());
        if (request.attributeDefinitions() != null) {
            for (Map.Entry<String, String> entry : TableRules.attributeTypes(request.attributeDefinitions()).entrySet()) {
                String known = types.putIfAbsent(entry.getKey(), entry.getValue());
                if (known != null && !known.equals(entry.getValue())) {
                    throw validation("One or more parameter values were invalid: Attribute %s is already defined with type %s", entry.getKey(), known);
                }
            }
        }
        String billing = request.billingMode() == null ? current.billingMode() : TableRules.billingMode(request.billingMode());
        Long read = current.readCapacity();
        Long write = current.writeCapacity();
        if (request.billingMode() != null || request.provisionedThroughput() != null) {
            TableRules.checkThroughput(billing, billing.equals(Table.PROVISIONED) && request.provisionedThroughput() == null && read != null
                    ? new TableModel.ProvisionedThroughput(read, write) : request.provisionedThroughput(), null);
            if (request.provisionedThroughput() != null) {
                read = request.provisionedThroughput().readCapacityUnits();
                write = request.provisionedThroughput().writeCapacityUnits();
            } else if (billing.equals(Table.PAY_PER_REQUEST)) {
                read = null;
                write = null;
            }
        }
        List<SecondaryIndex> global = new ArrayList<>(current.globalIndexes());
        List<SecondaryIndex> created = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (GlobalSecondaryIndexUpdate update : orEmpty(request.globalSecondaryIndexUpdates())) {
            int actions = (update.create() != null ? 1 : 0) + (update.update() != null ? 1 : 0) + (update.delete() != null ? 1 : 0);
            if (actions != 1) {
                throw validation("One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Update, or GlobalSecondaryIndexUpdate.Delete must be specified");
            }
            if (update.create() != null) {
                var create = update.create();
                if (current.index(create.indexName()).isPresent()) {
                    throw validation("One or more parameter values were invalid: Attempting to create an index which already exists");
                }
                SecondaryIndex index = TableRules.index(create.indexName(), create.keySchema(), create.projection(), create.provisionedThroughput(),
                        true, types, billing, current.key());
                global.add(index);
                created.add(index);
            } else if (update.delete() != null) {
                String indexName = update.delete().indexName();
                if (!global.removeIf(i -> i.name().equals(indexName))) {
                    throw AwsException.of(DynamoDbErrors.RESOURCE_NOT_FOUND, "Requested resource not found: Requested index %s not found", indexName);
                }
                dropped.add(indexName);
            } else {
                String indexName = update.update().indexName();
                int at = indexOf(global, indexName);
                SecondaryIndex index = global.get(at);
                var throughput = update.update().provisionedThroughput();
                TableRules.checkThroughput(billing, throughput, indexName);
                global.set(at, new SecondaryIndex(index.name(), true, index.key(), index.projectionType(), index.nonKeyAttributes(),
                        throughput == null ? null : throughput.readCapacityUnits(), throughput == null ? null : throughput.writeCapacityUnits()));
            }
        }
        TableRules.checkIndexCounts(global, current.localIndexes());
        // Definitions no key uses any more (those of a deleted index) are dropped, as AWS does.
        Set<String> used = new HashSet<>(current.key().attributes());
        concat(global, current.localIndexes()).forEach(i -> used.addAll(i.key().attributes()));
        Map<String, String> usedTypes = new LinkedHashMap<>(types);
        usedTypes.keySet().retainAll(used);
        checkStream(request.streamSpecification());
        // Enabling creates a new stream; disabling closes the current one, which stays readable
        // until its records pass retention.
        var streamSpec = request.streamSpecification();
        boolean enable = streamSpec != null && streamSpec.streamEnabled();
        boolean disable = streamSpec != null && !streamSpec.streamEnabled() && current.stream() != null;
        if (enable && current.stream() != null) {
            throw validation("Table already has an enabled stream: TableName: %s", name);
        }
        if (streamSpec != null && !enable && current.stream() == null) {
            throw validation("Table already has stream disabled: TableName: %s", name);
        }
        long now = clock.millis();
        Table settled = current.withIndexes(global, usedTypes)
                .withBilling(billing, read, write)
                .withSettings(streamSpec == null ? current.stream() : enabledStream(streamSpec),
                        request.deletionProtectionEnabled() == null ? current.deletionProtection() : request.deletionProtectionEnabled(),
                        request.tableClass() == null ? current.tableClass() : request.tableClass());
        Table updated = tables.store().transaction(txn -> {
            Table latest = TableStore.require(txn, context, name);
            if (!latest.id().equals(current.id()) || !latest.equals(current)) {
                throw AwsException.of(DynamoDbErrors.RESOURCE_IN_USE, "Attempt to change a resource which is still in use: Table is being updated: %s", name);
            }
            if (disable) {
                StreamStore.disableLatest(txn, current, now);
            }
            Table written = enable ? settled.withStreamLabel(StreamStore.create(txn, current, streamSpec.streamViewType(), now).label()) : settled;
            TableStore.write(txn, written);
            return written;
        });
        // A deleted index's entries and counts go before the call answers, so an index created
        // later under the same name starts empty; no write adds to them once the table lacks it.
        for (String indexName : dropped) {
            byte[] prefix = ItemStats.indexPrefix(updated, indexName);
            TablePurger.deletePrefix(tables.store(), ItemStore.INDEXES, prefix);
            TablePurger.deletePrefix(tables.store(), ItemStats.STATS, prefix);
        }
        for (SecondaryIndex index : created) {
            Backfill.index(tables.store(), updated, index);
        }
        return new TableDescriptionResponse(TableDescriptions.describe(updated, "UPDATING", ItemStats.read(tables.store(), updated)));
    }

    private static int indexOf(List<SecondaryIndex> indexes, String name) {
        for (int i = 0; i < indexes.size(); i++) {
            if (indexes.get(i).name().equals(name)) {
                return i;
            }
        }
        throw AwsException.of(DynamoDbErrors.RESOURCE_NOT_FOUND, "Requested resource not found: Requested index %s not found", name);
    }

    private static void checkStream(TableModel.StreamSpecification stream) {
        if (stream == null) {
            return;
        }
        if (stream.streamEnabled() == null) {
            throw validation("1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null");
        }
        if (stream.streamEnabled() && (stream.streamViewType() == null
                || !List.of("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES").contains(stream.streamViewType()))) {
            throw validation("One or more parameter values were invalid: You must specify a StreamViewType when enabling a stream");
        }
    }

    private static TableModel.StreamSpecification enabledStream(TableModel.StreamSpecification stream) {
        return stream == null || !stream.streamEnabled() ? null : stream;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static List<SecondaryIndex> concat(List<SecondaryIndex> a, List<SecondaryIndex> b) {
        List<SecondaryIndex> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
