package io.stratus.dynamodb;

import static java.util.Objects.requireNonNull;

import io.stratus.core.PeriodicTask;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired items of tables with TTL enabled, and forgets transaction tokens past their ten
 * minutes. An item expires when its TTL attribute is a number of epoch seconds at or before now
 * (by the injected clock); like DynamoDB, items more than five years past are left alone, and
 * expired items stay readable until a sweep removes them. A sweep range-scans each TTL table's
 * expiry entries up to now, so its cost follows what expired, not the table's size. Each deletion
 * re-checks the item in its own transaction, so an item rewritten meanwhile survives. Thread-safe.
 */
final class TtlWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TtlWorker.class);
    private static final long FIVE_YEARS_SECONDS = Duration.ofDays(5 * 365).toSeconds();

    private final TableStore tables;
    private final Clock clock;
    private final Duration interval;
    private final StreamRecords streams;
    private final PeriodicTask task = new PeriodicTask("dynamodb-ttl", this::sweep, e -> LOG.warn("TTL sweep failed; the next one retries", e));

    TtlWorker(TableStore tables, Clock clock, Duration interval, StreamRecords streams) {
        this.tables = requireNonNull(tables, "tables is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.interval = requireNonNull(interval, "interval is null");
        this.streams = requireNonNull(streams, "streams is null");
    }

    void start() {
        task.start(interval, interval);
    }

    /** One pass over every TTL table and the token keyspace. */
    void sweep() {
        long now = clock.millis();
        List<Table> ttlTables = new ArrayList<>();
        tables.forEachTable(t -> {
            if (t.ttlAttribute() != null) {
                ttlTables.add(t);
            }
        });
        for (Table table : ttlTables) {
            sweep(table, now / 1000);
        }
        RequestTokens.forgetExpired(tables.store(), now);
    }

    /** Deletes the items of one table whose expiry entries lie between five years ago and now. */
    private void sweep(Table table, long nowSeconds) {
        Store store = tables.store();
        byte[] from = Key.builder().add(table.id()).add(BigDecimal.valueOf(nowSeconds - FIVE_YEARS_SECONDS)).build();
        byte[] to = Key.prefixEnd(Key.builder().add(table.id()).add(BigDecimal.valueOf(nowSeconds)).build());
        List<byte[]> expired = new ArrayList<>();
        try (Scan scan = store.scan(ItemStore.EXPIRY, new KeyRange(from, to))) {
            while (scan.hasNext() && !task.isClosed()) {
                expired.add(scan.next().key());
            }
        }
        for (byte[] expiryKey : expired) {
            byte[] itemKey = (byte[]) Key.decode(expiryKey).getLast();
            store.transaction(txn -> {
                Table current = TableStore.read(txn, table.account(), table.region(), table.name());
                if (current == null || !current.id().equals(table.id()) || current.ttlAttribute() == null) {
                    return null;
                }
                byte[] value = txn.get(ItemStore.ITEMS, itemKey);
                if (value == null) {
                    txn.delete(ItemStore.EXPIRY, expiryKey);
                    return null;
                }
                Map<String, AttributeValue> item = ItemStore.decode(value);
                if (isExpired(item, current.ttlAttribute(), nowSeconds)) {
                    ItemStore.delete(txn, current, item);
                    streams.record(txn, current, item, null, true);
                }
                return null;
            });
        }
    }

    static boolean isExpired(Map<String, AttributeValue> item, String attribute, long nowSeconds) {
        if (!(item.get(attribute) instanceof AttributeValue.N n)) {
            return false;
        }
        BigDecimal expiry = n.value();
        return expiry.compareTo(BigDecimal.valueOf(nowSeconds)) <= 0
                && expiry.compareTo(BigDecimal.valueOf(nowSeconds - FIVE_YEARS_SECONDS)) >= 0;
    }

    @Override
    public void close() {
        task.close();
    }
}
