package io.stratus.logs;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A log group as stored.
 *
 * @param incarnation tells this group's streams and events from those of an earlier group of the
 *     same name that was deleted and whose leftovers may not be swept yet
 * @param retentionInDays how long events are kept, or null for ever
 * @param subscriptionFilters where its events also go, by filter name (at most {@value SubscriptionOperations#MAX_FILTERS});
 *     kept with the group so that every append, which reads the group anyway, sees them
 */
record LogGroup(String name, long creationTime, long incarnation, Integer retentionInDays, String kmsKeyId, String logGroupClass,
        Map<String, String> tags, List<SubscriptionFilter> subscriptionFilters) {

    LogGroup {
        requireNonNull(name, "name is null");
        tags = Map.copyOf(tags == null ? Map.of() : tags);
        logGroupClass = logGroupClass == null ? "STANDARD" : logGroupClass;
        subscriptionFilters = subscriptionFilters == null ? List.of() : List.copyOf(subscriptionFilters);
    }

    /** A new group, without subscription filters. */
    LogGroup(String name, long creationTime, long incarnation, Integer retentionInDays, String kmsKeyId, String logGroupClass,
            Map<String, String> tags) {
        this(name, creationTime, incarnation, retentionInDays, kmsKeyId, logGroupClass, tags, List.of());
    }

    LogGroup withRetention(Integer days) {
        return new LogGroup(name, creationTime, incarnation, days, kmsKeyId, logGroupClass, tags, subscriptionFilters);
    }

    LogGroup withTags(Map<String, String> newTags) {
        return new LogGroup(name, creationTime, incarnation, retentionInDays, kmsKeyId, logGroupClass, newTags, subscriptionFilters);
    }

    LogGroup withSubscriptionFilters(List<SubscriptionFilter> filters) {
        return new LogGroup(name, creationTime, incarnation, retentionInDays, kmsKeyId, logGroupClass, tags, filters);
    }
}
