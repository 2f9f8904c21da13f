package io.stratus.protocol.policy;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One test of a statement's {@code Condition} block: an operator ({@code StringLike}, with its
 * {@code ForAnyValue:} / {@code ForAllValues:} qualifier and {@code IfExists} suffix), a condition
 * key and the values it accepts. Values of one key are alternatives (any may match); for a negated
 * operator none may. With {@code variables} (a policy of version {@code 2012-10-17}) the values of
 * string and ARN operators may hold {@link PolicyVariables policy variables}. Immutable.
 */
record Condition(Operator operator, SetQualifier qualifier, boolean ifExists, String key, List<String> values, boolean variables) {

    Condition {
        requireNonNull(operator, "operator is null");
        requireNonNull(qualifier, "qualifier is null");
        requireNonNull(key, "key is null");
        values = List.copyOf(values);
        variables = variables && operator.takesVariables() && values.stream().anyMatch(PolicyVariables::present);
    }

    private static final BitSet NONE_LITERAL = new BitSet();

    /** Keys whose fixed values narrow a statement to known callers. */
    private static final Set<String> NARROWING_KEYS = Set.of("aws:sourcearn", "aws:sourceaccount", "aws:sourceowner",
            "aws:sourceip", "aws:sourcevpc", "aws:sourcevpce", "aws:principalaccount", "aws:principalarn", "aws:principalorgid",
            "aws:principalorgpaths", "aws:userid", "s3:dataaccesspointarn", "s3:dataaccesspointaccount");

    enum SetQualifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    enum Operator {
        STRING_EQUALS("StringEquals", false), STRING_NOT_EQUALS("StringNotEquals", true),
        STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", false), STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", true),
        STRING_LIKE("StringLike", false), STRING_NOT_LIKE("StringNotLike", true),
        NUMERIC_EQUALS("NumericEquals", false), NUMERIC_NOT_EQUALS("NumericNotEquals", true),
        NUMERIC_LESS_THAN("NumericLessThan", false), NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", false),
        NUMERIC_GREATER_THAN("NumericGreaterThan", false), NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", false),
        DATE_EQUALS("DateEquals", false), DATE_NOT_EQUALS("DateNotEquals", true),
        DATE_LESS_THAN("DateLessThan", false), DATE_LESS_THAN_EQUALS("DateLessThanEquals", false),
        DATE_GREATER_THAN("DateGreaterThan", false), DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", false),
        BOOL("Bool", false), BINARY_EQUALS("BinaryEquals", false),
        IP_ADDRESS("IpAddress", false), NOT_IP_ADDRESS("NotIpAddress", true),
        ARN_EQUALS("ArnEquals", false), ARN_LIKE("ArnLike", false), ARN_NOT_EQUALS("ArnNotEquals", true), ARN_NOT_LIKE("ArnNotLike", true),
        NULL("Null", false);

        private final String policyName;
        private final boolean negated;

        Operator(String policyName, boolean negated) {
            this.policyName = policyName;
            this.negated = negated;
        }

        /** Whether its values may hold policy variables: string and ARN operators' do. */
        boolean takesVariables() {
            return policyName.startsWith("String") || policyName.startsWith("Arn");
        }

