package io.stratus.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataStreamTest {

    private static final BigInteger TOP = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 500})
    void shardsSplitTheHashKeySpaceWithoutGapsOrOverlaps(int shards) {
        DataStream stream = new DataStream("000000000000", "us-east-1", "s", 1, "PROVISIONED", shards, 24, Map.of());
        assertThat(stream.startingHashKey(0)).isEqualTo(BigInteger.ZERO);
        assertThat(stream.endingHashKey(shards - 1)).isEqualTo(TOP);
        for (int i = 0; i < shards; i++) {
            assertThat(stream.shardFor(stream.startingHashKey(i))).isEqualTo(i);
            assertThat(stream.shardFor(stream.endingHashKey(i))).isEqualTo(i);
            if (i > 0) {
                assertThat(stream.startingHashKey(i)).isEqualTo(stream.endingHashKey(i - 1).add(BigInteger.ONE));
            }
        }
    }

    @Test
    void shardIdsNameOnlyTheStreamsShards() {
        DataStream stream = new DataStream("000000000000", "us-east-1", "s", 1, "PROVISIONED", 2, 24, Map.of());
        assertThat(stream.shardIndex("shardId-000000000001")).isEqualTo(1);
        assertThat(stream.shardIndex("shardId-000000000002")).isEqualTo(-1);
        assertThat(stream.shardIndex("shard-1")).isEqualTo(-1);
        assertThat(stream.shardIndex(null)).isEqualTo(-1);
    }

    @Test
    void sequenceNumbersRoundTripAndRefuseOthers() {
        assertThat(Sequences.format(42)).hasSize(56).startsWith("49").endsWith("42");
        assertThat(Sequences.parse(Sequences.format(42))).isEqualTo(42);
        assertThat(Sequences.parse(Sequences.format(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(Sequences.parse("12x")).isEqualTo(-1);
        assertThat(Sequences.parse("5" + "0".repeat(55))).isEqualTo(-1);
        assertThat(Sequences.parse("49" + "9".repeat(54))).isEqualTo(-1);
    }

    @Test
    void hashKeysAreTheMd5OfThePartitionKeyUnlessExplicit() {
        assertThat(RecordOperations.hashKey("a", null)).isEqualTo(new BigInteger("0cc175b9c0f1b6a831c399e269772661", 16));
        assertThat(RecordOperations.hashKey("a", "7")).isEqualTo(BigInteger.valueOf(7));
    }
}
