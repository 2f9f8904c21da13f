package io.stratus.dynamodb;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;

/**
 * A table's stream as stored: created when StreamSpecification enables it, disabled (never
 * reopened) when it is disabled or the table deleted, and forgotten once its records have passed
 * retention. It has one shard, which stays open while the stream is enabled. Immutable.
 *
 * @param tableId the id of the table it belongs to (a table re-created under the same name gets new streams)
 * @param label the stream's label: its creation time, {@code yyyy-MM-ddTHH:mm:ss.SSS} in UTC
 * @param disabledMillis when it was disabled, or null while enabled
 */
record Stream(
        String account,
        String region,
        String tableName,
        String tableId,
        String label,
        String viewType,
        List<TableModel.KeySchemaElement> keySchema,
        long createdMillis,
        Long disabledMillis) {

    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    Stream {
        keySchema = List.copyOf(keySchema);
    }

    /** A new enabled stream of {@code table}, labelled by {@code nowMillis} (one millisecond after the previous label at least). */
    static Stream create(Table table, String viewType, long nowMillis) {
        long millis = nowMillis;
        if (table.latestStreamLabel() != null) {
            long previous = labelMillis(table.latestStreamLabel());
            millis = Math.max(millis, previous + 1);
        }
        return new Stream(table.account(), table.region(), table.name(), table.id(), LABEL.format(Instant.ofEpochMilli(millis)), viewType,
                table.key().elements(), millis, null);
    }

    static long labelMillis(String label) {
        return LocalDateTime.parse(label).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    String arn() {
        return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + tableName + "/stream/" + label;
    }

    boolean enabled() {
        return disabledMillis == null;
    }

    Stream disabled(long nowMillis) {
        return new Stream(account, region, tableName, tableId, label, viewType, keySchema, createdMillis, nowMillis);
    }

    /** The id of its one shard: {@code shardId-<20 digits>-<8 hex>}, from its creation time and ARN. */
    String shardId() {
        return "shardId-%020d-%s".formatted(createdMillis, HexFormat.of().toHexDigits(arn().hashCode()));
    }

    /** The parts of a stream ARN, {@code arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>}. */
    record Address(String region, String account, String tableName, String label) {

        /** The address an ARN names, or null when it is not a stream ARN. */
        static Address parse(String arn) {
            if (arn == null) {
                return null;
            }
            String[] parts = arn.split(":", 6);
            if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("dynamodb") || parts[3].isEmpty() || parts[4].isEmpty()) {
                return null;
            }
            String resource = parts[5];
            int stream = resource.lastIndexOf("/stream/");
            if (!resource.startsWith("table/") || stream <= "table/".length()) {
                return null;
            }
            String table = resource.substring("table/".length(), stream);
            String label = resource.substring(stream + "/stream/".length());
            try {
                labelMillis(label);
            } catch (DateTimeParseException e) {
                return null;
            }
            if (table.contains("/") || label.length() != 23) {
                return null;
            }
            return new Address(parts[3], parts[4], table, label);
        }
    }
}