        static Operator named(String name) {
            for (Operator operator : values()) {
                if (operator.policyName.equalsIgnoreCase(name)) {
                    return operator;
                }
            }
            return null;
        }
    }

    /**
     * Reads an operator as written in a policy, e.g. {@code ForAnyValue:StringLikeIfExists}; null
     * when it names no operator IAM knows.
     */
    static Condition of(String written, String key, List<String> values, boolean variables) {
        SetQualifier qualifier = SetQualifier.NONE;
        String name = written;
        int colon = written.indexOf(':');
        if (colon >= 0) {
            String prefix = written.substring(0, colon);
            if (prefix.equalsIgnoreCase("ForAnyValue")) {
                qualifier = SetQualifier.FOR_ANY_VALUE;
            } else if (prefix.equalsIgnoreCase("ForAllValues")) {
                qualifier = SetQualifier.FOR_ALL_VALUES;
            } else {
                return null;
            }
            name = written.substring(colon + 1);
        }
        boolean ifExists = name.length() > "IfExists".length() && name.regionMatches(true, name.length() - 8, "IfExists", 0, 8);
        Operator operator = Operator.named(ifExists ? name.substring(0, name.length() - 8) : name);
        if (operator == null || ifExists && operator == Operator.NULL) {
            return null;
        }
        return new Condition(operator, qualifier, ifExists, key, values, variables);
    }

    /** Whether this test ties its key to fixed values (no wildcards), which keeps a statement from being public. */
    boolean narrowsCallers() {
        if (operator.negated || ifExists || operator == Operator.NULL || !NARROWING_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
            return false;
        }
        return values.stream().noneMatch(v -> v.equals("*") || v.endsWith("/0") || (isLike() && (v.contains("*") || v.contains("?"))));
    }

    private boolean isLike() {
        return operator == Operator.STRING_LIKE || operator == Operator.ARN_LIKE;
    }

    /** Whether the request satisfies this test. */
    boolean test(AccessRequest request) {
        List<String> actual = request.values(key);
        if (operator == Operator.NULL) {
            boolean absent = actual == null || actual.isEmpty();
            return values.stream().anyMatch(v -> Boolean.parseBoolean(v) == absent);
        }
        if (actual == null || actual.isEmpty()) {
            // A missing key fails a positive test and passes a negated one; IfExists and
            // ForAllValues (every one of no values) pass.
            return ifExists || qualifier == SetQualifier.FOR_ALL_VALUES || operator.negated;
        }
        List<PolicyVariables.Resolved> resolved = variables ? resolved(request) : null;
        return switch (qualifier) {
            case FOR_ALL_VALUES -> actual.stream().allMatch(value -> accepts(value, resolved));
            case NONE, FOR_ANY_VALUE -> actual.stream().anyMatch(value -> accepts(value, resolved));
        };
    }

    /** The values with their variables replaced from the request, null where one stays unresolved. */
    private List<PolicyVariables.Resolved> resolved(AccessRequest request) {
        List<PolicyVariables.Resolved> resolved = new ArrayList<>(values.size());
        for (String value : values) {
            resolved.add(PolicyVariables.present(value) ? PolicyVariables.resolve(value, request) : new PolicyVariables.Resolved(value, NONE_LITERAL));
        }
        return resolved;
    }

    /**
     * Whether one request value passes: matches some value, or for a negated operator none. A value
     * whose variable stays unresolved matches nothing.
     */
    private boolean accepts(String actual, List<PolicyVariables.Resolved> resolved) {
        boolean any = false;
        for (int i = 0; i < values.size() && !any; i++) {
            if (resolved == null) {
                any = matches(values.get(i), NONE_LITERAL, actual);
            } else if (resolved.get(i) != null) {
                any = matches(resolved.get(i).pattern(), resolved.get(i).literal(), actual);
            }
        }
        return operator.negated != any;
    }

    /** Whether {@code actual} matches {@code expected}, whose characters at the {@code literal} positions are no wildcards. */
    private boolean matches(String expected, BitSet literal, String actual) {
        return switch (operator) {
            case STRING_EQUALS, STRING_NOT_EQUALS -> expected.equals(actual);
            case STRING_EQUALS_IGNORE_CASE, STRING_NOT_EQUALS_IGNORE_CASE -> expected.equalsIgnoreCase(actual);
            case STRING_LIKE, STRING_NOT_LIKE -> Wildcards.matches(expected, literal, actual, false);
            case NUMERIC_EQUALS, NUMERIC_NOT_EQUALS -> compareNumbers(actual, expected) == 0;
            case NUMERIC_LESS_THAN -> compareNumbers(actual, expected) < 0;
            case NUMERIC_LESS_THAN_EQUALS -> compareNumbers(actual, expected) <= 0;
            case NUMERIC_GREATER_THAN -> compareNumbers(actual, expected) > 0;
            case NUMERIC_GREATER_THAN_EQUALS -> compareNumbers(actual, expected) >= 0;
            case DATE_EQUALS, DATE_NOT_EQUALS -> compareDates(actual, expected) == 0;
            case DATE_LESS_THAN -> compareDates(actual, expected) < 0;
            case DATE_LESS_THAN_EQUALS -> compareDates(actual, expected) <= 0;
            case DATE_GREATER_THAN -> compareDates(actual, expected) > 0;
            case DATE_GREATER_THAN_EQUALS -> compareDates(actual, expected) >= 0;
            case BOOL -> expected.equalsIgnoreCase(actual);
            case BINARY_EQUALS -> expected.equals(actual);
            case IP_ADDRESS, NOT_IP_ADDRESS -> inCidr(actual, expected);
            case ARN_EQUALS, ARN_NOT_EQUALS -> arnMatches(expected, literal, actual, false);
            case ARN_LIKE, ARN_NOT_LIKE -> arnMatches(expected, literal, actual, true);
            case NULL -> throw new IllegalStateException("Null is tested on the key's presence");
        };
    }

    /** Negative, zero or positive as {@code actual} is below, equal to or above {@code expected}; unreadable numbers never compare equal. */
    private static int compareNumbers(String actual, String expected) {
        try {
            return new BigDecimal(actual.trim()).compareTo(new BigDecimal(expected.trim()));
        } catch (NumberFormatException e) {
            return Integer.MIN_VALUE;
        }
    }

    private static int compareDates(String actual, String expected) {
        Instant a = instant(actual);
        Instant e = instant(expected);
        return a == null || e == null ? Integer.MIN_VALUE : a.compareTo(e);
    }

    /** An ISO 8601 date or date-time, or epoch seconds, as IAM accepts them; null if neither. */
    static Instant instant(String text) {
        String value = text.trim();
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochSecond(Long.parseLong(value));
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /**
     * ARNs compare part by part ({@code arn:partition:service:region:account:resource}), a wildcard
     * staying within its part; only the pattern's own colons (not a variable's) separate its parts.
     */
    private static boolean arnMatches(String pattern, BitSet literal, String arn, boolean like) {
        String[] actual = arn.split(":", 6);
        int start = 0;
        for (int part = 0; part < actual.length; part++) {
            boolean last = part == actual.length - 1;
            int end = last ? pattern.length() : nextColon(pattern, literal, start);
            if (end < 0 || last && actual.length < 6 && nextColon(pattern, literal, start) >= 0) {
                return false; // the pattern has fewer parts, or more
            }
            String expected = pattern.substring(start, end);
            boolean same = like ? Wildcards.matches(expected, literal.get(start, end), actual[part], false) : expected.equals(actual[part]);
            if (!same) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /** The first of the pattern's own colons at or after {@code from}; -1 if none. */
    private static int nextColon(String pattern, BitSet literal, int from) {
        for (int i = from; i < pattern.length(); i++) {
            if (pattern.charAt(i) == ':' && !literal.get(i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean inCidr(String address, String cidr) {
        try {
            int slash = cidr.indexOf('/');
            byte[] network = literal(slash < 0 ? cidr : cidr.substring(0, slash));
            byte[] candidate = literal(address);
            if (network == null || candidate == null || network.length != candidate.length) {
                return false;
            }
            int bits = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1).trim());
            for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
                if ((network[i] & mask) != (candidate[i] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The bytes of an IP address literal, never a name lookup; null when the text is not one. */
    private static byte[] literal(String text) {
        String value = text.trim();
        if (value.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            String[] octets = value.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(octets[i]);
                if (octet > 255) {
                    return null;
                }
                bytes[i] = (byte) octet;
            }
            return bytes;
        }
        if (!value.contains(":") || !value.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            // A string of hex digits, colons and dots is parsed as an IPv6 literal, never looked up.
            return InetAddress.getByName(value).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
