package io.stratus.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.kinesis.KinesisModel.CreateStreamRequest;
import io.stratus.kinesis.KinesisModel.DeleteStreamRequest;
import io.stratus.kinesis.KinesisModel.PutRecordRequest;
import io.stratus.storage.KeyRange;
import io.stratus.storage.MemoryStore;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What the trimmer deletes: records past their stream's retention, and everything of a deleted stream. */
class RecordTrimmerTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final Store store = new MemoryStore();
    private final RequestContext context = new RequestContext("req", "000000000000", "us-east-1", "test", Principal.root("000000000000"), Instant.EPOCH);
    private final StreamOperations streams = new StreamOperations(store, at(Duration.ZERO));

    private static Clock at(Duration sinceStart) {
        return Clock.fixed(START.plus(sinceStart), ZoneOffset.UTC);
    }

    private void put(Duration sinceStart, String stream, String data) {
        new RecordOperations(store, at(sinceStart))
                .putRecord(context, new PutRecordRequest(stream, null, data.getBytes(StandardCharsets.UTF_8), "key", null, null));
    }

    private int stored(String keyspace) {
        int count = 0;
        try (Scan scan = store.scan(keyspace, KeyRange.all())) {
            while (scan.hasNext()) {
                scan.next();
                count++;
            }
        }
        return count;
    }

    @Test
    void recordsPastRetentionGoOldestFirst() {
        streams.createStream(context, new CreateStreamRequest("kept", 1, null, null));
        put(Duration.ZERO, "kept", "old");
        put(Duration.ofHours(2), "kept", "new");

        new RecordTrimmer(store, at(Duration.ofHours(25))).runOnce();

        assertThat(stored(StreamStore.RECORDS)).isEqualTo(1);
        DataStream stream = StreamStore.read(store, "000000000000", "us-east-1", "kept");
        assertThat(StreamStore.read(store, stream, 0, 1, 10, Long.MAX_VALUE)).extracting(r -> new String(r.record().data(), StandardCharsets.UTF_8))
                .containsExactly("new");
        // The sequence counter stays: the next record does not reuse a trimmed record's sequence.
        assertThat(StreamStore.lastSequence(store, stream, 0)).isEqualTo(2);
    }

    @Test
    void aDeletedStreamsRecordsAreAllPurged() {
        streams.createStream(context, new CreateStreamRequest("gone", 2, null, null));
        for (int i = 0; i < 2500; i++) {
            put(Duration.ZERO, "gone", "r" + i);
        }
        streams.deleteStream(context, new DeleteStreamRequest("gone", null, null));

        new RecordTrimmer(store, at(Duration.ZERO)).runOnce();

        assertThat(stored(StreamStore.RECORDS)).isZero();
        assertThat(stored(StreamStore.SEQUENCES)).isZero();
        assertThat(stored(StreamStore.DELETED)).isZero();
    }
}
