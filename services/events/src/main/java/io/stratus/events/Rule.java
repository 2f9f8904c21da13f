package io.stratus.events;

import io.stratus.core.Arn;
import io.stratus.events.EventsModel.Target;
import java.util.List;
import java.util.Map;

/**
 * A rule as stored, with its targets (at most five, so they live in the rule's own record).
 *
 * @param state {@code ENABLED}, {@code DISABLED} or {@code ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS}
 */
record Rule(String name, String bus, String eventPattern, String scheduleExpression, String state, String description, String roleArn,
        String createdBy, Map<String, String> tags, List<Target> targets) {

    static final String ENABLED = "ENABLED";
    static final String DISABLED = "DISABLED";

    Rule {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /** A rule's ARN: {@code rule/<name>} on the default bus, {@code rule/<bus>/<name>} on others. */
    static Arn arn(String account, String region, String bus, String name) {
        return Arn.of("events", region, account, Bus.DEFAULT.equals(bus) ? "rule/" + name : "rule/" + bus + "/" + name);
    }

    boolean enabled() {
        return !DISABLED.equals(state);
    }

    Rule withState(String state) {
        return new Rule(name, bus, eventPattern, scheduleExpression, state, description, roleArn, createdBy, tags, targets);
    }

    Rule withTags(Map<String, String> tags) {
        return new Rule(name, bus, eventPattern, scheduleExpression, state, description, roleArn, createdBy, tags, targets);
    }

    Rule withTargets(List<Target> targets) {
        return new Rule(name, bus, eventPattern, scheduleExpression, state, description, roleArn, createdBy, tags, targets);
    }
}
