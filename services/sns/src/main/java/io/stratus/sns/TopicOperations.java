package io.stratus.sns;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.sns.SnsModel.AddPermissionRequest;
import io.stratus.sns.SnsModel.AttributesResponse;
import io.stratus.sns.SnsModel.CreateTopicRequest;
import io.stratus.sns.SnsModel.CreateTopicResponse;
import io.stratus.sns.SnsModel.Empty;
import io.stratus.sns.SnsModel.ListTagsForResourceRequest;
import io.stratus.sns.SnsModel.ListTagsForResourceResponse;
import io.stratus.sns.SnsModel.ListTopicsRequest;
import io.stratus.sns.SnsModel.ListTopicsResponse;
import io.stratus.sns.SnsModel.RemovePermissionRequest;
import io.stratus.sns.SnsModel.SetTopicAttributesRequest;
import io.stratus.sns.SnsModel.Tag;
import io.stratus.sns.SnsModel.TagResourceRequest;
import io.stratus.sns.SnsModel.TopicArnRequest;
import io.stratus.sns.SnsModel.TopicEntry;
import io.stratus.sns.SnsModel.UntagResourceRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The topic operations: create (idempotent for the same attributes and tags), delete (with its
 * subscriptions), list, attributes, tags and permissions. Thread-safe: every change is one store
 * transaction.
 */
final class TopicOperations {

    static final int PAGE = 100;
    static final int MAX_TAGS = 50;

    private final SnsStore store;
    private final TopicPolicy policy;
    private final Clock clock;

