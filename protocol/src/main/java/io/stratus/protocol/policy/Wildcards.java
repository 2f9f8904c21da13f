package io.stratus.protocol.policy;

import java.util.BitSet;

/**
 * IAM's glob: {@code *} matches any run of characters (none included), {@code ?} exactly one.
 * Iterative with one backtrack point, so no pattern costs more than O(pattern × text).
 */
public final class Wildcards {

    private static final BitSet NONE_LITERAL = new BitSet();

    private Wildcards() {}

    public static boolean matches(String pattern, String text, boolean ignoreCase) {
        return matches(pattern, NONE_LITERAL, text, ignoreCase);
    }

    /** As {@link #matches(String, String, boolean)}, the characters of {@code pattern} at the {@code literal} positions matching only themselves. */
    static boolean matches(String pattern, BitSet literal, String text, boolean ignoreCase) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (wild(pattern, literal, p, '?') || same(pattern.charAt(p), text.charAt(t), ignoreCase))) {
                p++;
                t++;
            } else if (p < pattern.length() && wild(pattern, literal, p, '*')) {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && wild(pattern, literal, p, '*')) {
            p++;
        }
        return p == pattern.length();
    }

    private static boolean wild(String pattern, BitSet literal, int at, char wildcard) {
        return pattern.charAt(at) == wildcard && !literal.get(at);
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b);
    }
}
