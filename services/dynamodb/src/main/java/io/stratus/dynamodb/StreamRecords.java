package io.stratus.dynamodb;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.dynamodb.item.AttributeValue;
import io.stratus.dynamodb.item.ItemSize;
import io.stratus.storage.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Stream records: written by every item change on a table with an enabled stream, in the change's
 * own transaction, and shown as the Streams API and Lambda's events show them. A change that leaves
 * the item as it was (a put of the same item, an update that sets what is there, a delete of an
 * absent item) writes no record, as in DynamoDB. A table without a stream pays one null check.
 * Thread-safe.
 */
final class StreamRecords {

    static final String EVENT_VERSION = "1.1";
    static final String EVENT_SOURCE = "aws:dynamodb";
    private static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Clock clock;

    StreamRecords(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * A record as stored; its sequence is its key.
     *
     * @param eventName INSERT, MODIFY or REMOVE
     * @param keys the item's key attributes
     * @param newImage the item after the change, when the view type keeps it
     * @param oldImage the item before the change, when the view type keeps it
     * @param byTtl whether TTL deleted the item
     */
    record Stored(String eventId, String eventName, long createdMillis, Map<String, AttributeValue> keys, Map<String, AttributeValue> newImage,
            Map<String, AttributeValue> oldImage, long sizeBytes, String viewType, boolean byTtl) {}

    /**
     * Appends the record of a change from {@code old} to {@code item} (either null when absent) to
     * the table's enabled stream, inside the change's transaction.
     */
    void record(Transaction txn, Table table, Map<String, AttributeValue> old, Map<String, AttributeValue> item, boolean byTtl) {
        if (table.stream() == null || table.latestStreamLabel() == null || Objects.equals(old, item)) {
            return;
        }
        String eventName = old == null ? "INSERT" : item == null ? "REMOVE" : "MODIFY";
        String viewType = table.stream().streamViewType();
        Map<String, AttributeValue> keys = ItemKeys.keyOf(table.key(), item == null ? old : item);
        Map<String, AttributeValue> newImage = item != null && (viewType.equals("NEW_IMAGE") || viewType.equals("NEW_AND_OLD_IMAGES")) ? item : null;
        Map<String, AttributeValue> oldImage = old != null && (viewType.equals("OLD_IMAGE") || viewType.equals("NEW_AND_OLD_IMAGES")) ? old : null;
        long size = ItemSize.of(keys) + (newImage == null ? 0 : ItemSize.of(newImage)) + (oldImage == null ? 0 : ItemSize.of(oldImage));
        String eventId = UUID.randomUUID().toString().replace("-", "");
        StreamStore.append(txn, table, new Stored(eventId, eventName, clock.millis(), keys, newImage, oldImage, size, viewType, byTtl));
    }

    /** A record as GetRecords answers it. */
    static StreamsModel.Record toApi(Stream stream, long sequence, Stored record) {
        return new StreamsModel.Record(record.eventId(), record.eventName(), EVENT_VERSION, EVENT_SOURCE, stream.region(),
                new StreamsModel.StreamRecord(Instant.ofEpochSecond(record.createdMillis() / 1000), record.keys(), record.newImage(), record.oldImage(),
                        StreamStore.sequenceNumber(sequence), record.sizeBytes(), record.viewType()),
                record.byTtl() ? new StreamsModel.Identity(TTL_PRINCIPAL, "Service") : null);
    }

    /**
     * The item a record is about, as one string (its key attributes in name order), within which
     * Lambda keeps the records' order when it hands a shard over in concurrent batches.
     */
    static String orderingKey(Stored record) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(record.keys()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a stream record's keys", e);
        }
    }

    /** A record as Lambda delivers it in a DynamoDB event, {@code eventSourceARN} included. */
    static byte[] toLambdaEvent(Stream stream, long sequence, Stored record) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ApproximateCreationDateTime", record.createdMillis() / 1000);
        body.put("Keys", record.keys());
        if (record.newImage() != null) {
            body.put("NewImage", record.newImage());
        }
        if (record.oldImage() != null) {
            body.put("OldImage", record.oldImage());
        }
        body.put("SequenceNumber", StreamStore.sequenceNumber(sequence));
        body.put("SizeBytes", record.sizeBytes());
        body.put("StreamViewType", record.viewType());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventID", record.eventId());
        event.put("eventName", record.eventName());
        event.put("eventVersion", EVENT_VERSION);
        event.put("eventSource", EVENT_SOURCE);
        event.put("awsRegion", stream.region());
        event.put("dynamodb", body);
        if (record.byTtl()) {
            Map<String, Object> identity = new LinkedHashMap<>();
            identity.put("type", "Service");
            identity.put("principalId", TTL_PRINCIPAL);
            event.put("userIdentity", identity);
        }
        event.put("eventSourceARN", stream.arn());
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a stream record", e);
        }
    }
}
