package io.stratus.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shard iterators live five minutes, as Kinesis's do, and anything else is refused with Kinesis's codes. */
class ShardIteratorsTest {

    private static final DataStream STREAM = new DataStream("000000000000", "us-east-1", "s", 1_000, "PROVISIONED", 2, 24, Map.of());

    private static String code(Runnable call) {
        try {
            call.run();
        } catch (AwsException e) {
            return e.errorCode().code();
        }
        return "none";
    }

    @Test
    void anIteratorNamesItsStreamShardAndNextRecord() {
        ShardIterators.Iterator decoded = ShardIterators.decode(ShardIterators.encode(STREAM, 1, 42, 10_000), 10_000);
        assertThat(decoded).isEqualTo(new ShardIterators.Iterator("000000000000", "us-east-1", "s", 1_000, 1, 42, 10_000));
    }

    @Test
    void anIteratorExpiresAfterFiveMinutes() {
        String iterator = ShardIterators.encode(STREAM, 0, 1, 10_000);
        assertThat(ShardIterators.decode(iterator, 10_000 + ShardIterators.LIFETIME.toMillis()).next()).isEqualTo(1);
        assertThatThrownBy(() -> ShardIterators.decode(iterator, 10_001 + ShardIterators.LIFETIME.toMillis()))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode().code()).isEqualTo("ExpiredIteratorException"));
    }

    @Test
    void whatIsNotAnIteratorIsRefused() {
        assertThat(code(() -> ShardIterators.decode("bm90IG91cnM", 0))).isEqualTo("InvalidArgumentException");
        assertThat(code(() -> ShardIterators.decode("!!", 0))).isEqualTo("InvalidArgumentException");
        assertThat(code(() -> ShardIterators.decode("", 0))).isEqualTo("ValidationException");
        assertThat(code(() -> ShardIterators.decode("a".repeat(513), 0))).isEqualTo("ValidationException");
        assertThat(code(() -> ShardIterators.decode(null, 0))).isEqualTo("ValidationException");
    }
}
