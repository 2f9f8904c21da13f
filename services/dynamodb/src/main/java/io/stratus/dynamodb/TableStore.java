package io.stratus.dynamodb;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.storage.DecodedRecords;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Table metadata in the store: one key per table, {@code (account, region, name)}; and a marker per
 * deleted table whose items are still being purged, {@code (table id)}. Thread-safe: the store is,
 * and so are the decoded table records kept here ({@link DecodedRecords}).
 */
final class TableStore {

    static final String TABLES = "dynamodb.tables";
    static final String DROPPED = "dynamodb.dropped";

    private static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Store store;

    TableStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    Store store() {
        return store;
    }

    static Table read(StoreReader reader, String account, String region, String name) {
        // Every item request reads its table.
        return DECODED.decode(account + '/' + region + '/' + name, reader.get(TABLES, key(account, region, name)));
    }

    private static final DecodedRecords<String, Table> DECODED = new DecodedRecords<>(4096, TableStore::decode);

    /** The table a request names, read inside {@code reader} (so a transaction notices a concurrent change), or ResourceNotFound. */
    static Table require(StoreReader reader, RequestContext context, String name) {
        Table table = name == null ? null : read(reader, context.accountId(), context.region(), name);
        if (table == null) {
            throw notFound();
        }
        return table;
    }

    Table require(RequestContext context, String name) {
        return require(store, context, name);
    }

    static AwsException notFound() {
        return AwsException.of(DynamoDbErrors.RESOURCE_NOT_FOUND, "Requested resource not found");
    }

    static void write(Transaction txn, Table table) {
        txn.put(TABLES, key(table.account(), table.region(), table.name()), encode(table));
    }

    /** Removes the table and marks its items for purging. */
    static void drop(Transaction txn, Table table) {
        txn.delete(TABLES, key(table.account(), table.region(), table.name()));
        txn.put(DROPPED, Key.builder().add(table.id()).build(), new byte[0]);
    }

    /** Table names of one account and region after {@code after} (exclusive), in name order. */
    List<String> names(String account, String region, String after, int limit) {
        byte[] prefix = Key.builder().add(account).add(region).build();
        KeyRange range = KeyRange.prefix(prefix);
        if (after != null) {
            byte[] start = Key.prefixEnd(key(account, region, after));
            range = new KeyRange(start, range.end());
        }
        List<String> names = new ArrayList<>();
        try (Scan scan = store.scan(TABLES, range)) {
            while (scan.hasNext() && names.size() < limit) {
                names.add(decode(scan.next().value()).name());
            }
        }
        return names;
    }

    /** Calls {@code action} with every table of every account, for background work. */
    void forEachTable(Consumer<Table> action) {
        try (Scan scan = store.scan(TABLES, KeyRange.all())) {
            while (scan.hasNext()) {
                Entry entry = scan.next();
                action.accept(decode(entry.value()));
            }
        }
    }

    static byte[] key(String account, String region, String name) {
        return Key.builder().add(account).add(region).add(name).build();
    }

    private static byte[] encode(Table table) {
        try {
            return JSON.writeValueAsBytes(table);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a table", e);
        }
    }

    private static Table decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, Table.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a stored table", e);
        }
    }
}
