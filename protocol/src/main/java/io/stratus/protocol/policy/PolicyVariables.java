package io.stratus.protocol.policy;

import java.util.BitSet;
import java.util.List;

/**
 * IAM's policy variables, as a policy of version {@code 2012-10-17} uses them in its {@code Resource}
 * and in the values of string and ARN conditions: {@code ${aws:userid}} stands for the request's value
 * of that condition key (key names ignore case), {@code ${aws:PrincipalTag/team, 'none'}} gives a
 * default for a key the request lacks ({@code ''} in it is one quote), and {@code ${*}}, {@code ${?}}
 * and {@code ${$}} are those characters themselves rather than wildcards. A variable whose key the
 * request does not have — or has several values of — and that gives no default leaves the value
 * unresolved: it matches nothing. Replacing is done once (a default's text is not read for variables
 * again), and what a variable brings matches only itself, never as a wildcard.
 */
final class PolicyVariables {

    private PolicyVariables() {}

    /**
     * A value with its variables replaced: a wildcard pattern whose characters at the {@code literal}
     * positions (those a variable brought) match only themselves.
     */
    record Resolved(String pattern, BitSet literal) {

        boolean like(String text) {
            return Wildcards.matches(pattern, literal, text, false);
        }
    }

    /** Whether a written value holds a variable at all (most do not, and are matched as written). */
    static boolean present(String written) {
        return written.contains("${");
    }

    /** {@code written} with each variable replaced from {@code request}; null when one stays unresolved. */
    static Resolved resolve(String written, AccessRequest request) {
        StringBuilder pattern = new StringBuilder(written.length() + 32);
        BitSet literal = new BitSet();
        int i = 0;
        while (i < written.length()) {
            int start = written.indexOf("${", i);
            int end = start < 0 ? -1 : closingBrace(written, start + 2);
            if (end < 0) {
                // No (complete) variable left: the rest is written text.
                pattern.append(written, i, written.length());
                break;
            }
            pattern.append(written, i, start);
            String value = value(written.substring(start + 2, end).trim(), request);
            if (value == null) {
                return null;
            }
            literal.set(pattern.length(), pattern.length() + value.length());
            pattern.append(value);
            i = end + 1;
        }
        return new Resolved(pattern.toString(), literal);
    }

    /** The {@code }} that ends a variable begun before {@code from}, skipping quoted defaults; -1 if none. */
    private static int closingBrace(String written, int from) {
        boolean quoted = false;
        for (int i = from; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c == '\'') {
                quoted = !quoted; // '' inside a default toggles twice: still quoted
            } else if (c == '}' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** What one variable ({@code key} or {@code key, 'default'}) stands for; null when unresolved. */
    private static String value(String variable, AccessRequest request) {
        if (variable.equals("*") || variable.equals("?") || variable.equals("$")) {
            return variable;
        }
        int comma = variable.indexOf(',');
        String key = (comma < 0 ? variable : variable.substring(0, comma)).trim();
        List<String> values = key.isEmpty() ? null : request.values(key);
        if (values != null && values.size() == 1) {
            return values.getFirst();
        }
        return comma < 0 ? null : defaultValue(variable.substring(comma + 1).trim());
    }

    /** A default as written, {@code 'text'} with {@code ''} for a quote; null when it is not quoted so. */
    private static String defaultValue(String written) {
        if (written.length() < 2 || written.charAt(0) != '\'' || written.charAt(written.length() - 1) != '\'') {
            return null;
        }
        String inner = written.substring(1, written.length() - 1);
        if (inner.replace("''", "").indexOf('\'') >= 0) {
            return null;
        }
        return inner.replace("''", "'");
    }
}
