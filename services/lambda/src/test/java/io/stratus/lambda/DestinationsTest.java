package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.spi.Targets;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-06T07:08:09.123Z"), ZoneOffset.UTC);
    private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:out";
    private static final String DLQ = "arn:aws:sqs:us-east-1:000000000000:dlq";

    private static QueuedEvent event(String payload) {
        FunctionRecord function = new FunctionRecord("000000000000", "us-east-1", "fn", "nodejs20.x", "arn:aws:iam::000000000000:role/r",
                "index.handler", "", 3, 128, Map.of(), "c2hh", 1, Instant.EPOCH, "r1", FunctionRecord.LATEST, 0, null, DLQ);
        return new QueuedEvent("req-1", 1, function, function.arn(), payload.getBytes(StandardCharsets.UTF_8), Instant.EPOCH, 0, null, null);
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
        new Destinations(targets, CLOCK).success(event("{\"a\":1}"), 1,
                new QueuedEvent.Response(200, null, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8)), QUEUE);

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

        destinations.failure(event("{\"a\":1}"), Destinations.Condition.RETRIES_EXHAUSTED, 3, error("boom"), QUEUE, DLQ);
        destinations.failure(event("{\"a\":2}"), Destinations.Condition.RETRIES_EXHAUSTED, 3, error("x".repeat(2000)), null, DLQ);
        destinations.failure(event("{\"a\":3}"), Destinations.Condition.EVENT_AGE_EXCEEDED, 1, error("late"), null, null);

        assertThat(targets.deliveries).hasSize(2);
        JsonNode record = json(targets.deliveries.get(0).payload());
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.get("responseContext").get("functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.get("responsePayload").get("errorMessage").asText()).isEqualTo("boom");
        assertThat(targets.deliveries.get(0).options()).isEqualTo(Targets.Options.NONE);

        RecordingTargets.Delivery dead = targets.deliveries.get(1);
        assertThat(dead.target().toString()).isEqualTo(DLQ);
        assertThat(new String(dead.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":2}");
        assertThat(dead.options().attributes()).containsEntry("RequestID", "req-1").containsEntry("ErrorCode", "200")
                .containsEntry("ErrorMessage", "x".repeat(1024));
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
