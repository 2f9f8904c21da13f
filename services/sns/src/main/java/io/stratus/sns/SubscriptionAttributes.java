package io.stratus.sns;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The attributes of a subscription: which ones Subscribe and SetSubscriptionAttributes take, how
 * their values are checked, and what GetSubscriptionAttributes answers. Pure functions.
 */
final class SubscriptionAttributes {

    static final String RAW_MESSAGE_DELIVERY = "RawMessageDelivery";
    static final String FILTER_POLICY = "FilterPolicy";
    static final String FILTER_POLICY_SCOPE = "FilterPolicyScope";
    static final String REDRIVE_POLICY = "RedrivePolicy";
    static final String DELIVERY_POLICY = "DeliveryPolicy";
    static final String SUBSCRIPTION_ROLE_ARN = "SubscriptionRoleArn";
    static final String REPLAY_POLICY = "ReplayPolicy";

    private static final Set<String> SETTABLE = Set.of(RAW_MESSAGE_DELIVERY, FILTER_POLICY, FILTER_POLICY_SCOPE, REDRIVE_POLICY, DELIVERY_POLICY);

    private SubscriptionAttributes() {}

    /**
     * Checks one attribute for a subscription of {@code protocol} to a topic that is FIFO or not,
     * given the scope the filter policy will have; answers the value to store (null to remove).
     */
    static String check(String name, String value, String protocol, boolean fifo, String scope) {
        if (name == null || !SETTABLE.contains(name)) {
            if (SUBSCRIPTION_ROLE_ARN.equals(name) || REPLAY_POLICY.equals(name)) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Attributes Reason: %s is not supported by Stratus for %s subscriptions",
                        name, protocol);
            }
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: AttributeName");
        }
        String text = value == null ? "" : value;
        switch (name) {
            case RAW_MESSAGE_DELIVERY -> {
                boolean raw = TopicAttributes.bool(RAW_MESSAGE_DELIVERY, text);
                if (raw && !protocol.equals("sqs")) {
                    throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                            "Invalid parameter: Attributes Reason: Delivery protocol [%s] does not support raw message delivery.", protocol);
                }
                return Boolean.toString(raw);
            }
            case FILTER_POLICY -> {
                if (text.isEmpty()) {
                    return null;
                }
                FilterPolicy.validate(text, scope);
                return text;
            }
            case FILTER_POLICY_SCOPE -> {
                if (!text.equals(FilterPolicy.ATTRIBUTES_SCOPE) && !text.equals(FilterPolicy.BODY_SCOPE)) {
                    throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                            "Invalid parameter: FilterPolicyScope: Invalid value [%s]. Please use either MessageBody or MessageAttributes", text);
                }
                return text;
            }
            case REDRIVE_POLICY -> {
                if (text.isEmpty()) {
                    return null;
                }
                deadLetterTarget(text, fifo);
                return text;
            }
            case DELIVERY_POLICY -> {
                if (text.isEmpty()) {
                    return null;
                }
                JsonNode node = TopicAttributes.readJson(text);
                if (node == null || !node.isObject()) {
                    throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: DeliveryPolicy: failed to parse JSON.");
                }
                return text;
            }
            default -> throw new IllegalStateException(name);
        }
    }

    /** The dead-letter queue a RedrivePolicy names, checked: an SQS queue ARN, FIFO for a FIFO topic. */
    static Arn deadLetterTarget(String redrivePolicy, boolean fifo) {
        JsonNode node = TopicAttributes.readJson(redrivePolicy);
        if (node == null || !node.isObject()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: RedrivePolicy: failed to parse JSON.");
        }
        String target = node.path("deadLetterTargetArn").asText("");
        Arn arn;
        try {
            arn = Arn.parse(target);
        } catch (IllegalArgumentException e) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn");
        }
        if (!arn.service().equals("sqs")) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: RedrivePolicy: must use an SQS queue as deadLetterTarget");
        }
        if (fifo != arn.resource().endsWith(".fifo")) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, fifo
                    ? "Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic."
                    : "Invalid parameter: RedrivePolicy: must use a standard queue as DLQ for a standard Subscription.");
        }
        return arn;
    }

    /** What GetSubscriptionAttributes answers. */
    static Map<String, String> describe(Subscription subscription) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("SubscriptionArn", subscription.arn());
        attributes.put("TopicArn", subscription.topicArn());
        attributes.put("Owner", subscription.owner());
        attributes.put("Protocol", subscription.protocol());
        attributes.put("Endpoint", subscription.endpoint());
        attributes.put("ConfirmationWasAuthenticated", "true");
        attributes.put("PendingConfirmation", "false");
        attributes.put(RAW_MESSAGE_DELIVERY, Boolean.toString(subscription.raw()));
        attributes.put("SubscriptionPrincipal", "arn:aws:iam::" + subscription.owner() + ":root");
        attributes.put("EffectiveDeliveryPolicy", subscription.attributes().getOrDefault(DELIVERY_POLICY, TopicAttributes.EFFECTIVE_DELIVERY_POLICY));
        subscription.attributes().forEach((name, value) -> {
            if (!name.equals(RAW_MESSAGE_DELIVERY)) {
                attributes.put(name, value);
            }
        });
        if (subscription.attributes().containsKey(FILTER_POLICY)) {
            attributes.putIfAbsent(FILTER_POLICY_SCOPE, FilterPolicy.ATTRIBUTES_SCOPE);
        }
        return attributes;
    }
}
