package io.stratus.sns;

import static java.util.Objects.requireNonNull;

import io.stratus.core.PeriodicTask;
import io.stratus.core.spi.Targets;
import io.stratus.core.spi.Topics;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.StratusService;
import io.stratus.sns.SnsModel.AddPermissionRequest;
import io.stratus.sns.SnsModel.ConfirmSubscriptionRequest;
import io.stratus.sns.SnsModel.CreateTopicRequest;
import io.stratus.sns.SnsModel.GetSubscriptionAttributesRequest;
import io.stratus.sns.SnsModel.ListSubscriptionsByTopicRequest;
import io.stratus.sns.SnsModel.ListSubscriptionsRequest;
import io.stratus.sns.SnsModel.ListTagsForResourceRequest;
import io.stratus.sns.SnsModel.ListTopicsRequest;
import io.stratus.sns.SnsModel.PublishBatchRequest;
import io.stratus.sns.SnsModel.PublishRequest;
import io.stratus.sns.SnsModel.RemovePermissionRequest;
import io.stratus.sns.SnsModel.SetSubscriptionAttributesRequest;
import io.stratus.sns.SnsModel.SetTopicAttributesRequest;
import io.stratus.sns.SnsModel.SubscribeRequest;
import io.stratus.sns.SnsModel.TagResourceRequest;
import io.stratus.sns.SnsModel.TopicArnRequest;
import io.stratus.sns.SnsModel.UnsubscribeRequest;
import io.stratus.sns.SnsModel.UntagResourceRequest;
import io.stratus.storage.Store;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Amazon Simple Notification Service: standard and FIFO topics kept in the store, subscriptions of
 * SQS queues and Lambda functions, and durable fan-out to them through {@link Targets}, over
 * awsQuery (what the SDKs speak to SNS). Operations not declared here (SMS, mobile push, data
 * protection policies, …) answer awsQuery's {@code InvalidAction}. Thread-safe.
 */
public final class SnsService implements StratusService {

    private static final Logger LOG = LoggerFactory.getLogger(SnsService.class);

    private final ServiceDefinition definition;
    private final DeliveryWorker worker;
    private final SnsStore store;
    private final Clock clock;
    private final Topics topics;
    private final PeriodicTask deduplicationSweep;

    /**
     * @param store where topics, subscriptions and pending deliveries live
     * @param clock the time of publishes, retries and deduplication
     * @param baseUri where clients reach this server (for the envelopes' {@code UnsubscribeURL})
     * @param targets where deliveries go (queues, functions)
     * @param retryUnit the unit of the delivery retry policy: a second on AWS, shorter in tests
     */
    public SnsService(Store store, Clock clock, URI baseUri, Targets targets, Duration retryUnit) {
        requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        requireNonNull(baseUri, "baseUri is null");
        requireNonNull(targets, "targets is null");
        requireNonNull(retryUnit, "retryUnit is null");
        this.store = new SnsStore(store);
        TopicPolicy policy = new TopicPolicy();
        TopicOperations topicOperations = new TopicOperations(this.store, policy, clock);
        SubscriptionOperations subscriptions = new SubscriptionOperations(this.store, topicOperations);
        this.worker = new DeliveryWorker(store, targets, clock, new RetryPolicy(retryUnit));
        Publisher publisher = new Publisher(this.store, topicOperations, new Envelopes(baseUri), clock, worker);
        this.topics = new SnsTopics(this.store, policy, publisher);
        this.deduplicationSweep = new PeriodicTask("sns-deduplication", this::forgetDeduplications,
                e -> LOG.warn("SNS: the deduplication sweep failed", e));
        this.definition = ServiceDefinition.builder("sns")
                .protocol(Protocol.AWS_QUERY)
                .queryVersion("2010-03-31", "http://sns.amazonaws.com/doc/2010-03-31/")
                .operation("CreateTopic", CreateTopicRequest.class, topicOperations::createTopic)
                .operation("DeleteTopic", TopicArnRequest.class, topicOperations::deleteTopic)
                .operation("ListTopics", ListTopicsRequest.class, topicOperations::listTopics)
                .operation("GetTopicAttributes", TopicArnRequest.class, topicOperations::getTopicAttributes)
                .operation("SetTopicAttributes", SetTopicAttributesRequest.class, topicOperations::setTopicAttributes)
                .operation("AddPermission", AddPermissionRequest.class, topicOperations::addPermission)
                .operation("RemovePermission", RemovePermissionRequest.class, topicOperations::removePermission)
                .operation("TagResource", TagResourceRequest.class, topicOperations::tagResource)
                .operation("UntagResource", UntagResourceRequest.class, topicOperations::untagResource)
                .operation("ListTagsForResource", ListTagsForResourceRequest.class, topicOperations::listTagsForResource)
                .operation("Subscribe", SubscribeRequest.class, subscriptions::subscribe)
                .operation("ConfirmSubscription", ConfirmSubscriptionRequest.class, subscriptions::confirmSubscription)
                .operation("Unsubscribe", UnsubscribeRequest.class, subscriptions::unsubscribe)
                .operation("ListSubscriptions", ListSubscriptionsRequest.class, subscriptions::listSubscriptions)
                .operation("ListSubscriptionsByTopic", ListSubscriptionsByTopicRequest.class, subscriptions::listSubscriptionsByTopic)
                .operation("GetSubscriptionAttributes", GetSubscriptionAttributesRequest.class, subscriptions::getSubscriptionAttributes)
                .operation("SetSubscriptionAttributes", SetSubscriptionAttributesRequest.class, subscriptions::setSubscriptionAttributes)
                .operation("Publish", PublishRequest.class, publisher::publish)
                .operation("PublishBatch", PublishBatchRequest.class, publisher::publishBatch)
                .build();
    }

    /** Reads the retry unit from {@value RetryPolicy#UNIT_PROPERTY} (milliseconds), else a second as on AWS. */
    public static Duration retryUnitFromSystemProperties() {
        String value = System.getProperty(RetryPolicy.UNIT_PROPERTY);
        if (value == null || value.isBlank()) {
            return RetryPolicy.standard().unit();
        }
        try {
            return value.trim().startsWith("P") ? Duration.parse(value.trim()) : Duration.ofMillis(Long.parseLong(value.trim()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(RetryPolicy.UNIT_PROPERTY + " must be milliseconds or an ISO-8601 duration: " + value, e);
        }
    }

    /** Publishing to topics, for the services that deliver to one. */
    public Topics topics() {
        return topics;
    }

    private void forgetDeduplications() {
        store.forgetDeduplications(clock.millis() - Publisher.DEDUPLICATION_INTERVAL.toMillis());
    }

    @Override
    public void start() {
        worker.start();
        deduplicationSweep.start(Duration.ofMinutes(1), Duration.ofMinutes(1));
    }

    @Override
    public void close() {
        deduplicationSweep.close();
        worker.close();
    }

    @Override
    public ServiceDefinition definition() {
        return definition;
    }
}
