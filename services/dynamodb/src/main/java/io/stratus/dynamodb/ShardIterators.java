package io.stratus.dynamodb;

import io.stratus.core.AwsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Shard iterators: opaque strings naming a stream, its shard, the sequence of the next record and
 * when the iterator was handed out, after which it lives 15 minutes, as in DynamoDB Streams. Not
 * signed: a client that forges one reads what it could read anyway. Stateless; thread-safe.
 */
final class ShardIterators {

    static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final String VERSION = "1";

    private ShardIterators() {}

    /** A decoded iterator. */
    record Iterator(String streamArn, String shardId, long next, long createdMillis) {}

    static String encode(Stream stream, long next, long nowMillis) {
        String plain = String.join("|", VERSION, Long.toString(nowMillis), Long.toString(next), stream.shardId(), stream.arn());
        return stream.arn() + "|" + Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes an iterator: ValidationException when it is not one, ExpiredIteratorException when older than 15 minutes. */
    static Iterator decode(String iterator, long nowMillis) {
        if (iterator == null) {
            throw DynamoDbErrors.validation("1 validation error detected: Value null at 'shardIterator' failed to satisfy constraint: Member must not be null");
        }
        if (iterator.isEmpty() || iterator.length() > 2048) {
            throw DynamoDbErrors.validation("1 validation error detected: Value '%s' at 'shardIterator' failed to satisfy constraint: "
                    + "Member must have length %s", iterator, iterator.isEmpty() ? "greater than or equal to 1" : "less than or equal to 2048");
        }
        Iterator decoded;
        try {
            String encoded = iterator.substring(iterator.lastIndexOf('|') + 1);
            String[] parts = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8).split("\\|", 5);
            if (parts.length != 5 || !parts[0].equals(VERSION)) {
                throw invalid();
            }
            decoded = new Iterator(parts[4], parts[3], Long.parseLong(parts[2]), Long.parseLong(parts[1]));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (nowMillis - decoded.createdMillis() > LIFETIME.toMillis()) {
            throw AwsException.of(DynamoDbErrors.EXPIRED_ITERATOR, "Iterator expired. The iterator was created at time %s while right now it is %s "
                    + "which is further in the future than the tolerated delay of %d milliseconds.",
                    Instant.ofEpochMilli(decoded.createdMillis()), Instant.ofEpochMilli(nowMillis), LIFETIME.toMillis());
        }
        return decoded;
    }

    private static AwsException invalid() {
        return DynamoDbErrors.validation("Invalid ShardIterator");
    }
}
