package io.stratus.protocol.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed policies by their text, so a request parses a resource's policy only when it changed.
 * Bounded (least recently used out first). Safe for concurrent use.
 */
public final class PolicyCache {

    private final int capacity;
    private final Map<String, PolicyDocument> parsed;

    public PolicyCache(int capacity) {
        this.capacity = capacity;
        this.parsed = new LinkedHashMap<>(16, 0.75f, true);
    }

    /**
     * The policy {@code text} holds; null for null or empty text, and for text that does not parse
     * (a stored policy is checked when it is set, so such text predates the check: it grants and
     * denies nothing).
     */
    public PolicyDocument get(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        synchronized (parsed) {
            PolicyDocument policy = parsed.get(text);
            if (policy == null && !parsed.containsKey(text)) {
                try {
                    policy = PolicyDocument.parse(text);
                } catch (PolicyException e) {
                    policy = null;
                }
                parsed.put(text, policy);
                if (parsed.size() > capacity) {
                    parsed.remove(parsed.keySet().iterator().next());
                }
            }
            return policy;
        }
    }
}
