package io.stratus.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import io.stratus.storage.KeyRange;
import io.stratus.storage.MemoryStore;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import org.junit.jupiter.api.Test;

/** ClientRequestTokens: replays within ten minutes, mismatches, and forgetting by time. */
class RequestTokensTest {

    private static final byte[] DIGEST = {1, 2, 3};
    private static final byte[] OTHER = {9};

    private final Store store = new MemoryStore();

    private boolean use(String token, byte[] digest, long now) {
        return store.transaction(txn -> RequestTokens.alreadyApplied(txn, "000000000000", "us-east-1", token, digest, now));
    }

    @Test
    void aTokenReplaysItsRequestForTenMinutesThenIsFresh() {
        assertThat(use("t", DIGEST, 0)).isFalse();
        assertThat(use("t", DIGEST, RequestTokens.WINDOW_MILLIS - 1)).isTrue();
        assertThatThrownBy(() -> use("t", OTHER, 1000)).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.errorCode()).isEqualTo(DynamoDbErrors.IDEMPOTENT_PARAMETER_MISMATCH));
        assertThat(use("t", OTHER, RequestTokens.WINDOW_MILLIS)).isFalse();
    }

    @Test
    void forgettingRemovesOnlyTokensPastTheirWindow() {
        use("old", DIGEST, 0);
        use("new", DIGEST, RequestTokens.WINDOW_MILLIS);
        // A token reused after its window has a record newer than its first time entry.
        use("reused", DIGEST, 0);
        use("reused", OTHER, RequestTokens.WINDOW_MILLIS + 1);

        RequestTokens.forgetExpired(store, RequestTokens.WINDOW_MILLIS + 10);

        assertThat(count(RequestTokens.TOKENS)).isEqualTo(2);
        assertThat(count(RequestTokens.TOKEN_TIMES)).isEqualTo(2);
        assertThat(use("reused", OTHER, RequestTokens.WINDOW_MILLIS + 20)).isTrue();
    }

    private int count(String keyspace) {
        int count = 0;
        try (Scan scan = store.scan(keyspace, KeyRange.all())) {
            while (scan.hasNext()) {
                scan.next();
                count++;
            }
        }
        return count;
    }
}
