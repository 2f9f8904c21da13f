package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.lambda.EventSourceMapping.StreamSettings;
import io.stratus.storage.MemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A stream mapping's tumbling windows against an in-memory feed and a hand-written function that
 * sums the records' numbers into its state: one window's records per invocation, the state
 * carried from one invocation to the next and across a restart, the final invocation, responses
 * without a state, and a state that outgrows its limit.
 */
class TumblingWindowPollerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant BASE = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES);

    private final MemoryStore store = new MemoryStore();
    private final ShardCheckpoints checkpoints = new ShardCheckpoints(store);
    private final InMemoryChangeFeed feed = new InMemoryChangeFeed();
    private final List<byte[]> sentToDestination = new CopyOnWriteArrayList<>();

    /** A function that keeps every event it gets and answers as {@code answer} says. */
    private static final class Summer extends SyncOnlyFunction {
        final List<JsonNode> events = new CopyOnWriteArrayList<>();
        final Function<JsonNode, String> answer;

        /** Sums each record's {@code n} into the state's {@code sum}. */
        Summer() {
            this(event -> {
                int sum = event.at("/state/sum").asInt();
                for (JsonNode record : event.get("Records")) {
                    sum += record.get("n").asInt();
                }
                return "{\"state\":{\"sum\":" + sum + "}}";
            });
        }

        Summer(Function<JsonNode, String> answer) {
            this.answer = answer;
        }

        @Override
        public Result invoke(String accountId, String region, String function, byte[] payload) {
            try {
                JsonNode event = JSON.readTree(payload);
                events.add(event);
                return new Result(200, answer.apply(event).getBytes(StandardCharsets.UTF_8), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<JsonNode> finals() {
            return events.stream().filter(e -> e.get("isFinalInvokeForWindow").asBoolean()).toList();
        }
    }

    private static EventSourceMapping mapping(int windowSeconds, int retries) {
        return new EventSourceMapping("m-1", "000000000000", "us-east-1", "fn", InMemoryChangeFeed.STREAM, 10, 0, List.of(), List.of(), null,
                true, 0, new StreamSettings("TRIM_HORIZON", null, retries, -1, false, 1, "arn:aws:sqs:us-east-1:000000000000:failures",
                        windowSeconds));
    }

    private StreamPoller poller(EventSourceMapping mapping, FunctionInvoker function, Clock clock) {
        StreamPoller.initialize(mapping, feed, checkpoints);
        return new StreamPoller(mapping, feed, StreamMappings.DYNAMODB_BATCH_INFO, checkpoints, function,
                (arn, payload, objectKey) -> sentToDestination.add(payload), clock);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition reached in time").isTrue();
    }

    private static List<Integer> numbers(JsonNode event) {
        return JSON.convertValue(event.get("Records").findValues("n"), JSON.getTypeFactory().constructCollectionType(List.class, Integer.class));
    }

    @Test
    void eachWindowAggregatesItsRecordsThenGetsAFinalInvocationWithItsState() throws Exception {
        feed.append(1, BASE.plusSeconds(1));
        feed.append(2, BASE.plusSeconds(2));
        feed.append(3, BASE.plusSeconds(61));
        Summer function = new Summer();
        try (StreamPoller poller = poller(mapping(60, -1), function, Clock.systemUTC())) {
            poller.start();
            await(() -> function.finals().size() == 2);
        }
        assertThat(function.events).hasSize(4);
        JsonNode first = function.events.get(0);
        assertThat(numbers(first)).containsExactly(1, 2);
        assertThat(first.at("/window/start").asText()).isEqualTo(BASE.toString());
        assertThat(first.at("/window/end").asText()).isEqualTo(BASE.plusSeconds(60).toString());
        assertThat(first.get("state").toString()).isEqualTo("{}");
        assertThat(first.get("shardId").asText()).isEqualTo(InMemoryChangeFeed.SHARD);
        assertThat(first.get("eventSourceARN").asText()).isEqualTo(InMemoryChangeFeed.STREAM);
        assertThat(first.get("isFinalInvokeForWindow").asBoolean()).isFalse();
        assertThat(first.get("isWindowTerminatedEarly").asBoolean()).isFalse();

        JsonNode end = function.events.get(1);
        assertThat(end.get("isFinalInvokeForWindow").asBoolean()).isTrue();
        assertThat(end.get("Records")).isEmpty();
        assertThat(end.at("/state/sum").asInt()).isEqualTo(3);
        assertThat(end.at("/window/start").asText()).isEqualTo(BASE.toString());

        assertThat(numbers(function.events.get(2))).containsExactly(3);
        assertThat(function.events.get(2).at("/window/start").asText()).isEqualTo(BASE.plusSeconds(60).toString());
        assertThat(function.events.get(2).get("state").toString()).isEqualTo("{}");
        assertThat(function.events.get(3).at("/state/sum").asInt()).isEqualTo(3);
        assertThat(checkpoints.get("m-1", InMemoryChangeFeed.SHARD).orElseThrow().window()).isNull();
    }

    @Test
    void theStateOfAnOpenWindowSurvivesARestartAndTheWindowClosesWhenItsTimeIsOver() throws Exception {
        Clock during = Clock.fixed(BASE.plusSeconds(30), ZoneOffset.UTC);
        feed.append(1, BASE.plusSeconds(1));
        Summer function = new Summer();
        try (StreamPoller poller = poller(mapping(60, -1), function, during)) {
            poller.start();
            await(() -> function.events.size() == 1);
            Thread.sleep(3 * StreamPoller.IDLE.toMillis());
        }
        assertThat(function.finals()).isEmpty();
        assertThat(checkpoints.get("m-1", InMemoryChangeFeed.SHARD).orElseThrow().window().state()).isEqualTo("{\"sum\":1}");

        feed.append(4, BASE.plusSeconds(20));
        Summer restarted = new Summer();
        try (StreamPoller poller = poller(mapping(60, -1), restarted, during)) {
            poller.start();
            await(() -> restarted.events.size() == 1);
            Thread.sleep(3 * StreamPoller.IDLE.toMillis());
        }
        assertThat(numbers(restarted.events.getFirst())).containsExactly(4);
        assertThat(restarted.events.getFirst().at("/state/sum").asInt()).isEqualTo(1);
        assertThat(restarted.finals()).isEmpty();

        Summer later = new Summer();
        try (StreamPoller poller = poller(mapping(60, -1), later, Clock.fixed(BASE.plusSeconds(60), ZoneOffset.UTC))) {
            poller.start();
            await(() -> later.finals().size() == 1);
        }
        assertThat(later.events).hasSize(1);
        assertThat(later.events.getFirst().at("/state/sum").asInt()).isEqualTo(5);
    }

    @Test
    void anOpenWindowKeepsItsStateWhenTheRecordsUnderTheCheckpointAreTrimmed() throws Exception {
        Clock during = Clock.fixed(BASE.plusSeconds(30), ZoneOffset.UTC);
        feed.append(1, BASE.plusSeconds(1));
        Summer function = new Summer();
        try (StreamPoller poller = poller(mapping(60, -1), function, during)) {
            poller.start();
            await(() -> function.events.size() == 1);
        }
        // The checkpoint still points at the read that held record 1; those records are gone now.
        feed.append(2, BASE.plusSeconds(2));
        feed.append(4, BASE.plusSeconds(3));
        feed.trim(2);
        Summer restarted = new Summer();
        try (StreamPoller poller = poller(mapping(60, -1), restarted, during)) {
            poller.start();
            await(() -> !restarted.events.isEmpty());
        }
        assertThat(numbers(restarted.events.getFirst())).containsExactly(4);
        assertThat(restarted.events.getFirst().at("/state/sum").asInt()).isEqualTo(1);
    }

    @Test
    void aResponseWithoutAStateIsAFailedInvocation() throws Exception {
        feed.append(1, BASE.plusSeconds(1));
        Summer function = new Summer(event -> "{\"sum\":1}");
        try (StreamPoller poller = poller(mapping(60, 1), function, Clock.systemUTC())) {
            poller.start();
            await(() -> function.finals().size() == 1);
        }
        // Tried, retried once, given up on; the window then ends as any does, with what was aggregated (nothing).
        assertThat(function.events).hasSize(3);
        assertThat(numbers(function.events.get(1))).containsExactly(1);
        assertThat(function.finals().getFirst().get("state").toString()).isEqualTo("{}");
        assertThat(sentToDestination).hasSize(1);
        JsonNode record = JSON.readTree(sentToDestination.getFirst());
        assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
    }

    @Test
    void aStateOverOneMegabyteEndsTheWindowEarlyAndItGoesOnWithAFreshState() throws Exception {
        feed.append(1, BASE.plusSeconds(1));
        feed.append(2, BASE.plusSeconds(2));
        String big = "x".repeat(TumblingWindow.MAX_STATE_BYTES);
        Summer function = new Summer(event -> event.get("isFinalInvokeForWindow").asBoolean() ? "{}"
                : numbers(event).contains(1) ? "{\"state\":{\"big\":\"" + big + "\"}}" : "{\"state\":{\"n\":2}}");
        EventSourceMapping mapping = new EventSourceMapping("m-1", "000000000000", "us-east-1", "fn", InMemoryChangeFeed.STREAM, 1, 0, List.of(),
                List.of(), null, true, 0, new StreamSettings("TRIM_HORIZON", null, -1, -1, false, 1, null, 60));
        try (StreamPoller poller = poller(mapping, function, Clock.systemUTC())) {
            poller.start();
            await(() -> function.finals().size() == 2);
        }
        assertThat(function.events).hasSize(4);
        JsonNode early = function.events.get(1);
        assertThat(early.get("isFinalInvokeForWindow").asBoolean()).isTrue();
        assertThat(early.get("isWindowTerminatedEarly").asBoolean()).isTrue();
        assertThat(early.at("/state/big").asText()).hasSize(big.length());
        assertThat(numbers(function.events.get(2))).containsExactly(2);
        assertThat(function.events.get(2).get("state").toString()).isEqualTo("{}");
        assertThat(function.events.get(2).at("/window/start").asText()).isEqualTo(BASE.toString());
        assertThat(function.events.get(3).get("isWindowTerminatedEarly").asBoolean()).isFalse();
        assertThat(function.events.get(3).at("/state/n").asInt()).isEqualTo(2);
    }
}
