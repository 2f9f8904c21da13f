package io.stratus.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.RequestContext;
import io.stratus.core.spi.Logs;
import io.stratus.storage.MemoryStore;
import io.stratus.storage.Store;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Events stored a chunk per batch read back one by one: in (timestamp, sequence) order across
 * chunks that overlap (batches written out of time order), from a time inside a chunk, paged either
 * way, beside events stored one per key by earlier versions, and expired only once a whole chunk is.
 */
class EventChunksTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final long T = NOW.toEpochMilli();
    private static final String ACCOUNT = "000000000000";
    private static final String REGION = "us-east-1";

    private final Store store = new MemoryStore();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final LogsService service = new LogsService(store, new RecordingTargets(), clock);
    private final LogStore logStore = new LogStore(store);
    private final EventOperations events = new EventOperations(logStore, new SubscriptionDeliveries(store, new RecordingTargets(), clock), clock);
    private final RequestContext context = new RequestContext("r", ACCOUNT, REGION, null, io.stratus.core.Principal.root(ACCOUNT), NOW);

    private void append(String stream, long... offsets) {
        List<Logs.Event> lines = new ArrayList<>();
        for (long offset : offsets) {
            lines.add(new Logs.Event(T + offset, "m" + offset));
        }
        service.logs().append(ACCOUNT, REGION, "g", stream, lines);
    }

    private List<String> all(String stream, boolean forward, int limit, Long start, Long end) {
        List<String> messages = new ArrayList<>();
        String token = null;
        for (int page = 0; page < 10_000; page++) {
            var response = events.getLogEvents(context, new LogsModel.GetLogEventsRequest("g", null, stream, start, end, token, limit, forward));
            if (response.events().isEmpty()) {
                return messages;
            }
            List<String> got = response.events().stream().map(LogsModel.OutputLogEvent::message).toList();
            if (forward) {
                messages.addAll(got);
            } else {
                messages.addAll(0, got);
            }
            token = forward ? response.nextForwardToken() : response.nextBackwardToken();
        }
        throw new AssertionError("no end");
    }

    @Test
    void overlappingBatchesReadInTimeOrderEitherWayAndPaged() {
        append("s", 100, 200, 300, 900);
        append("s", 150, 250, 950);
        append("s", 0, 200, 1_000);
        // Equal timestamps keep their order of arrival (sequence).
        List<String> expected = List.of("m0", "m100", "m150", "m200", "m200", "m250", "m300", "m900", "m950", "m1000");

        for (int limit : new int[] {1, 2, 3, 100}) {
            assertThat(all("s", true, limit, null, null)).as("forward, limit " + limit).isEqualTo(expected);
            assertThat(all("s", false, limit, null, null)).as("backward, limit " + limit).isEqualTo(expected);
        }
        assertThat(all("s", true, 2, T + 200, T + 950)).containsExactly("m200", "m200", "m250", "m300", "m900");
        assertThat(all("s", false, 2, T + 200, T + 950)).containsExactly("m200", "m200", "m250", "m300", "m900");

        var filtered = events.filterLogEvents(context, new LogsModel.FilterLogEventsRequest("g", null, null, null, T + 150, T + 900, null, null,
                null, null));
        assertThat(filtered.events()).extracting(LogsModel.FilteredLogEvent::message)
                .containsExactly("m150", "m200", "m200", "m250", "m300", "m900");
    }

    @Test
    void aLargeLongBatchSplitsIntoChunksAndReadsFromAnyTime() {
        long[] offsets = new long[3_500];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = i;
        }
        append("big", offsets);
        assertThat(logStore.events(io.stratus.storage.KeyRange.all(), false)).toIterable().hasSizeGreaterThan(3).hasSizeLessThan(10);

        List<String> forward = all("big", true, 1_000, T + 1_234, T + 3_000);
        assertThat(forward).hasSize(3_000 - 1_234).startsWith("m1234").endsWith("m2999");
        assertThat(all("big", false, 777, T + 1_234, T + 3_000)).isEqualTo(forward);
        var tail = events.filterLogEvents(context, new LogsModel.FilterLogEventsRequest("g", null, List.of("big"), null, T + 2_500, null, null,
                null, 10, null));
        assertThat(tail.events()).extracting(LogsModel.FilteredLogEvent::message).startsWith("m2500", "m2501").hasSize(10);
        assertThat(tail.nextToken()).isNotNull();
    }

    @Test
    void eventsStoredOnePerKeyReadAlongsideChunks() {
        append("s", 10, 30);
        LogGroup group = LogStore.group(store, ACCOUNT, REGION, "g").orElseThrow();
        byte[] prefix = LogStore.eventsPrefix(ACCOUNT, REGION, group, "s");
        // As versions before chunks stored an event: key (…, timestamp, sequence), value ingestion time then message.
        byte[] message = "old20".getBytes(StandardCharsets.UTF_8);
        store.put(LogStore.EVENTS, LogStore.eventKey(prefix, T + 20, 5), ByteBuffer.allocate(8 + message.length).putLong(T).put(message).array());

        assertThat(LogStore.eventKey(prefix, T + 20, 5)).as("the key encoding's own longs")
                .isEqualTo(io.stratus.storage.Key.builder().add(ACCOUNT).add(REGION).add("g").add(group.incarnation()).add("s").add(T + 20).add(5)
                        .build());
        assertThat(all("s", true, 1, null, null)).containsExactly("m10", "old20", "m30");
        assertThat(all("s", false, 1, null, null)).containsExactly("m10", "old20", "m30");
    }

    @Test
    void retentionDeletesAChunkOnlyOnceAllItsEventsExpired() {
        append("s", 0, 100);
        append("s", 500, 900);
        LogGroup group = LogStore.group(store, ACCOUNT, REGION, "g").orElseThrow();

        long stored = LogStore.stream(store, ACCOUNT, REGION, group, "s").orElseThrow().storedBytes();

        logStore.deleteEventsBefore(ACCOUNT, REGION, group, "s", T + 600);
        assertThat(all("s", true, 100, null, null)).containsExactly("m500", "m900");
        assertThat(LogStore.stream(store, ACCOUNT, REGION, group, "s").orElseThrow().storedBytes()).as("m0 and m100 gone")
                .isEqualTo(stored - "m0m100".length());
        logStore.deleteEventsBefore(ACCOUNT, REGION, group, "s", T + 901);
        assertThat(all("s", true, 100, null, null)).isEmpty();
        assertThat(LogStore.stream(store, ACCOUNT, REGION, group, "s").orElseThrow().storedBytes()).isZero();
    }
}
