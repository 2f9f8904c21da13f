package io.stratus.events;

import io.stratus.core.AwsException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;

/**
 * Event patterns, with AWS's own engine (event-ruler): checked once when a rule is written,
 * compiled once and cached for matching. Thread-safe.
 */
final class EventPatterns {

    /** AWS's limit on a pattern's length. */
    static final int MAX_LENGTH = 4096;
    private static final int CACHE_SIZE = 4096;

    private final Map<String, Machine> machines = new ConcurrentHashMap<>();

    /** Refuses what AWS refuses with {@code InvalidEventPatternException}, naming the reason. */
    static void validate(String pattern) {
        String reason;
        try {
            reason = JsonRuleCompiler.check(pattern);
        } catch (RuntimeException e) {
            reason = e.getMessage();
        }
        if (reason != null) {
            throw AwsException.of(EventsErrors.INVALID_EVENT_PATTERN, "Event pattern is not valid. Reason: %s", reason);
        }
    }

    /** Whether {@code event} (an EventBridge event's JSON) matches {@code pattern}, a pattern that passed {@link #validate}. */
    boolean matches(String pattern, String event) {
        Machine machine = machines.get(pattern);
        if (machine == null) {
            if (machines.size() >= CACHE_SIZE) {
                machines.clear();
            }
            machine = compile(pattern);
            machines.put(pattern, machine);
        }
        try {
            return !machine.rulesForJSONEvent(event).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    static Machine compile(String pattern) {
        Machine machine = new Machine();
        try {
            machine.addRule("pattern", pattern);
        } catch (Exception e) {
            throw AwsException.of(EventsErrors.INVALID_EVENT_PATTERN, "Event pattern is not valid. Reason: %s", e.getMessage());
        }
        return machine;
    }
}
