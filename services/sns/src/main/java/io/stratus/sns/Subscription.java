package io.stratus.sns;

import io.stratus.core.Arn;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A subscription as stored: its topic, id, protocol ({@code sqs}, {@code lambda}), endpoint (an
 * ARN), owner account and the attributes set on it (AWS's names and text values). Subscriptions to
 * SQS queues and Lambda functions are confirmed as they are made. Immutable.
 */
record Subscription(String topicArn, String id, String protocol, String endpoint, String owner, Map<String, String> attributes) {

    Subscription {
        attributes = Map.copyOf(attributes);
    }

    String arn() {
        return topicArn + ":" + id;
    }

    Arn topic() {
        return Arn.parse(topicArn);
    }

    boolean raw() {
        return "true".equalsIgnoreCase(attributes.get(SubscriptionAttributes.RAW_MESSAGE_DELIVERY));
    }

    Subscription withAttribute(String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(attributes);
        if (value == null || value.isEmpty()) {
            changed.remove(name);
        } else {
            changed.put(name, value);
        }
        return new Subscription(topicArn, id, protocol, endpoint, owner, changed);
    }
}
