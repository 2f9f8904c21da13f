package io.stratus.kinesis;

import io.stratus.core.AwsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Shard iterators: opaque strings naming a stream incarnation, its shard, the sequence of the next
 * record and when the iterator was handed out, after which it lives five minutes, as in Kinesis.
 * Not signed: a client that forges one reads what it could read anyway. Stateless; thread-safe.
 */
final class ShardIterators {

    static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final String VERSION = "1";

    private ShardIterators() {}

    /** A decoded iterator. */
    record Iterator(String account, String region, String streamName, long streamCreatedMillis, int shard, long next, long createdMillis) {}

    static String encode(DataStream stream, int shard, long next, long nowMillis) {
        String plain = String.join("|", VERSION, Long.toString(nowMillis), Long.toString(next), Integer.toString(shard),
                Long.toString(stream.createdMillis()), stream.account(), stream.region(), stream.name());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes an iterator: InvalidArgumentException when it is not one, ExpiredIteratorException when older than five minutes. */
    static Iterator decode(String iterator, long nowMillis) {
        if (iterator == null) {
            throw AwsException.of(KinesisErrors.VALIDATION,
                    "1 validation error detected: Value null at 'shardIterator' failed to satisfy constraint: Member must not be null");
        }
        if (iterator.isEmpty() || iterator.length() > 512) {
            throw KinesisErrors.validation(iterator, "shardIterator",
                    "Member must have length " + (iterator.isEmpty() ? "greater than or equal to 1" : "less than or equal to 512"));
        }
        Iterator decoded;
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(iterator), StandardCharsets.UTF_8).split("\\|", 8);
            if (parts.length != 8 || !parts[0].equals(VERSION)) {
                throw invalid();
            }
            decoded = new Iterator(parts[5], parts[6], parts[7], Long.parseLong(parts[4]), Integer.parseInt(parts[3]), Long.parseLong(parts[2]),
                    Long.parseLong(parts[1]));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (nowMillis - decoded.createdMillis() > LIFETIME.toMillis()) {
            throw AwsException.of(KinesisErrors.EXPIRED_ITERATOR, "Iterator expired. The iterator was created at time %s while right now it is %s "
                    + "which is further in the future than the tolerated delay of %d milliseconds.",
                    Instant.ofEpochMilli(decoded.createdMillis()), Instant.ofEpochMilli(nowMillis), LIFETIME.toMillis());
        }
        return decoded;
    }

    private static AwsException invalid() {
        return KinesisErrors.invalidArgument("Invalid ShardIterator.");
    }
}
