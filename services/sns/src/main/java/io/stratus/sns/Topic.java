package io.stratus.sns;

import io.stratus.core.Arn;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A topic as stored: where it lives, the attributes set on it (AWS's names and text values), its
 * tags, and how many of its subscriptions were deleted (for {@code SubscriptionsDeleted}).
 * Immutable; the {@code with…} methods return changed copies.
 */
record Topic(String account, String region, String name, Map<String, String> attributes, Map<String, String> tags, long subscriptionsDeleted,
        long createdAt) {

    Topic {
        attributes = Map.copyOf(attributes);
        tags = Map.copyOf(tags);
    }

    Arn arn() {
        return Arn.of("sns", region, account, name);
    }

    boolean fifo() {
        return name.endsWith(".fifo");
    }

    boolean contentBasedDeduplication() {
        return "true".equalsIgnoreCase(attributes.get(TopicAttributes.CONTENT_BASED_DEDUPLICATION));
    }

    Topic withAttribute(String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(attributes);
        if (value == null) {
            changed.remove(name);
        } else {
            changed.put(name, value);
        }
        return new Topic(account, region, this.name, changed, tags, subscriptionsDeleted, createdAt);
    }

    Topic withTags(Map<String, String> tags) {
        return new Topic(account, region, name, attributes, new TreeMap<>(tags), subscriptionsDeleted, createdAt);
    }

    Topic withSubscriptionDeleted() {
        return new Topic(account, region, name, attributes, tags, subscriptionsDeleted + 1, createdAt);
    }
}
