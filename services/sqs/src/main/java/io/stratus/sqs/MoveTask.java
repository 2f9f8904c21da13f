package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.sqs.SqsModel.MessageMoveTaskEntry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A message move task as stored: which dead-letter queue it empties, where to, how far it got.
 * Immutable; each step stores a new value.
 *
 * @param taskId the task's id
 * @param source the dead-letter queue messages move out of
 * @param destinationArn where they go, or null for back to the queue each came from
 * @param maxPerSecond the rate limit, or null for as fast as the store allows
 * @param status {@code RUNNING}, {@code CANCELLING}, {@code CANCELLED}, {@code COMPLETED} or {@code FAILED}
 * @param failureReason why it failed, or null
 * @param startedAt when it started, epoch millis
 * @param toMove how many messages the source held when it started
 * @param moved how many it has moved
 * @param lastSequence the source's newest message when it started: messages sent later stay
 * @param cursor the sequence it has looked at up to
 */
record MoveTask(String taskId, QueueAddress source, String destinationArn, Integer maxPerSecond, String status, String failureReason,
        long startedAt, long toMove, long moved, long lastSequence, long cursor) {

    static final String RUNNING = "RUNNING";
    static final String CANCELLING = "CANCELLING";
    static final String CANCELLED = "CANCELLED";
    static final String COMPLETED = "COMPLETED";
    static final String FAILED = "FAILED";

    MoveTask {
        requireNonNull(taskId, "taskId is null");
        requireNonNull(source, "source is null");
        requireNonNull(status, "status is null");
    }

    boolean active() {
        return status.equals(RUNNING) || status.equals(CANCELLING);
    }

    MoveTask progressed(long movedNow, long newCursor) {
        return new MoveTask(taskId, source, destinationArn, maxPerSecond, status, failureReason, startedAt, toMove, moved + movedNow,
                lastSequence, newCursor);
    }

    MoveTask ended(String newStatus, String reason) {
        return new MoveTask(taskId, source, destinationArn, maxPerSecond, newStatus, reason, startedAt, toMove, moved, lastSequence, cursor);
    }

    /** The opaque handle CancelMessageMoveTask takes: which queue's task, and which one. */
    String handle() {
        String text = source.account() + "|" + source.region() + "|" + source.name() + "|" + startedAt + "|" + taskId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Where a handle points: the source queue, and the task's key under it. */
    record Handle(QueueAddress source, long startedAt, String taskId) {

        static Handle parse(String handle) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(handle), StandardCharsets.UTF_8).split("\\|", -1);
                if (parts.length == 5) {
                    return new Handle(new QueueAddress(parts[0], parts[1], parts[2]), Long.parseLong(parts[3]), parts[4]);
                }
            } catch (IllegalArgumentException e) {
                // Falls through: not a handle this server gave out.
            }
            throw notFound();
        }
    }

    static AwsException notFound() {
        return AwsException.of(SqsErrors.RESOURCE_NOT_FOUND, "The resource that you specified for the TaskHandle parameter doesn't exist.");
    }

    MessageMoveTaskEntry toEntry() {
        return new MessageMoveTaskEntry(status.equals(RUNNING) ? handle() : null, status, source.arn().toString(), destinationArn,
                maxPerSecond, moved, toMove, failureReason, startedAt);
    }
}
