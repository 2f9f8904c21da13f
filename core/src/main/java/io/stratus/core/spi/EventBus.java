package io.stratus.core.spi;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import java.time.Instant;
import java.util.List;

/**
 * Putting events on an EventBridge event bus: AWS services emitting their own events (S3's
 * {@code Object Created} with EventBridge enabled on a bucket, Step Functions status changes) go
 * to their account's {@code default} bus; deliveries to a bus ARN (Lambda destinations, one
 * bus's rule targeting another) go to that bus. Implemented by the EventBridge service with the
 * semantics of {@code PutEvents}: the bus's rules match the event and send it to their targets.
 *
 * <p>Thread safety: callable from any number of threads at once. A put returns once EventBridge
 * accepted the event; rules deliver it afterwards with their own retry policy.
 */
public interface EventBus {

    /**
     * An event as {@code PutEvents} takes one.
     *
     * @param source the source, e.g. {@code aws.s3} or {@code lambda}
     * @param detailType the detail type, e.g. {@code Object Created}
     * @param detail the detail, a JSON object
     * @param resources the ARNs the event is about, possibly empty
     * @param time when it happened, or null for now
     */
    record Event(String source, String detailType, String detail, List<String> resources, Instant time) {

        public Event {
            requireNonNull(source, "source is null");
            requireNonNull(detailType, "detailType is null");
            requireNonNull(detail, "detail is null");
            resources = resources == null ? List.of() : List.copyOf(resources);
        }
    }

    /** Whether the bus exists (an account's {@code default} bus always does). */
    boolean exists(Arn bus);

    /** Whether the bus exists and its resource policy (or its own account) allows {@code caller} {@code events:PutEvents}. */
    boolean allows(Arn bus, ServiceCaller caller);

    /**
     * Puts an event an AWS service emits on the {@code default} bus of {@code accountId} in {@code region}.
     *
     * @return the event's id
     */
    String emit(String accountId, String region, Event event);

    /**
     * Puts an event on {@code bus}, as its own account ({@code caller} null) or on behalf of
     * {@code caller}, which the bus's policy must allow.
     *
     * @return the event's id
     * @throws io.stratus.core.AwsException as PutEvents would answer: {@code ResourceNotFoundException}
     *     for a missing bus, {@code AccessDeniedException} when the policy does not allow the caller
     */
    String put(Arn bus, Event event, ServiceCaller caller);

    /**
     * Forwards a whole event (EventBridge's JSON: {@code id}, {@code source}, {@code detail-type},
     * {@code detail}, …) to {@code bus}, as one bus's rule targeting another does.
     *
     * @return the id the event keeps
     */
    String forward(Arn bus, String event, ServiceCaller caller);
}
