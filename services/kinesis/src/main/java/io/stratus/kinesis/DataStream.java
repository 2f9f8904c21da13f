package io.stratus.kinesis;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A data stream as kept in the store: its shards are {@code shardCount} open shards that split the
 * 128-bit hash key space evenly (Stratus does not reshard), numbered from 0. {@code createdMillis}
 * also tells incarnations of one name apart: a stream deleted and created again starts empty.
 *
 * @param mode {@code PROVISIONED} or {@code ON_DEMAND}
 */
record DataStream(String account, String region, String name, long createdMillis, String mode, int shardCount, int retentionHours,
        Map<String, String> tags) {

    /** A stream's ARN: its region, account and name are groups 1, 2 and 3. */
    static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\\d{12}):stream/([a-zA-Z0-9_.-]+)");
    static final int DEFAULT_RETENTION_HOURS = 24;
    static final int MAX_RETENTION_HOURS = 8760;
    /** What an on-demand stream starts with, as on AWS. */
    static final int ON_DEMAND_SHARDS = 4;
    private static final BigInteger HASH_SPACE = BigInteger.ONE.shiftLeft(128);

    DataStream {
        requireNonNull(account, "account is null");
        requireNonNull(region, "region is null");
        requireNonNull(name, "name is null");
        requireNonNull(mode, "mode is null");
        tags = new TreeMap<>(tags == null ? Map.of() : tags);
    }

    String arn() {
        return arn(region, account, name);
    }

    static String arn(String region, String account, String name) {
        return "arn:aws:kinesis:" + region + ":" + account + ":stream/" + name;
    }

    static String shardId(int index) {
        return String.format("shardId-%012d", index);
    }

    /** The index of a shard id of this stream, or -1 when it names none. */
    int shardIndex(String shardId) {
        if (shardId == null || !shardId.matches("shardId-\\d{12}")) {
            return -1;
        }
        long index = Long.parseLong(shardId.substring("shardId-".length()));
        return index < shardCount ? (int) index : -1;
    }

    BigInteger startingHashKey(int index) {
        return HASH_SPACE.multiply(BigInteger.valueOf(index)).divide(BigInteger.valueOf(shardCount));
    }

    BigInteger endingHashKey(int index) {
        return HASH_SPACE.multiply(BigInteger.valueOf(index + 1L)).divide(BigInteger.valueOf(shardCount)).subtract(BigInteger.ONE);
    }

    /** The shard whose hash key range holds {@code hashKey} (0 ≤ hashKey < 2^128). */
    int shardFor(BigInteger hashKey) {
        int index = Math.min(hashKey.multiply(BigInteger.valueOf(shardCount)).divide(HASH_SPACE).intValue(), shardCount - 1);
        // The estimate may land one shard off where the ranges' ends were rounded down.
        while (index > 0 && startingHashKey(index).compareTo(hashKey) > 0) {
            index--;
        }
        while (index < shardCount - 1 && endingHashKey(index).compareTo(hashKey) < 0) {
            index++;
        }
        return index;
    }

    DataStream withRetention(int hours) {
        return new DataStream(account, region, name, createdMillis, mode, shardCount, hours, tags);
    }

    DataStream withMode(String newMode) {
        return new DataStream(account, region, name, createdMillis, newMode, shardCount, retentionHours, tags);
    }

    DataStream withTags(Map<String, String> newTags) {
        return new DataStream(account, region, name, createdMillis, mode, shardCount, retentionHours, newTags);
    }
}
