package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.spi.Queues;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Targets;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DestinationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-06T07:08:09.123Z"), ZoneOffset.UTC);
    private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:out";
    private static final String DLQ = "arn:aws:sqs:us-east-1:000000000000:dlq";

    private static QueuedEvent event(String payload) {
        FunctionRecord function = new FunctionRecord("000000000000", "us-east-1", "fn", "nodejs20.x", "arn:aws:iam::000000000000:role/r",
                "index.handler", "", 3, 128, Map.of(), "c2hh", 1, Instant.EPOCH, "r1", FunctionRecord.LATEST, 0, null, DLQ);
        return new QueuedEvent("req-1", 1, function, function.arn(), payload.getBytes(StandardCharsets.UTF_8), Instant.EPOCH, 0, null, null, null);
    }

    private static QueuedEvent.Response error(String message) {
        return new QueuedEvent.Response(200, "Unhandled",
                ("{\"errorType\":\"Error\",\"errorMessage\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(byte[] bytes) throws Exception {
        return JSON.readTree(bytes);
    }

    @Test
    void successRecordHasAwsShape() throws Exception {
        RecordingTargets targets = new RecordingTargets();
        Destinations destinations = new Destinations(targets, CLOCK);
        QueuedEvent event = event("{\"a\":1}");
        QueuedEvent.Delivery record = destinations.success(event, 1,
                new QueuedEvent.Response(200, null, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8)), QUEUE);

        assertThat(destinations.deliver(event, record, false)).isEqualTo(Destinations.Outcome.DELIVERED);

        assertThat(targets.deliveries).singleElement().satisfies(delivery -> {
            assertThat(delivery.target().toString()).isEqualTo(QUEUE);
            assertThat(json(delivery.payload())).isEqualTo(JSON.readTree("""
                    {"version":"1.0","timestamp":"2024-05-06T07:08:09.123Z",
                     "requestContext":{"requestId":"req-1","functionArn":"arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST",
                                       "condition":"Success","approximateInvokeCount":1},
                     "requestPayload":{"a":1},
                     "responseContext":{"statusCode":200,"executedVersion":"$LATEST"},
                     "responsePayload":{"ok":true}}
                    """));
        });
    }

    @Test
    void failureGoesToTheDestinationElseTheDeadLetterQueueWithAwsAttributes() throws Exception {
        RecordingTargets targets = new RecordingTargets();
        Destinations destinations = new Destinations(targets, CLOCK);

        for (int i = 1; i <= 2; i++) {
            QueuedEvent event = event("{\"a\":" + i + "}");
            QueuedEvent.Delivery delivery = destinations.failure(event, Destinations.Condition.RETRIES_EXHAUSTED, 3,
                    error(i == 1 ? "boom" : "x".repeat(2000)), i == 1 ? QUEUE : null, DLQ);
            assertThat(delivery.deadLetter()).isEqualTo(i == 2);
            assertThat(destinations.deliver(event, delivery, true)).isEqualTo(Destinations.Outcome.DELIVERED);
        }
        assertThat(destinations.failure(event("{\"a\":3}"), Destinations.Condition.EVENT_AGE_EXCEEDED, 1, error("late"), null, null)).isNull();

        assertThat(targets.deliveries).hasSize(2);
        JsonNode record = json(targets.deliveries.get(0).payload());
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.get("responseContext").get("functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.get("responsePayload").get("errorMessage").asText()).isEqualTo("boom");
        assertThat(targets.deliveries.get(0).options()).isEqualTo(Targets.Options.NONE);

        RecordingTargets.Delivery dead = targets.deliveries.get(1);
        assertThat(dead.target().toString()).isEqualTo(DLQ);
        assertThat(new String(dead.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":2}");
        assertThat(dead.options().attributes()).isEqualTo(Queues.MessageAttribute.strings(Map.of("RequestID", "req-1", "ErrorCode", "200",
                "ErrorMessage", "x".repeat(1024))));
    }

    /** Targets that fail every delivery with {@code error}, and where only {@code existing} exist. */
    private record FailingTargets(AwsException error, Set<String> existing, List<Arn> tried) implements Targets {
        FailingTargets(AwsException error, String... existing) {
            this(error, Set.of(existing), new CopyOnWriteArrayList<>());
        }

        @Override
        public boolean exists(Arn target) {
            return existing.contains(target.toString());
        }

        @Override
        public boolean allows(Arn target, ServiceCaller caller) {
            return true;
        }

        @Override
        public void deliver(Arn target, byte[] payload, Options options) {
            tried.add(target);
            throw error;
        }
    }

    private static Destinations.Outcome deliverTo(Targets targets, String target, boolean last) {
        Destinations destinations = new Destinations(targets, CLOCK);
        QueuedEvent event = event("{}");
        return destinations.deliver(event, destinations.failure(event, Destinations.Condition.RETRIES_EXHAUSTED, 3, error("x"), target, null),
                last);
    }

    @Test
    void aTargetThatDoesNotExistYetIsWorthAnotherTryUntilTheLast() {
        FailingTargets missing = new FailingTargets(AwsException.of(CommonErrors.INVALID_PARAMETER_VALUE, "The specified queue does not exist."));

        assertThat(deliverTo(missing, QUEUE, false)).isEqualTo(Destinations.Outcome.RETRY);
        assertThat(deliverTo(missing, QUEUE, true)).isEqualTo(Destinations.Outcome.DROPPED);
        assertThat(deliverTo(new FailingTargets(AwsException.of(CommonErrors.SERVICE_UNAVAILABLE, "busy"), QUEUE), QUEUE, false))
                .isEqualTo(Destinations.Outcome.RETRY);
    }

    @Test
    void whatNoOtherTryCanChangeIsDroppedAtOnce() {
        // The target exists and refuses the payload.
        assertThat(deliverTo(new FailingTargets(AwsException.of(CommonErrors.INVALID_PARAMETER_VALUE, "too large"), QUEUE), QUEUE, false))
                .isEqualTo(Destinations.Outcome.DROPPED);
        // A kind of target Stratus does not deliver to yet.
        String topic = "arn:aws:sns:us-east-1:000000000000:topic";
        assertThat(deliverTo(new FailingTargets(AwsException.of(CommonErrors.NOT_IMPLEMENTED, "no SNS")), topic, false))
                .isEqualTo(Destinations.Outcome.DROPPED);
    }

    @Test
    void fifoQueuesAndTopicsAreNotSupportedTargetsAndGetNothing() {
        RecordingTargets targets = new RecordingTargets();

        assertThat(deliverTo(targets, "arn:aws:sqs:us-east-1:000000000000:records.fifo", false)).isEqualTo(Destinations.Outcome.DROPPED);
        assertThat(deliverTo(targets, "arn:aws:sns:us-east-1:000000000000:records.fifo", false)).isEqualTo(Destinations.Outcome.DROPPED);
        Destinations destinations = new Destinations(targets, CLOCK);
        QueuedEvent event = event("{}");
        QueuedEvent.Delivery dead = destinations.failure(event, Destinations.Condition.RETRIES_EXHAUSTED, 3, error("x"), null,
                "arn:aws:sqs:us-east-1:000000000000:dlq.fifo");
        assertThat(destinations.deliver(event, dead, false)).isEqualTo(Destinations.Outcome.DROPPED);
        assertThat(targets.deliveries).isEmpty();
    }

    @Test
    void aRecordOfAnEventThatNeverRanHasNoResponse() throws Exception {
        JsonNode record = json(new Destinations(new RecordingTargets(), CLOCK).record(event(""), Destinations.Condition.EVENT_AGE_EXCEEDED, 0, null));

        assertThat(record.get("requestPayload").isNull()).isTrue();
        assertThat(record.has("responseContext")).isFalse();
        assertThat(record.has("responsePayload")).isFalse();
        assertThat(record.get("requestContext").get("approximateInvokeCount").asInt()).isZero();
    }
}
