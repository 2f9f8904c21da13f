package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.spi.Targets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Lambda sends when an {@code Event} invocation ends, through {@link Targets}: AWS's
 * invocation record to the event invoke config's {@code OnSuccess} or {@code OnFailure}
 * destination, or, on failure without an {@code OnFailure} destination, the event itself to the
 * function's dead-letter queue with the {@code RequestID}, {@code ErrorCode} and
 * {@code ErrorMessage} attributes. {@link #success} and {@link #failure} say what to send;
 * {@link #deliver} makes one try and says whether another could succeed: a target that does not
 * exist (yet), a throttled or failing target service may take it later; a payload the target
 * refuses, a FIFO queue or topic (which AWS does not deliver to: "an unsupported destination type",
 * counted as {@code DestinationDeliveryFailures}) and a kind of target Stratus does not deliver to
 * yet never will. A record sent to an EventBridge bus is the detail of a
 * {@code Lambda Function Invocation Result - Success} (or {@code - Failure}) event; one sent to an
 * S3 bucket ({@code OnFailure} only) is an object under
 * {@code aws/lambda/async/<function>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<request id>}. Retries are
 * {@link AsyncInvocations}'s. Thread-safe; stateless.
 */
final class Destinations {

    private static final Logger LOG = LoggerFactory.getLogger(Destinations.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** The date folders and time of a record's object in an S3 bucket. */
    private static final DateTimeFormatter OBJECT_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd/yyyy-MM-dd'T'HH.mm.ss").withZone(ZoneOffset.UTC);
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

    /** How one try of a delivery ended. */
    enum Outcome {
        /** The target took it. */
        DELIVERED,
        /** It failed in a way a later try may not: the target is missing, throttled or failing. */
        RETRY,
        /** It failed for good, and is dropped. */
        DROPPED
    }

    private final Targets targets;
    private final Clock clock;

    Destinations(Targets targets, Clock clock) {
        this.targets = requireNonNull(targets, "targets is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** After a successful attempt: the record for {@code destination}, or null when there is none. */
    QueuedEvent.Delivery success(QueuedEvent event, int invokeCount, QueuedEvent.Response response, String destination) {
        return destination == null ? null
                : new QueuedEvent.Delivery(destination, record(event, Condition.SUCCESS, invokeCount, response), Map.of(), false, 0);
    }

    /**
     * At a final failure: the record for {@code destination} when there is one, else the event
     * for the dead-letter queue when there is one, else null (and a log line).
     *
     * @param response the last attempt's answer, or null when the event never ran (throttled until too old)
     */
    QueuedEvent.Delivery failure(QueuedEvent event, Condition condition, int invokeCount, QueuedEvent.Response response, String destination,
            String deadLetterTarget) {
        if (destination != null) {
            return new QueuedEvent.Delivery(destination, record(event, condition, invokeCount, response), Map.of(), false, 0);
        }
        if (deadLetterTarget != null) {
            byte[] body = event.payload().length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : event.payload();
            return new QueuedEvent.Delivery(deadLetterTarget, body, deadLetterAttributes(event, response), true, 0);
        }
        LOG.info("Async invocation {} of {} failed after {} attempt(s) ({}); no destination or dead-letter queue", event.requestId(),
                event.function().qualifiedArn(), invokeCount, condition.wireName);
        return null;
    }

    /**
     * One try of {@code delivery} (its {@code attempts} tries were made before).
     *
     * @param last whether no other try follows when this one fails: the failure is then final
     */
    Outcome deliver(QueuedEvent event, QueuedEvent.Delivery delivery, boolean last) {
        String kind = delivery.deadLetter() ? "dead-letter queue" : "destination";
        Arn target;
        try {
            target = Arn.parse(delivery.target());
        } catch (RuntimeException e) {
            return failed(event, delivery, kind, "not an ARN", false, last);
        }
        if (fifo(target)) {
            return failed(event, delivery, kind, "a FIFO " + (target.service().equals("sqs") ? "queue" : "topic")
                    + " is not a supported " + kind + " type", false, last);
        }
        try {
            targets.deliver(target, delivery.payload(), options(event, delivery, target));
        } catch (AwsException e) {
            int status = e.errorCode().httpStatus();
            boolean retry = e.errorCode() != CommonErrors.NOT_IMPLEMENTED && (status >= 500 || status == 429 || !targets.exists(target));
            return failed(event, delivery, kind, e.getMessage() + " (" + e.errorCode().code() + ")", retry, last);
        } catch (RuntimeException e) {
            LOG.debug("Async invocation {}: delivery to {} failed", event.requestId(), delivery.target(), e);
            return failed(event, delivery, kind, String.valueOf(e), true, last);
        }
        if (delivery.attempts() > 0) {
            LOG.info("Async invocation {} of {}: delivered to its {} {} on try {}", event.requestId(), event.function().qualifiedArn(), kind,
                    delivery.target(), delivery.attempts() + 1);
        }
        return Outcome.DELIVERED;
    }

    private static Outcome failed(QueuedEvent event, QueuedEvent.Delivery delivery, String kind, String why, boolean retry, boolean last) {
        if (retry && !last) {
            LOG.warn("Async invocation {} of {}: cannot deliver to its {} {} (try {}): {}; will try again", event.requestId(),
                    event.function().qualifiedArn(), kind, delivery.target(), delivery.attempts() + 1, why);
            return Outcome.RETRY;
        }
        LOG.warn("Async invocation {} of {}: cannot deliver to its {} {} (try {}): {}; dropped", event.requestId(),
                event.function().qualifiedArn(), kind, delivery.target(), delivery.attempts() + 1, why);
        return Outcome.DROPPED;
    }

    /**
     * How a delivery goes: with the dead-letter attributes; to an EventBridge bus, as the detail of
     * an event from {@code lambda} about the bus and the function, whose detail type says whether
     * the invocation succeeded; to an S3 bucket, as an object named after the function, the time
     * the event was acknowledged and its request (so however often it is tried, one object).
     */
    private static Targets.Options options(QueuedEvent event, QueuedEvent.Delivery delivery, Arn target) {
        Targets.Options options = Targets.Options.attributes(delivery.attributes());
        if (target.service().equals("s3")) {
            return options.withObjectKey("aws/lambda/async/" + event.function().name() + "/" + OBJECT_TIME.format(event.acknowledged())
                    + "-" + event.requestId());
        }
        if (!target.service().equals("events")) {
            return options;
        }
        String outcome = Condition.SUCCESS.wireName.equals(json(delivery.payload()).path("requestContext").path("condition").asText())
                ? "Success" : "Failure";
        return options.withEvent(new Targets.EventHeader("lambda", "Lambda Function Invocation Result - " + outcome,
                List.of(target.toString(), event.function().qualifiedArn()), null));
    }

    /** SQS FIFO queues and SNS FIFO topics: their names end in {@code .fifo}. */
    private static boolean fifo(Arn target) {
        return (target.service().equals("sqs") || target.service().equals("sns")) && target.resource().endsWith(".fifo");
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
}
