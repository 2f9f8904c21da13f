package io.stratus.sns;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.core.AwsException;
import io.stratus.protocol.policy.PolicyDocument;
import io.stratus.protocol.policy.PolicyException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The attributes of a topic: which ones CreateTopic and SetTopicAttributes take, how their values
 * are checked, and what GetTopicAttributes answers. Stratus keeps the delivery-status logging,
 * encryption and tracing settings as given; they change nothing here. Pure functions.
 */
final class TopicAttributes {

    static final String POLICY = "Policy";
    static final String DISPLAY_NAME = "DisplayName";
    static final String DELIVERY_POLICY = "DeliveryPolicy";
    static final String FIFO_TOPIC = "FifoTopic";
    static final String CONTENT_BASED_DEDUPLICATION = "ContentBasedDeduplication";
    static final String KMS_MASTER_KEY_ID = "KmsMasterKeyId";
    static final String SIGNATURE_VERSION = "SignatureVersion";
    static final String TRACING_CONFIG = "TracingConfig";
    static final String ARCHIVE_POLICY = "ArchivePolicy";
    static final String FIFO_THROUGHPUT_SCOPE = "FifoThroughputScope";

    /** What SetTopicAttributes may change (FifoTopic is fixed at creation). */
    private static final Set<String> SETTABLE = Set.of(POLICY, DISPLAY_NAME, DELIVERY_POLICY, CONTENT_BASED_DEDUPLICATION, KMS_MASTER_KEY_ID,
            SIGNATURE_VERSION, TRACING_CONFIG, ARCHIVE_POLICY, FIFO_THROUGHPUT_SCOPE,
            "ApplicationSuccessFeedbackRoleArn", "ApplicationSuccessFeedbackSampleRate", "ApplicationFailureFeedbackRoleArn",
            "HTTPSuccessFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate", "HTTPFailureFeedbackRoleArn",
            "LambdaSuccessFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate", "LambdaFailureFeedbackRoleArn",
            "SQSSuccessFeedbackRoleArn", "SQSSuccessFeedbackSampleRate", "SQSFailureFeedbackRoleArn",
            "FirehoseSuccessFeedbackRoleArn", "FirehoseSuccessFeedbackSampleRate", "FirehoseFailureFeedbackRoleArn");

    static final String EFFECTIVE_DELIVERY_POLICY = "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":20,\"maxDelayTarget\":20,"
            + "\"numRetries\":3,\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,\"numMinDelayRetries\":0,\"backoffFunction\":\"linear\"},"
            + "\"disableSubscriptionOverrides\":false,\"defaultRequestPolicy\":{\"headerContentType\":\"text/plain; charset=UTF-8\"}}}";

    private TopicAttributes() {}

    /** The attributes CreateTopic stores, checked; FifoTopic decides with the name whether the topic is FIFO. */
    static Map<String, String> forCreate(String name, Map<String, String> given) {
        Map<String, String> attributes = new LinkedHashMap<>();
        boolean fifo = false;
        for (Map.Entry<String, String> entry : given.entrySet()) {
            if (entry.getKey().equals(FIFO_TOPIC)) {
                fifo = bool(FIFO_TOPIC, entry.getValue());
            } else {
                check(entry.getKey(), entry.getValue(), name.endsWith(".fifo"));
                if (entry.getValue() != null && !entry.getValue().isEmpty()) {
                    attributes.put(entry.getKey(), entry.getValue());
                }
            }
        }
        TopicNames.check(name, fifo);
        if (fifo) {
            attributes.put(FIFO_TOPIC, "true");
            attributes.putIfAbsent(CONTENT_BASED_DEDUPLICATION, "false");
        }
        return attributes;
    }

    /** Checks one attribute as SetTopicAttributes (and CreateTopic) take it. */
    static void check(String name, String value, boolean fifo) {
        if (name == null || !SETTABLE.contains(name)) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: AttributeName");
        }
        String text = value == null ? "" : value;
        switch (name) {
            case POLICY -> {
                if (!text.isEmpty()) {
                    try {
                        PolicyDocument.parse(text);
                    } catch (PolicyException e) {
                        throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Policy Error: %s", e.getMessage());
                    }
                }
            }
            case CONTENT_BASED_DEDUPLICATION -> {
                if (!fifo) {
                    throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                            "Invalid parameter: ContentBasedDeduplication Reason: Content-based deduplication can only be set for FIFO topics");
                }
                bool(CONTENT_BASED_DEDUPLICATION, text);
            }
            case DELIVERY_POLICY, ARCHIVE_POLICY -> {
                if (!text.isEmpty()) {
                    JsonNode node = readJson(text);
                    if (node == null || !node.isObject()) {
                        throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: %s: failed to parse JSON.", name);
                    }
                }
                if (name.equals(ARCHIVE_POLICY) && !fifo) {
                    throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                            "Invalid parameter: ArchivePolicy Reason: The ArchivePolicy attribute is only supported for FIFO topics");
                }
                if (name.equals(ARCHIVE_POLICY) && !text.isEmpty()) {
                    // Stored and not acted on would be a fake success: nothing would be archived.
                    throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                            "Invalid parameter: ArchivePolicy Reason: Message archiving is not supported by Stratus yet");
                }
            }
            case SIGNATURE_VERSION -> {
                if (!text.equals("1") && !text.equals("2")) {
                    throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: SignatureVersion");
                }
            }
            case TRACING_CONFIG -> {
                if (!text.equals("PassThrough") && !text.equals("Active")) {
                    throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: TracingConfig");
                }
            }
            default -> {
                // Stored as given: they change nothing in Stratus.
            }
        }
    }

    /** What GetTopicAttributes answers for {@code topic}. */
    static Map<String, String> describe(Topic topic, long confirmed, long pending) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("TopicArn", topic.arn().toString());
        attributes.put("Owner", topic.account());
        attributes.put(POLICY, topic.attributes().getOrDefault(POLICY, TopicPolicy.defaultPolicy(topic)));
        attributes.put(DISPLAY_NAME, topic.attributes().getOrDefault(DISPLAY_NAME, ""));
        attributes.put("SubscriptionsConfirmed", Long.toString(confirmed));
        attributes.put("SubscriptionsPending", Long.toString(pending));
        attributes.put("SubscriptionsDeleted", Long.toString(topic.subscriptionsDeleted()));
        attributes.put("EffectiveDeliveryPolicy", topic.attributes().getOrDefault(DELIVERY_POLICY, EFFECTIVE_DELIVERY_POLICY));
        topic.attributes().forEach((name, value) -> {
            if (!name.equals(POLICY) && !name.equals(DISPLAY_NAME)) {
                attributes.put(name, value);
            }
        });
        return attributes;
    }

    static boolean bool(String name, String value) {
        if ("true".equalsIgnoreCase(value)) {
            return true;
        }
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: %s Reason: Invalid value [%s]. Must be true or false.", name, value);
    }

    static JsonNode readJson(String text) {
        try {
            return SnsStore.JSON.readTree(text);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
