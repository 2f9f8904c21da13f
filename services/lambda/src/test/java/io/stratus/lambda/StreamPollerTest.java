package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.lambda.EventSourceMapping.StreamSettings;
import io.stratus.lambda.ShardCheckpoints.Checkpoint;
import io.stratus.storage.MemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The stream poller against an in-memory feed, a hand-written function and the memory store:
 * order, checkpoints, partial failures, retries, bisection, filters and the OnFailure record.
 */
class StreamPollerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:failures";

    private final MemoryStore store = new MemoryStore();
    private final ShardCheckpoints checkpoints = new ShardCheckpoints(store);
    private final InMemoryChangeFeed feed = new InMemoryChangeFeed();
    private final List<byte[]> sentToDestination = new CopyOnWriteArrayList<>();

    /** A function that records each batch's record numbers and answers as {@code answer} says. */
    private static final class Worker extends SyncOnlyFunction {
        final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        final Function<List<JsonNode>, Result> answer;

        Worker(Function<List<JsonNode>, Result> answer) {
            this.answer = answer;
        }

        @Override
        public Result invoke(String accountId, String region, String function, byte[] payload) {
            try {
                List<JsonNode> records = new ArrayList<>();
                JSON.readTree(payload).get("Records").forEach(records::add);
                batches.add(records.stream().map(r -> r.get("n").asInt()).toList());
                return answer.apply(records);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<Integer> delivered() {
            return batches.stream().flatMap(List::stream).toList();
        }
    }

    private static FunctionInvoker.Result ok() {
        return new FunctionInvoker.Result(200, "null".getBytes(StandardCharsets.UTF_8), null);
    }

    private static FunctionInvoker.Result unhandled() {
        return new FunctionInvoker.Result(200, "{\"errorMessage\":\"boom\"}".getBytes(StandardCharsets.UTF_8), "Unhandled");
    }

    private static EventSourceMapping mapping(int batchSize, List<String> filters, boolean reportFailures, String position, int retries,
            boolean bisect) {
        return new EventSourceMapping("m-1", "000000000000", "us-east-1", "fn", InMemoryChangeFeed.STREAM, batchSize, 0, filters,
                reportFailures ? List.of(EventSourceMapping.REPORT_BATCH_ITEM_FAILURES) : List.of(), null, true, 0,
                new StreamSettings(position, null, retries, -1, bisect, 1, QUEUE));
    }

    private StreamPoller poller(EventSourceMapping mapping, Worker worker) {
        StreamPoller.initialize(mapping, feed, checkpoints);
        return new StreamPoller(mapping, feed, StreamMappings.DYNAMODB_BATCH_INFO, checkpoints, worker,
                (arn, payload, objectKey) -> sentToDestination.add(payload), Clock.systemUTC());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition reached in time").isTrue();
    }

    private void append(int... numbers) {
        for (int n : numbers) {
            feed.append(n, Instant.now());
        }
    }

    @Test
    void deliversEveryRecordInOrderInBatchesAndResumesFromTheCheckpoint() throws Exception {
        append(1, 2, 3, 4, 5);
        Worker worker = new Worker(records -> ok());
        try (StreamPoller poller = poller(mapping(2, List.of(), false, "TRIM_HORIZON", -1, false), worker)) {
            poller.start();
            await(() -> worker.delivered().size() == 5);
            assertThat(worker.batches).containsExactly(List.of(1, 2), List.of(3, 4), List.of(5));
            assertThat(poller.lastProcessingResult()).isEqualTo("OK");
        }
        append(6);
        Worker next = new Worker(records -> ok());
        try (StreamPoller poller = poller(mapping(2, List.of(), false, "TRIM_HORIZON", -1, false), next)) {
            poller.start();
            await(() -> !next.delivered().isEmpty());
            Thread.sleep(300);
            assertThat(next.delivered()).as("nothing delivered twice").containsExactly(6);
        }
    }

    @Test
    void latestSkipsWhatWasWrittenBeforeTheMappingAndAClosedShardIsFinished() throws Exception {
        append(1, 2);
        Worker worker = new Worker(records -> ok());
        try (StreamPoller poller = poller(mapping(10, List.of(), false, "LATEST", -1, false), worker)) {
            append(3);
            poller.start();
            await(() -> worker.delivered().size() == 1);
            feed.close();
            await(() -> checkpoints.get("m-1", InMemoryChangeFeed.SHARD).map(Checkpoint::finished).orElse(false));
            assertThat(worker.delivered()).containsExactly(3);
        }
    }

    @Test
    void recordsNoFilterMatchesAreSkipped() throws Exception {
        append(1, 2, 3, 4);
        Worker worker = new Worker(records -> ok());
        try (StreamPoller poller = poller(mapping(10, List.of("{\"n\":[2,4]}"), false, "TRIM_HORIZON", -1, false), worker)) {
            poller.start();
            await(() -> worker.delivered().size() == 2);
            assertThat(worker.batches).containsExactly(List.of(2, 4));
        }
    }

    @Test
    void aReportedFailureMovesTheCheckpointJustBeforeItAndRetriesTheRest() throws Exception {
        append(1, 2, 3, 4);
        List<Integer> failedOnce = new CopyOnWriteArrayList<>();
        Worker worker = new Worker(records -> {
            for (JsonNode record : records) {
                if (record.get("n").asInt() == 3 && failedOnce.isEmpty()) {
                    failedOnce.add(3);
                    String sequence = record.get("dynamodb").get("SequenceNumber").asText();
                    return new FunctionInvoker.Result(200,
                            ("{\"batchItemFailures\":[{\"itemIdentifier\":\"" + sequence + "\"}]}").getBytes(StandardCharsets.UTF_8), null);
                }
            }
            return ok();
        });
        try (StreamPoller poller = poller(mapping(10, List.of(), true, "TRIM_HORIZON", -1, false), worker)) {
            poller.start();
            await(() -> worker.batches.size() == 2);
            assertThat(worker.batches).containsExactly(List.of(1, 2, 3, 4), List.of(3, 4));
        }
    }

    @Test
    void aBatchThatKeepsFailingIsRetriedThenDescribedToTheDestinationAndSkipped() throws Exception {
        append(1, 2);
        Worker worker = new Worker(records -> records.stream().anyMatch(r -> r.get("n").asInt() == 1) ? unhandled() : ok());
        try (StreamPoller poller = poller(mapping(2, List.of(), false, "TRIM_HORIZON", 2, false), worker)) {
            poller.start();
            await(() -> sentToDestination.size() == 1);
            append(3);
            await(() -> worker.delivered().contains(3));
        }
        assertThat(worker.batches).containsExactly(List.of(1, 2), List.of(1, 2), List.of(1, 2), List.of(3));
        JsonNode record = JSON.readTree(sentToDestination.getFirst());
        assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
        assertThat(record.at("/requestContext/functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:fn");
        assertThat(record.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.at("/DDBStreamBatchInfo/shardId").asText()).isEqualTo(InMemoryChangeFeed.SHARD);
        assertThat(record.at("/DDBStreamBatchInfo/startSequenceNumber").asText()).isEqualTo("%021d".formatted(1));
        assertThat(record.at("/DDBStreamBatchInfo/endSequenceNumber").asText()).isEqualTo("%021d".formatted(2));
        assertThat(record.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(2);
        assertThat(record.at("/DDBStreamBatchInfo/streamArn").asText()).isEqualTo(InMemoryChangeFeed.STREAM);
    }

    @Test
    void bisectionIsolatesTheBadRecord() throws Exception {
        append(1, 2, 3, 4);
        Worker worker = new Worker(records -> records.stream().anyMatch(r -> r.get("n").asInt() == 3) ? unhandled() : ok());
        try (StreamPoller poller = poller(mapping(4, List.of(), false, "TRIM_HORIZON", 0, true), worker)) {
            poller.start();
            // 4 is also in the failed batch [3, 4]: wait for its own batch, which comes after the destination.
            await(() -> sentToDestination.size() == 1 && worker.batches.contains(List.of(4)));
        }
        assertThat(worker.batches).containsExactly(List.of(1, 2, 3, 4), List.of(1, 2), List.of(3, 4), List.of(3), List.of(4));
        assertThat(JSON.readTree(sentToDestination.getFirst()).at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(1);
    }

    @Test
    void recordsOlderThanTheMaximumAgeAreGivenUpOnWithoutAnInvocation() throws Exception {
        feed.append(1, Instant.now().minus(Duration.ofHours(2)));
        feed.append(2, Instant.now());
        Worker worker = new Worker(records -> ok());
        EventSourceMapping mapping = new EventSourceMapping("m-1", "000000000000", "us-east-1", "fn", InMemoryChangeFeed.STREAM, 10, 0,
                List.of(), List.of(), null, true, 0, new StreamSettings("TRIM_HORIZON", null, -1, 3600, false, 1, QUEUE));
        try (StreamPoller poller = poller(mapping, worker)) {
            poller.start();
            await(() -> worker.delivered().size() == 1);
        }
        assertThat(worker.batches).containsExactly(List.of(2));
        JsonNode record = JSON.readTree(sentToDestination.getFirst());
        assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RecordAgeExceeded");
        assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isZero();
        assertThat(record.has("responseContext")).isFalse();
        assertThat(record.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(1);
    }

    @Test
    void aBatchingWindowGathersRecordsUntilTheBatchIsFullOrTheWindowEnds() throws Exception {
        Worker worker = new Worker(records -> ok());
        EventSourceMapping mapping = new EventSourceMapping("m-1", "000000000000", "us-east-1", "fn", InMemoryChangeFeed.STREAM, 3, 1,
                List.of(), List.of(), null, true, 0, new StreamSettings("TRIM_HORIZON", null, -1, -1, false, 1, null));
        try (StreamPoller poller = poller(mapping, worker)) {
            poller.start();
            append(1);
            Thread.sleep(300);
            append(2);
            await(() -> worker.delivered().size() == 2);
            append(3, 4, 5);
            await(() -> worker.delivered().size() == 5);
        }
        assertThat(worker.batches).containsExactly(List.of(1, 2), List.of(3, 4, 5));
    }

    @Test
    void atTimestampStartsAtTheFirstRecordWrittenAtOrAfterIt() throws Exception {
        Instant now = Instant.now();
        feed.append(1, now.minus(Duration.ofHours(2)));
        feed.append(2, now.minus(Duration.ofHours(1)));
        feed.append(3, now);
        Worker worker = new Worker(records -> ok());
        EventSourceMapping mapping = new EventSourceMapping("m-1", "000000000000", "us-east-1", "fn", InMemoryChangeFeed.STREAM, 10, 0,
                List.of(), List.of(), null, true, 0,
                new StreamSettings("AT_TIMESTAMP", now.minus(Duration.ofMinutes(90)).toEpochMilli(), -1, -1, false, 1, null));
        try (StreamPoller poller = poller(mapping, worker)) {
            poller.start();
            await(() -> worker.delivered().size() == 2);
        }
        assertThat(worker.batches).containsExactly(List.of(2, 3));
    }

    @Test
    void aParallelizationFactorRunsLanesAtOnceAndKeepsEachItemsOrder() throws Exception {
        for (int n = 1; n <= 24; n++) {
            feed.append(n, Instant.now(), "item-" + n % 6);
        }
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        Worker worker = new Worker(records -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return ok();
        });
        try (StreamPoller poller = poller(parallel(4, -1), worker)) {
            poller.start();
            await(() -> worker.delivered().size() == 24);
        }
        assertThat(worker.delivered()).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 24).boxed().toList());
        assertThat(worker.batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(2));
        for (int item = 0; item < 6; item++) {
            int of = item;
            assertThat(worker.delivered().stream().filter(n -> n % 6 == of).toList()).as("records of item-%d", item).isSorted();
        }
        assertThat(mostInFlight.get()).as("batches in flight at once").isGreaterThan(1);

        feed.append(25, Instant.now(), "item-1");
        Worker next = new Worker(records -> ok());
        try (StreamPoller poller = poller(parallel(4, -1), next)) {
            poller.start();
            await(() -> !next.delivered().isEmpty());
            Thread.sleep(300);
            assertThat(next.delivered()).as("the shard's checkpoint moved past every lane's records").containsExactly(25);
        }
    }

    @Test
    void aLaneRetriesItsBatchWhileTheOtherLanesDeliverTheirsOnce() throws Exception {
        for (int n = 1; n <= 8; n++) {
            feed.append(n, Instant.now(), n == 3 ? "bad" : "item-" + n);
        }
        AtomicInteger failures = new AtomicInteger();
        Worker worker = new Worker(records -> records.stream().anyMatch(r -> r.get("n").asInt() == 3) && failures.getAndIncrement() < 2
                ? unhandled() : ok());
        try (StreamPoller poller = poller(parallel(8, -1), worker)) {
            poller.start();
            await(() -> worker.delivered().stream().filter(n -> n == 3).count() == 3);
            await(() -> checkpoints.get("m-1", InMemoryChangeFeed.SHARD).map(c -> "8".equals(c.token()) && c.after() == null).orElse(false));
        }
        // Records that share the bad record's lane (and batch) are retried with it; every other one comes once.
        List<Integer> withTheBadOne = worker.batches.stream().filter(batch -> batch.contains(3)).flatMap(List::stream).distinct().toList();
        assertThat(worker.delivered().stream().filter(n -> !withTheBadOne.contains(n)).toList()).doesNotHaveDuplicates();
        assertThat(worker.delivered()).containsAll(List.of(1, 2, 3, 4, 5, 6, 7, 8));
        assertThat(withTheBadOne).as("the bad record's batch is not the whole read").hasSizeLessThan(8);
        assertThat(sentToDestination).isEmpty();
    }

    private static EventSourceMapping parallel(int factor, int retries) {
        return new EventSourceMapping("m-1", "000000000000", "us-east-1", "fn", InMemoryChangeFeed.STREAM, 2, 0, List.of(), List.of(), null, true, 0,
                new StreamSettings("TRIM_HORIZON", null, retries, -1, false, factor, QUEUE));
    }

    @Test
    void sequenceNumbersCompareNumerically() {
        assertThat(StreamPoller.compareSequence("9", "10")).isNegative();
        assertThat(StreamPoller.compareSequence("000000000000000000012", "000000000000000000011")).isPositive();
    }
}
