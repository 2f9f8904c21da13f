package io.stratus.dynamodb;

import io.stratus.core.AwsException;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.Transaction;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ClientRequestTokens of TransactWriteItems, each remembered for ten minutes with a digest of
 * its request: {@code (account, region, token) → (first use, digest)}, plus a time-ordered entry
 * {@code (first use, token key)} so forgetting expired tokens is a range scan, not a scan of every
 * token (the SDKs send a token with every transaction). Stateless; thread-safe.
 */
final class RequestTokens {

    static final String TOKENS = "dynamodb.tokens";
    static final String TOKEN_TIMES = "dynamodb.token-times";
    static final long WINDOW_MILLIS = 10 * 60 * 1000;

    private RequestTokens() {}

    /**
     * Inside the transaction that applies the request: whether the same request already ran under
     * this token in the last ten minutes (then it must not run again); a different request under a
     * live token is IdempotentParameterMismatchException; otherwise the token is recorded.
     */
    static boolean alreadyApplied(Transaction txn, String account, String region, String token, byte[] digest, long now) {
        byte[] key = Key.builder().add(account).add(region).add(token).build();
        byte[] seen = txn.get(TOKENS, key);
        if (seen != null && now - ByteBuffer.wrap(seen).getLong() < WINDOW_MILLIS) {
            if (Arrays.equals(Arrays.copyOfRange(seen, Long.BYTES, seen.length), digest)) {
                return true;
            }
            throw AwsException.of(DynamoDbErrors.IDEMPOTENT_PARAMETER_MISMATCH,
                    "Request token has been used with different parameters within the idempotency window");
        }
        txn.put(TOKENS, key, ByteBuffer.allocate(Long.BYTES + digest.length).putLong(now).put(digest).array());
        txn.put(TOKEN_TIMES, Key.builder().add(now).add(key).build(), new byte[0]);
        return false;
    }

    /** Forgets the tokens first used more than ten minutes before {@code now}. */
    static void forgetExpired(Store store, long now) {
        List<byte[]> expired = new ArrayList<>();
        try (Scan scan = store.scan(TOKEN_TIMES, KeyRange.before(Key.builder().add(now - WINDOW_MILLIS).build()))) {
            while (scan.hasNext()) {
                expired.add(scan.next().key());
            }
        }
        for (byte[] timeKey : expired) {
            List<Object> elements = Key.decode(timeKey);
            long firstUse = (Long) elements.get(0);
            byte[] tokenKey = (byte[]) elements.get(1);
            store.transaction(txn -> {
                txn.delete(TOKEN_TIMES, timeKey);
                byte[] value = txn.get(TOKENS, tokenKey);
                // A token reused after its window has a newer record, which stays.
                if (value != null && ByteBuffer.wrap(value).getLong() == firstUse) {
                    txn.delete(TOKENS, tokenKey);
                }
                return null;
            });
        }
    }
}
