package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.spi.Targets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Lambda sends when an {@code Event} invocation ends, through {@link Targets}: AWS's
 * invocation record to the event invoke config's {@code OnSuccess} or {@code OnFailure}
 * destination, or, on failure without an {@code OnFailure} destination, the event itself to the
 * function's dead-letter queue with the {@code RequestID}, {@code ErrorCode} and
 * {@code ErrorMessage} attributes. Each is one attempt: a delivery that fails (the queue is gone, a
 * kind of target Stratus does not deliver to yet) is logged and dropped, as AWS drops it with a
 * {@code DestinationDeliveryFailures} metric. Thread-safe; stateless.
 */
final class Destinations {

    private static final Logger LOG = LoggerFactory.getLogger(Destinations.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** AWS cuts a dead-letter message's {@code ErrorMessage} attribute at 1 KB. */
    private static final int MAX_ERROR_MESSAGE = 1024;

    /** Why an invocation record is sent, as its {@code requestContext.condition} names it. */
    enum Condition {
        SUCCESS("Success"), RETRIES_EXHAUSTED("RetriesExhausted"), EVENT_AGE_EXCEEDED("EventAgeExceeded");

        final String wireName;

        Condition(String wireName) {
            this.wireName = wireName;
        }
    }

    private final Targets targets;
    private final Clock clock;

    Destinations(Targets targets, Clock clock) {
        this.targets = requireNonNull(targets, "targets is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** After a successful attempt: the record to {@code destination}, when there is one. */
    void success(QueuedEvent event, int invokeCount, QueuedEvent.Response response, String destination) {
        if (destination != null) {
            deliver(destination, record(event, Condition.SUCCESS, invokeCount, response), Targets.Options.NONE, event);
        }
    }

    /**
     * At a final failure: the record to {@code destination} when there is one, else the event to
     * the dead-letter queue when there is one, else a log line.
     *
     * @param response the last attempt's answer, or null when the event never ran (throttled until too old)
     */
    void failure(QueuedEvent event, Condition condition, int invokeCount, QueuedEvent.Response response, String destination,
            String deadLetterTarget) {
        if (destination != null) {
            deliver(destination, record(event, condition, invokeCount, response), Targets.Options.NONE, event);
        } else if (deadLetterTarget != null) {
            byte[] body = event.payload().length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : event.payload();
            deliver(deadLetterTarget, body, Targets.Options.attributes(deadLetterAttributes(event, response)), event);
        } else {
            LOG.info("Async invocation {} of {} failed after {} attempt(s) ({}); no destination or dead-letter queue", event.requestId(),
                    event.function().qualifiedArn(), invokeCount, condition.wireName);
        }
    }

    /** AWS's invocation record, version 1.0. */
    byte[] record(QueuedEvent event, Condition condition, int invokeCount, QueuedEvent.Response response) {
        ObjectNode record = JSON.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", TIMESTAMP.format(clock.instant()));
        ObjectNode context = record.putObject("requestContext");
        context.put("requestId", event.requestId());
        context.put("functionArn", event.function().qualifiedArn());
        context.put("condition", condition.wireName);
        context.put("approximateInvokeCount", invokeCount);
        record.set("requestPayload", json(event.payload()));
        if (response != null) {
            ObjectNode responseContext = record.putObject("responseContext");
            responseContext.put("statusCode", response.statusCode());
            responseContext.put("executedVersion", event.function().version());
            if (response.functionError() != null) {
                responseContext.put("functionError", response.functionError());
            }
            record.set("responsePayload", json(response.payload()));
        }
        try {
            return JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode an invocation record", e);
        }
    }

    /** The attributes of a dead-letter message: the request id, the status code, and the first 1 KB of the error message. */
    static Map<String, String> deadLetterAttributes(QueuedEvent event, QueuedEvent.Response response) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("RequestID", event.requestId());
        if (response == null) {
            // It never ran: throttled until it was too old.
            attributes.put("ErrorCode", "429");
            attributes.put("ErrorMessage", "Event age exceeded while the function was throttled");
            return attributes;
        }
        attributes.put("ErrorCode", Integer.toString(response.statusCode()));
        String message = new String(response.payload(), StandardCharsets.UTF_8);
        try {
            JsonNode error = JSON.readTree(response.payload());
            if (error != null && error.hasNonNull("errorMessage")) {
                message = error.get("errorMessage").asText();
            }
        } catch (IOException e) {
            // Not an error document: the raw payload says what happened.
        }
        if (message.isEmpty()) {
            message = response.functionError() == null ? "Error" : response.functionError();
        }
        attributes.put("ErrorMessage", cut(message));
        return attributes;
    }

    /** The first 1 KB of a message, not splitting a character. */
    private static String cut(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_ERROR_MESSAGE) {
            return message;
        }
        int end = MAX_ERROR_MESSAGE;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** A payload as JSON in the record: null when empty, a string when it is not JSON. */
    private static JsonNode json(byte[] payload) {
        if (payload.length == 0) {
            return JSON.nullNode();
        }
        try {
            JsonNode node = JSON.readTree(payload);
            return node == null ? JSON.nullNode() : node;
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(new String(payload, StandardCharsets.UTF_8));
        }
    }

    private void deliver(String target, byte[] payload, Targets.Options options, QueuedEvent event) {
        try {
            targets.deliver(Arn.parse(target), payload, options);
        } catch (AwsException e) {
            LOG.warn("Async invocation {} of {}: cannot deliver to {}: {} ({}); dropped", event.requestId(), event.function().qualifiedArn(),
                    target, e.getMessage(), e.errorCode().code());
        } catch (RuntimeException e) {
            LOG.warn("Async invocation {} of {}: cannot deliver to {}; dropped", event.requestId(), event.function().qualifiedArn(), target, e);
        }
    }
}
