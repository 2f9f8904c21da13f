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

/**
 * A table as DescribeTable and friends report it. ItemCount and TableSizeBytes are 0: AWS refreshes
 * them only about every six hours, and counting on every write would make every write contend on
 * one key.
 */
final class TableDescriptions {

    private TableDescriptions() {}

    static TableDescription describe(Table table, String status) {
        boolean payPerRequest = table.billingMode().equals(Table.PAY_PER_REQUEST);
        List<AttributeDefinition> definitions = table.attributeTypes().entrySet().stream()
                .map(e -> new AttributeDefinition(e.getKey(), e.getValue()))
                .toList();
        List<GlobalSecondaryIndexDescription> global = table.globalIndexes().stream()
                .map(i -> new GlobalSecondaryIndexDescription(i.name(), i.key().elements(), i.projection(), "ACTIVE", null,
                        throughput(payPerRequest, i.readCapacity(), i.writeCapacity()), 0L, 0L, table.arn() + "/index/" + i.name()))
                .toList();
        List<LocalSecondaryIndexDescription> local = table.localIndexes().stream()
                .map(i -> new LocalSecondaryIndexDescription(i.name(), i.key().elements(), i.projection(), 0L, 0L, table.arn() + "/index/" + i.name()))
                .toList();
        return new TableDescription(
                definitions,
                table.name(),
                table.key().elements(),
                status,
                Instant.ofEpochMilli(table.createdMillis()),
                throughput(payPerRequest, table.readCapacity(), table.writeCapacity()),
                0L,
                0L,
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

    private static ProvisionedThroughputDescription throughput(boolean payPerRequest, Long read, Long write) {
        return payPerRequest || read == null
                ? new ProvisionedThroughputDescription(0L, 0L, 0L)
                : new ProvisionedThroughputDescription(0L, read, write);
    }
}
