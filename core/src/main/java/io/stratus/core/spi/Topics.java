package io.stratus.core.spi;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import java.util.Map;

/**
 * Publishing to an SNS topic, for whatever delivers to one (S3 notifications, EventBridge rules,
 * Lambda destinations and dead-letter topics). Implemented by the SNS service with the same
 * semantics, limits and errors as its {@code Publish}; the server hands it to {@link Targets}.
 *
 * <p>Thread safety: callable from any number of threads at once. A publish returns once SNS
 * accepted the message (durably, as its API acknowledges); fan-out to subscriptions follows
 * SNS's own delivery and retry rules.
 */
public interface Topics {

    /**
     * A message to publish.
     *
     * @param message the message
     * @param subject the subject email endpoints and the JSON envelope carry, or null
     * @param attributes its message attributes, possibly empty
     * @param groupId the message group, required by a FIFO topic, else null
     * @param deduplicationId the FIFO deduplication id, or null for content-based deduplication
     */
    record Message(String message, String subject, Map<String, Queues.MessageAttribute> attributes, String groupId, String deduplicationId) {

        public Message {
            requireNonNull(message, "message is null");
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        public static Message of(String message) {
            return new Message(message, null, Map.of(), null, null);
        }
    }

    /** Whether the topic exists. */
    boolean exists(Arn topic);

    /** Whether the topic exists and its access policy allows {@code caller} {@code sns:Publish}. */
    boolean allows(Arn topic, ServiceCaller caller);

    /**
     * Publishes as the topic's own account.
     *
     * @return the message id
     * @throws io.stratus.core.AwsException as Publish would answer, e.g. {@code NotFound} for a missing topic
     */
    String publish(Arn topic, Message message);

    /**
     * Publishes on behalf of {@code caller}, which the topic's access policy must allow {@code sns:Publish}.
     *
     * @throws io.stratus.core.AwsException as Publish would answer, {@code AuthorizationError} when the policy does not allow the caller
     */
    String publish(Arn topic, Message message, ServiceCaller caller);
}
