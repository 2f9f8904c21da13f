package io.stratus.sns;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.spi.Queues;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Topics;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link Topics} over this service: publishes with Publish's checks and durability, for S3
 * notifications, Lambda destinations and whatever else delivers to a topic. Thread-safe.
 */
final class SnsTopics implements Topics {

    private final SnsStore store;
    private final TopicPolicy policy;
    private final Publisher publisher;

    SnsTopics(SnsStore store, TopicPolicy policy, Publisher publisher) {
        this.store = requireNonNull(store, "store is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.publisher = requireNonNull(publisher, "publisher is null");
    }

    @Override
    public boolean exists(Arn topic) {
        return requireNonNull(topic, "topic is null").service().equals("sns") && store.topic(topic) != null;
    }

    @Override
    public boolean allows(Arn topic, ServiceCaller caller) {
        requireNonNull(caller, "caller is null");
        Topic found = exists(topic) ? store.topic(topic) : null;
        return found != null && policy.allowsPublish(found, caller);
    }

    @Override
    public String publish(Arn topic, Message message) {
        return publisher.publish(require(topic), outgoing(message)).messageId();
    }

    @Override
    public String publish(Arn topic, Message message, ServiceCaller caller) {
        requireNonNull(caller, "caller is null");
        Topic found = require(topic);
        if (!policy.allowsPublish(found, caller)) {
            throw AwsException.of(SnsErrors.AUTHORIZATION_ERROR,
                    "User: %s is not authorized to perform: SNS:Publish on resource: %s because no resource-based policy allows the SNS:Publish action",
                    caller.principal(), topic);
        }
        return publisher.publish(found, outgoing(message)).messageId();
    }

    private Topic require(Arn topic) {
        requireNonNull(topic, "topic is null");
        Topic found = topic.service().equals("sns") ? store.topic(topic) : null;
        if (found == null) {
            throw AwsException.of(SnsErrors.NOT_FOUND, "Topic does not exist");
        }
        return found;
    }

    private static Publisher.Outgoing outgoing(Message message) {
        requireNonNull(message, "message is null");
        Map<String, PublishedAttribute> attributes = new LinkedHashMap<>();
        message.attributes().forEach((name, attribute) -> attributes.put(name, published(attribute)));
        return new Publisher.Outgoing(message.message(), message.subject(), null, attributes, message.groupId(), message.deduplicationId(), null);
    }

    private static PublishedAttribute published(Queues.MessageAttribute attribute) {
        return attribute.binaryValue() != null
                ? new PublishedAttribute(attribute.dataType(), Base64.getEncoder().encodeToString(attribute.binaryValue()))
                : new PublishedAttribute(attribute.dataType(), attribute.stringValue());
    }
}
