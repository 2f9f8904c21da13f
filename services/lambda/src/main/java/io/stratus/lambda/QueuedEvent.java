package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * An acknowledged {@code Event} invocation, as the store keeps it from its 202 until it reaches a
 * final outcome (success, retries exhausted, too old). Immutable; a retry is a new value.
 *
 * @param requestId the invocation's request id: the function's {@code awsRequestId} on every
 *     attempt (as on AWS) and the {@code requestId} of its destination record
 * @param sequence its place in arrival order, also across restarts
 * @param function the version it runs, as it was when it was acknowledged
 * @param invokedArn the ARN it was sent to, with its qualifier if it had one
 * @param payload the event
 * @param acknowledged when it was acknowledged, by the service's clock: its age counts from here
 * @param attempts how often it ran so far (throttled attempts, which never ran, do not count)
 * @param retryAt when its next attempt is due after a failed one, or null when none is waiting
 * @param lastResponse what its last attempt answered, or null before the first
 * @param delivery once the event reached its outcome, what is still to be delivered to its
 *     destination or dead-letter queue after a delivery that failed (then {@code retryAt} is when
 *     it is tried again); null while the event has not reached its outcome
 * @param traceHeader the X-Ray trace header the invocation came with (its chain, see {@link TraceLineage}), or null
 */
record QueuedEvent(String requestId, long sequence, FunctionRecord function, String invokedArn, byte[] payload, Instant acknowledged,
        int attempts, Instant retryAt, Response lastResponse, Delivery delivery, String traceHeader) {

    /**
     * An invocation record for a destination, or an event for a dead-letter queue, as it is sent
     * (so a retry sends the same bytes).
     *
     * @param target the destination's or dead-letter queue's ARN
     * @param payload the invocation record, or the event itself for a dead-letter queue
     * @param attributes the dead-letter message's attributes, empty for a destination
     * @param deadLetter whether {@code target} is the function's dead-letter queue
     * @param attempts how often it was tried so far
     */
    record Delivery(String target, byte[] payload, Map<String, String> attributes, boolean deadLetter, int attempts) {
        Delivery {
            requireNonNull(target, "target is null");
            requireNonNull(payload, "payload is null");
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        Delivery tried() {
            return new Delivery(target, payload, attributes, deadLetter, attempts + 1);
        }
    }

    /**
     * What an attempt answered.
     *
     * @param statusCode Invoke's status (200 when the function ran, also when it failed)
     * @param functionError {@code Unhandled} when it failed, else null
     * @param payload what it returned, or its error document
     */
    record Response(int statusCode, String functionError, byte[] payload) {
        Response {
            payload = payload == null ? new byte[0] : payload;
        }

        boolean failed() {
            return functionError != null;
        }
    }

    QueuedEvent {
        requireNonNull(requestId, "requestId is null");
        requireNonNull(function, "function is null");
        requireNonNull(invokedArn, "invokedArn is null");
        requireNonNull(payload, "payload is null");
        requireNonNull(acknowledged, "acknowledged is null");
    }

    /** An event that came without a trace header. */
    QueuedEvent(String requestId, long sequence, FunctionRecord function, String invokedArn, byte[] payload, Instant acknowledged,
            int attempts, Instant retryAt, Response lastResponse, Delivery delivery) {
        this(requestId, sequence, function, invokedArn, payload, acknowledged, attempts, retryAt, lastResponse, delivery, null);
    }

    /** This event after a failed attempt, waiting until {@code at} for the next. */
    QueuedEvent retrying(int attempts, Response response, Instant at) {
        return new QueuedEvent(requestId, sequence, function, invokedArn, payload, acknowledged, attempts, requireNonNull(at, "at is null"),
                response, null, traceHeader);
    }

    /** This event at its outcome, its {@code delivery} waiting until {@code at} to be tried again. */
    QueuedEvent delivering(Delivery delivery, Instant at) {
        return new QueuedEvent(requestId, sequence, function, invokedArn, payload, acknowledged, attempts, requireNonNull(at, "at is null"),
                lastResponse, requireNonNull(delivery, "delivery is null"), traceHeader);
    }

    /**
     * The qualifier whose event invoke config applies: the one it was invoked with, {@code ""} for
     * an unqualified ARN or {@code $LATEST} (as {@link FunctionStore} keys function-wide attachments).
     */
    String configQualifier() {
        // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
        String[] parts = invokedArn.split(":");
        String qualifier = parts.length > 7 ? parts[7] : "";
        return qualifier.equals(FunctionRecord.LATEST) ? "" : qualifier;
    }
}
