package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;
import static java.util.Objects.requireNonNull;

import io.stratus.core.RequestContext;
import io.stratus.dynamodb.TableModel.DescribeTimeToLiveResponse;
import io.stratus.dynamodb.TableModel.TableNameRequest;
import io.stratus.dynamodb.TableModel.TimeToLiveDescription;
import io.stratus.dynamodb.TableModel.TimeToLiveSpecification;
import io.stratus.dynamodb.TableModel.UpdateTimeToLiveRequest;
import io.stratus.dynamodb.TableModel.UpdateTimeToLiveResponse;

/**
 * UpdateTimeToLive and DescribeTimeToLive; {@link TtlWorker} deletes what expires. Enabling TTL
 * indexes the expiry times of the items already there before it answers. Thread-safe.
 */
final class TimeToLive {

    private final TableStore tables;

    TimeToLive(TableStore tables) {
        this.tables = requireNonNull(tables, "tables is null");
    }

    UpdateTimeToLiveResponse updateTimeToLive(RequestContext context, UpdateTimeToLiveRequest request) {
        String name = TableRules.tableName(context, request.tableName());
        TimeToLiveSpecification spec = request.timeToLiveSpecification();
        if (spec == null || spec.enabled() == null || spec.attributeName() == null) {
            throw validation("1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null");
        }
        TableRules.checkName(spec.attributeName(), "timeToLiveSpecification.attributeName", 1, 255);
        Table updated = tables.store().transaction(txn -> {
            Table table = TableStore.require(txn, context, name);
            if (spec.enabled()) {
                if (table.ttlAttribute() != null) {
                    throw validation("TimeToLive is already enabled");
                }
            } else {
                if (table.ttlAttribute() == null) {
                    throw validation("TimeToLive is already disabled");
                }
                if (!table.ttlAttribute().equals(spec.attributeName())) {
                    throw validation("TimeToLive is enabled on attribute %s; disable it with that attribute name", table.ttlAttribute());
                }
            }
            Table changed = table.withTtl(spec.enabled() ? spec.attributeName() : null);
            TableStore.write(txn, changed);
            return changed;
        });
        // Writes from now on keep the expiry entries themselves; these cover the items already there.
        if (spec.enabled()) {
            Backfill.expiry(tables.store(), updated);
        } else {
            TablePurger.deletePrefix(tables.store(), ItemStore.EXPIRY, ItemStore.tablePrefix(updated));
        }
        return new UpdateTimeToLiveResponse(spec);
    }

    DescribeTimeToLiveResponse describeTimeToLive(RequestContext context, TableNameRequest request) {
        Table table = tables.require(context, TableRules.tableName(context, request.tableName()));
        return new DescribeTimeToLiveResponse(table.ttlAttribute() == null
                ? new TimeToLiveDescription("DISABLED", null)
                : new TimeToLiveDescription("ENABLED", table.ttlAttribute()));
    }
}
