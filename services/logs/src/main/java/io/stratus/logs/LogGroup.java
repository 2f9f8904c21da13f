package io.stratus.logs;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A log group as stored.
 *
 * @param incarnation tells this group's streams and events from those of an earlier group of the
 *     same name that was deleted and whose leftovers may not be swept yet
 * @param retentionInDays how long events are kept, or null for ever
 */
record LogGroup(String name, long creationTime, long incarnation, Integer retentionInDays, String kmsKeyId, String logGroupClass,
        Map<String, String> tags) {

    LogGroup {
        requireNonNull(name, "name is null");
        tags = Map.copyOf(tags == null ? Map.of() : tags);
        logGroupClass = logGroupClass == null ? "STANDARD" : logGroupClass;
    }

    LogGroup withRetention(Integer days) {
        return new LogGroup(name, creationTime, incarnation, days, kmsKeyId, logGroupClass, tags);
    }

    LogGroup withTags(Map<String, String> newTags) {
        return new LogGroup(name, creationTime, incarnation, retentionInDays, kmsKeyId, logGroupClass, newTags);
    }
}
