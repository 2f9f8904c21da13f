package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

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
 */
record QueuedEvent(String requestId, long sequence, FunctionRecord function, String invokedArn, byte[] payload, Instant acknowledged,
        int attempts, Instant retryAt, Response lastResponse) {

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

    /** This event after a failed attempt, waiting until {@code at} for the next. */
    QueuedEvent retrying(int attempts, Response response, Instant at) {
        return new QueuedEvent(requestId, sequence, function, invokedArn, payload, acknowledged, attempts, requireNonNull(at, "at is null"),
                response);
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
