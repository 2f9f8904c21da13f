package io.stratus.dynamodb;

import io.stratus.dynamodb.TableModel.AttributeDefinition;
import io.stratus.dynamodb.TableModel.BillingModeSummary;
import io.stratus.dynamodb.TableModel.GlobalSecondaryIndexDescription;
import io.stratus.dynamodb.TableModel.LocalSecondaryIndexDescription;
import io.stratus.dynamodb.TableModel.ProvisionedThroughputDescription;
import io.stratus.dynamodb.TableModel.TableClassSummary;
import io.stratus.dynamodb.TableModel.TableDescription;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A table as DescribeTable and friends report it. ItemCount, TableSizeBytes and each index's
 * ItemCount and IndexSizeBytes are live, from {@link ItemStats} (AWS refreshes them about every six
 * hours).
 */
final class TableDescriptions {

    private TableDescriptions() {}

    /** A description with no items: of a table just created. */
    static TableDescription describe(Table table, String status) {
        return describe(table, status, Map.of());
    }

    /** @param counts the table's and its indexes' counts, by scope ({@link ItemStats#read}) */
    static TableDescription describe(Table table, String status, Map<String, ItemStats.Counts> counts) {
        boolean payPerRequest = table.billingMode().equals(Table.PAY_PER_REQUEST);
        List<AttributeDefinition> definitions = table.attributeTypes().entrySet().stream()
                .map(e -> new AttributeDefinition(e.getKey(), e.getValue()))
                .toList();
        List<GlobalSecondaryIndexDescription> global = table.globalIndexes().stream()
                .map(i -> new GlobalSecondaryIndexDescription(i.name(), i.key().elements(), i.projection(), "ACTIVE", null,
                        throughput(payPerRequest, i.readCapacity(), i.writeCapacity()), bytes(counts, i.name()), items(counts, i.name()),
                        table.arn() + "/index/" + i.name()))
                .toList();
        List<LocalSecondaryIndexDescription> local = table.localIndexes().stream()
                .map(i -> new LocalSecondaryIndexDescription(i.name(), i.key().elements(), i.projection(), bytes(counts, i.name()), items(counts, i.name()), table.arn() + "/index/" + i.name()))
                .toList();
        return new TableDescription(
                definitions,
                table.name(),
                table.key().elements(),
                status,
                Instant.ofEpochMilli(table.createdMillis()),
                throughput(payPerRequest, table.readCapacity(), table.writeCapacity()),
                ItemStats.table(counts).bytes(),
                ItemStats.table(counts).items(),
                table.arn(),
                table.id(),
                payPerRequest ? new BillingModeSummary(Table.PAY_PER_REQUEST, Instant.ofEpochMilli(table.createdMillis())) : null,
                local.isEmpty() ? null : local,
                global.isEmpty() ? null : global,
                table.stream(),
                table.latestStreamLabel(),
                table.latestStreamArn(),
                table.tableClass() == null ? null : new TableClassSummary(table.tableClass()),
                table.deletionProtection());
    }

    private static long items(Map<String, ItemStats.Counts> counts, String scope) {
        return counts.getOrDefault(scope, ItemStats.Counts.NONE).items();
    }

    private static long bytes(Map<String, ItemStats.Counts> counts, String scope) {
        return counts.getOrDefault(scope, ItemStats.Counts.NONE).bytes();
    }

    private static ProvisionedThroughputDescription throughput(boolean payPerRequest, Long read, Long write) {
        return payPerRequest || read == null
                ? new ProvisionedThroughputDescription(0L, 0L, 0L)
                : new ProvisionedThroughputDescription(0L, read, write);
    }
}