    TopicOperations(SnsStore store, TopicPolicy policy, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The topic a request names, checked against its policy for {@code action}; NotFound when there is none. */
    Topic require(RequestContext context, String topicArn, String parameter, String action) {
        Arn arn = TopicNames.parse(topicArn, parameter);
        Topic topic = store.topic(arn);
        if (topic == null) {
            throw AwsException.of(SnsErrors.NOT_FOUND, "Topic does not exist");
        }
        policy.check(context, topic, action);
        return topic;
    }

    CreateTopicResponse createTopic(RequestContext context, CreateTopicRequest request) {
        String name = request.name();
        Map<String, String> given = request.attributes() == null ? Map.of() : request.attributes();
        if (name != null && name.endsWith(".fifo") && !"true".equalsIgnoreCase(given.get(TopicAttributes.FIFO_TOPIC))) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Topic Name");
        }
        if (request.dataProtectionPolicy() != null && !request.dataProtectionPolicy().isEmpty()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                    "Invalid parameter: DataProtectionPolicy Reason: Stratus does not support data protection policies yet");
        }
        Map<String, String> attributes = TopicAttributes.forCreate(name, given);
        Map<String, String> tags = tags(request.tags());
        long now = clock.millis();
        Topic created = store.store().transaction(txn -> {
            Arn arn = Arn.of("sns", context.region(), context.accountId(), name);
            Topic existing = SnsStore.topic(txn, arn);
            if (existing != null) {
                for (Map.Entry<String, String> entry : attributes.entrySet()) {
                    if (!entry.getValue().equals(existing.attributes().get(entry.getKey()))) {
                        throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Attributes Reason: Topic already exists with different attributes");
                    }
                }
                if (!tags.isEmpty() && !tags.equals(existing.tags())) {
                    throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Tags Reason: Topic already exists with different tags");
                }
                return existing;
            }
            Topic topic = new Topic(context.accountId(), context.region(), name, attributes, tags, 0, now);
            SnsStore.write(txn, topic);
            return topic;
        });
        return new CreateTopicResponse(created.arn().toString());
    }

    Empty deleteTopic(RequestContext context, TopicArnRequest request) {
        Arn arn = TopicNames.parse(request.topicArn(), "TopicArn");
        Topic topic = store.topic(arn);
        if (topic == null) {
            return new Empty(); // idempotent, as AWS documents
        }
        policy.check(context, topic, "DeleteTopic");
        store.store().transaction(txn -> {
            for (Subscription subscription : SnsStore.subscriptions(txn, arn)) {
                SnsStore.remove(txn, subscription);
            }
            txn.delete(SnsStore.TOPICS, SnsStore.topicKey(arn));
            return null;
        });
        return new Empty();
    }

    ListTopicsResponse listTopics(RequestContext context, ListTopicsRequest request) {
        String after = request.nextToken() == null ? null : decodeToken(request.nextToken());
        List<Topic> topics = store.topics(context.accountId(), context.region(), after, PAGE + 1);
        String next = null;
        if (topics.size() > PAGE) {
            topics = topics.subList(0, PAGE);
            next = encodeToken(topics.getLast().name());
        }
        return new ListTopicsResponse(topics.stream().map(t -> new TopicEntry(t.arn().toString())).toList(), next);
    }

    AttributesResponse getTopicAttributes(RequestContext context, TopicArnRequest request) {
        Topic topic = require(context, request.topicArn(), "TopicArn", "GetTopicAttributes");
        long confirmed = SnsStore.subscriptions(store.store(), topic.arn()).size();
        return new AttributesResponse(TopicAttributes.describe(topic, confirmed, 0));
    }

    Empty setTopicAttributes(RequestContext context, SetTopicAttributesRequest request) {
        Topic topic = require(context, request.topicArn(), "TopicArn", "SetTopicAttributes");
        if (TopicAttributes.FIFO_TOPIC.equals(request.attributeName())) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: AttributeName");
        }
        TopicAttributes.check(request.attributeName(), request.attributeValue(), topic.fifo());
        String value = request.attributeValue() == null || request.attributeValue().isEmpty() ? null : request.attributeValue();
        update(topic.arn(), t -> t.withAttribute(request.attributeName(), value));
        return new Empty();
    }

    Empty addPermission(RequestContext context, AddPermissionRequest request) {
        Topic topic = require(context, request.topicArn(), "TopicArn", "AddPermission");
        update(topic.arn(), t -> t.withAttribute(TopicAttributes.POLICY,
                TopicPolicy.addStatement(t, request.label(), request.accountIds(), request.actionNames())));
        return new Empty();
    }

    Empty removePermission(RequestContext context, RemovePermissionRequest request) {
        Topic topic = require(context, request.topicArn(), "TopicArn", "RemovePermission");
        update(topic.arn(), t -> t.withAttribute(TopicAttributes.POLICY, TopicPolicy.removeStatement(t, request.label())));
        return new Empty();
    }

    // Tags.

    private Topic taggable(RequestContext context, String resourceArn, String action) {
        Arn arn;
        try {
            arn = TopicNames.parse(resourceArn, "ResourceArn");
        } catch (AwsException e) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: ResourceArn");
        }
        Topic topic = store.topic(arn);
        if (topic == null) {
            throw AwsException.of(SnsErrors.RESOURCE_NOT_FOUND, "Resource does not exist");
        }
        policy.check(context, topic, action);
        return topic;
    }

    Empty tagResource(RequestContext context, TagResourceRequest request) {
        Topic topic = taggable(context, request.resourceArn(), "TagResource");
        Map<String, String> added = tags(request.tags());
        update(topic.arn(), t -> {
            Map<String, String> tags = new TreeMap<>(t.tags());
            tags.putAll(added);
            if (tags.size() > MAX_TAGS) {
                throw AwsException.of(SnsErrors.TAG_LIMIT_EXCEEDED, "Could not complete request: tag quota of per resource exceeded");
            }
            return t.withTags(tags);
        });
        return new Empty();
    }

    Empty untagResource(RequestContext context, UntagResourceRequest request) {
        Topic topic = taggable(context, request.resourceArn(), "UntagResource");
        List<String> keys = request.tagKeys() == null ? List.of() : request.tagKeys();
        update(topic.arn(), t -> {
            Map<String, String> tags = new TreeMap<>(t.tags());
            keys.forEach(tags::remove);
            return t.withTags(tags);
        });
        return new Empty();
    }

    ListTagsForResourceResponse listTagsForResource(RequestContext context, ListTagsForResourceRequest request) {
        Topic topic = taggable(context, request.resourceArn(), "ListTagsForResource");
        return new ListTagsForResourceResponse(new TreeMap<>(topic.tags()).entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList());
    }

    /** Tags as a request gives them, checked as AWS checks them. */
    static Map<String, String> tags(List<Tag> given) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (given == null) {
            return tags;
        }
        if (given.size() > MAX_TAGS) {
            throw AwsException.of(SnsErrors.TAG_LIMIT_EXCEEDED, "Could not complete request: tag quota of per resource exceeded");
        }
        for (Tag tag : given) {
            if (tag.key() == null || tag.key().isEmpty() || tag.key().length() > 128) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Tags Reason: Tag keys must be between 1 and 128 characters.");
            }
            if (tag.value() == null) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Tags Reason: Tag value must not be null.");
            }
            if (tag.value().length() > 256) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Tags Reason: Tag values must be at most 256 characters.");
            }
            if (tag.key().startsWith("aws:")) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Tags Reason: Keys can't start with the prefix aws:");
            }
            tags.put(tag.key(), tag.value());
        }
        return tags;
    }

    private void update(Arn arn, java.util.function.UnaryOperator<Topic> change) {
        store.store().transaction(txn -> {
            Topic topic = SnsStore.topic(txn, arn);
            if (topic == null) {
                throw AwsException.of(SnsErrors.NOT_FOUND, "Topic does not exist");
            }
            SnsStore.write(txn, change.apply(topic));
            return null;
        });
    }

    static String encodeToken(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: NextToken");
        }
    }
}
