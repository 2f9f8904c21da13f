package io.stratus.events;

import io.stratus.core.Arn;
import java.util.Map;

/**
 * An event bus as stored: the account's {@code default} bus is stored only once something is set
 * on it (a policy, tags); until then it exists without a record.
 *
 * @param policy the resource policy's text, or null
 * @param creationTime epoch milliseconds
 * @param lastModifiedTime epoch milliseconds
 */
record Bus(String name, String description, String policy, long creationTime, long lastModifiedTime, Map<String, String> tags) {

    static final String DEFAULT = "default";

    Bus {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    static Bus defaultBus() {
        return new Bus(DEFAULT, null, null, 0, 0, Map.of());
    }

    static Arn arn(String account, String region, String name) {
        return Arn.of("events", region, account, "event-bus/" + name);
    }

    Bus withPolicy(String policy, long now) {
        return new Bus(name, description, policy, creationTime, now, tags);
    }

    Bus withTags(Map<String, String> tags) {
        return new Bus(name, description, policy, creationTime, lastModifiedTime, tags);
    }
}
