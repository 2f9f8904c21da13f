package io.stratus.logs;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A space-delimited filter pattern, {@code [ip, user, ..., status_code = 4* && status_code != 403, bytes > 1000]},
 * as CloudWatch Logs documents it:
 * <ul>
 *   <li>a message splits into fields at spaces; the text between a pair of square brackets or of
 *       double quotes is one field, without them ({@code [10/Oct/2000:13:25:15 -0700]} is the field
 *       {@code 10/Oct/2000:13:25:15 -0700});</li>
 *   <li>the pattern names the fields in order, separated by commas; it matches a message with
 *       exactly that many fields, except that {@code ...} stands for any number of fields (none
 *       too), and an empty place (a trailing comma) is a field without a name;</li>
 *   <li>a place may carry conditions: {@code name = value}, {@code !=}, and for numbers {@code <},
 *       {@code <=}, {@code >}, {@code >=}; strings compare with {@code *} wildcards
 *       ({@code status_code = 4*}), {@code "quoted strings"} keep their spaces and commas,
 *       {@code %regex%} is a regular expression found in the field; a number compares numerically
 *       with a field that is a number (and is never equal to one that is not);</li>
 *   <li>conditions combine with {@code &&} and {@code ||} ({@code &&} binds tighter) and may name any
 *       field of the pattern ({@code [w1 = ERROR || w1 = WARN, w2]}); the place takes the name of its
 *       first condition.</li>
 * </ul>
 * A pattern that names a field twice, or in a condition a field it does not have, does not parse.
 * Immutable.
 */
final class DelimitedPattern implements Predicate<String> {

    /** One place of the pattern. */
    private sealed interface Place permits Ellipsis, Field {}

    /** {@code ...}: any number of fields. */
    private record Ellipsis() implements Place {}

    /**
     * One field, with its name (null when unnamed) and its conditions (null when none); {@code early}
     * when the conditions name only this field and fields before it, so they are checked as soon as
     * it is laid over a field of the message (which cuts short the search through ellipses).
     */
    private record Field(String name, Condition condition, boolean early) implements Place {
        Field(String name, Condition condition) {
            this(name, condition, false);
        }
    }

    /** Conditions over the fields a message was split into, by name. */
    private sealed interface Condition permits And, Or, Comparison {
        boolean test(Map<String, String> fields);

        /** The names of the fields it compares. */
        Set<String> names();
    }

    private record And(Condition left, Condition right) implements Condition {
        @Override
        public boolean test(Map<String, String> fields) {
            return left.test(fields) && right.test(fields);
        }

        @Override
        public Set<String> names() {
            Set<String> names = new HashSet<>(left.names());
            names.addAll(right.names());
            return names;
        }
    }

    private record Or(Condition left, Condition right) implements Condition {
        @Override
        public boolean test(Map<String, String> fields) {
            return left.test(fields) || right.test(fields);
        }

        @Override
        public Set<String> names() {
            Set<String> names = new HashSet<>(left.names());
            names.addAll(right.names());
            return names;
        }
    }

    /** {@code field operator value}; {@code value} is a {@link BigDecimal} or a {@link Pattern}. */
    private record Comparison(String field, String operator, Object value) implements Condition {
        @Override
        public Set<String> names() {
            return Set.of(field);
        }

        @Override
        public boolean test(Map<String, String> fields) {
            String text = fields.get(field);
            if (value instanceof Pattern pattern) {
                return pattern.matcher(text).find() == operator.equals("=");
            }
            BigDecimal number = number(text);
            if (number == null) {
                return operator.equals("!=");
            }
            return Comparisons.holds(number.compareTo((BigDecimal) value), operator);
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");
    private static final List<String> OPERATORS = List.of("!=", "<=", ">=", "=", "<", ">");

    private final List<Place> places;
    private final int fieldCount;
    private final boolean hasEllipsis;

    private DelimitedPattern(List<Place> places) {
        this.places = List.copyOf(places);
        this.fieldCount = (int) places.stream().filter(Field.class::isInstance).count();
        this.hasEllipsis = fieldCount < places.size();
    }

    /**
     * @param text the whole pattern, {@code [...]}, without surrounding spaces
     * @throws io.stratus.core.AwsException InvalidParameterException for a pattern that does not parse
     */
    static DelimitedPattern parse(String text) {
        if (!text.startsWith("[") || !text.endsWith("]") || text.length() < 2) {
            throw FilterPattern.invalid();
        }
        List<Place> places = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Comparison> comparisons = new ArrayList<>();
        for (String place : splitPlaces(text.substring(1, text.length() - 1))) {
            String trimmed = place.strip();
            if (trimmed.equals("...")) {
                places.add(new Ellipsis());
                continue;
            }
            if (trimmed.isEmpty()) {
                places.add(new Field(null, null));
                continue;
            }
            Field field = new PlaceParser(trimmed, comparisons).parse();
            if (!names.add(field.name())) {
                throw FilterPattern.invalid();
            }
            boolean early = field.condition() != null && names.containsAll(field.condition().names());
            places.add(new Field(field.name(), field.condition(), early));
        }
        if (places.isEmpty() || (places.size() == 1 && places.getFirst() instanceof Field f && f.name() == null)) {
            throw FilterPattern.invalid();
        }
        for (Comparison comparison : comparisons) {
            if (!names.contains(comparison.field())) {
                throw FilterPattern.invalid();
            }
        }
        return new DelimitedPattern(places);
    }

    @Override
    public boolean test(String message) {
        List<String> fields = fields(message);
        if (hasEllipsis ? fields.size() < fieldCount : fields.size() != fieldCount) {
            return false;
        }
        return align(fields, 0, 0, new HashMap<>(), new ArrayList<>());
    }

    /**
     * Tries every way of laying the places over the fields (ellipses take any number of them),
     * binding named fields, and checks the conditions once all places are laid.
     */
    private boolean align(List<String> fields, int place, int at, Map<String, String> bound, List<Condition> conditions) {
        if (place == places.size()) {
            return at == fields.size() && conditions.stream().allMatch(condition -> condition.test(bound));
        }
        return switch (places.get(place)) {
            case Ellipsis ignored -> {
                int fieldsAfter = (int) places.subList(place + 1, places.size()).stream().filter(Field.class::isInstance).count();
                for (int end = at; end + fieldsAfter <= fields.size(); end++) {
                    if (align(fields, place + 1, end, bound, conditions)) {
                        yield true;
                    }
                }
                yield false;
            }
            case Field field -> {
                if (at >= fields.size()) {
                    yield false;
                }
                if (field.name() != null) {
                    bound.put(field.name(), fields.get(at));
                }
                if (field.early()) {
                    yield field.condition().test(bound) && align(fields, place + 1, at + 1, bound, conditions);
                }
                if (field.condition() != null) {
                    conditions.add(field.condition());
                }
                boolean matched = align(fields, place + 1, at + 1, bound, conditions);
                if (field.condition() != null) {
                    conditions.removeLast();
                }
                yield matched;
            }
        };
    }

    /** A message's fields: split at spaces, with {@code [...]} and {@code "..."} one field each, without their delimiters. */
    static List<String> fields(String message) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int length = message.length();
        while (i < length) {
            char c = message.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            char close = c == '[' ? ']' : c == '"' ? '"' : 0;
            if (close != 0) {
                int end = message.indexOf(close, i + 1);
                if (end >= 0) {
                    fields.add(message.substring(i + 1, end));
                    i = end + 1;
                    continue;
                }
            }
            int end = i;
            while (end < length && !Character.isWhitespace(message.charAt(end))) {
                end++;
            }
            fields.add(message.substring(i, end));
            i = end;
        }
        return fields;
    }

    /** The places of the pattern: its text split at commas that are not inside quotes or a {@code %regex%}. */
    private static List<String> splitPlaces(String inner) {
        List<String> places = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char open = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (open != 0) {
                if (c == open) {
                    open = 0;
                }
            } else if (c == '"' || c == '%') {
                open = c;
            } else if (c == ',') {
                places.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        if (open != 0) {
            throw FilterPattern.invalid();
        }
        places.add(current.toString());
        return places;
    }

    private static BigDecimal number(String text) {
        if (text.isEmpty() || !(Character.isDigit(text.charAt(text.length() - 1)) || text.charAt(text.length() - 1) == '.')) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One place's text: a name, or conditions joined with {@code &&} and {@code ||}. */
    private static final class PlaceParser {
        private final String text;
        private final List<Comparison> comparisons;
        private int at;

        PlaceParser(String text, List<Comparison> comparisons) {
            this.text = text;
            this.comparisons = comparisons;
        }

        Field parse() {
            String name = name();
            skipSpace();
            if (at == text.length()) {
                return new Field(name, null);
            }
            Condition condition = or(comparison(name));
            skipSpace();
            if (at != text.length()) {
                throw FilterPattern.invalid();
            }
            return new Field(name, condition);
        }

        private Condition or(Condition first) {
            Condition left = and(first);
            while (consume("||")) {
                left = new Or(left, and(comparison(name())));
            }
            return left;
        }

        private Condition and(Condition first) {
            Condition left = first;
            while (consume("&&")) {
                left = new And(left, comparison(name()));
            }
            return left;
        }

        private Comparison comparison(String name) {
            skipSpace();
            String operator = null;
            for (String candidate : OPERATORS) {
                if (text.startsWith(candidate, at)) {
                    operator = candidate;
                    at += candidate.length();
                    break;
                }
            }
            if (operator == null) {
                throw FilterPattern.invalid();
            }
            Comparison comparison = new Comparison(name, operator, value(operator));
            comparisons.add(comparison);
            return comparison;
        }

        /** A number, or a string as a pattern: quoted, {@code %regex%}, or bare with {@code *} wildcards. */
        private Object value(String operator) {
            skipSpace();
            if (at == text.length()) {
                throw FilterPattern.invalid();
            }
            char c = text.charAt(at);
            if (c == '"' || c == '%') {
                int end = text.indexOf(c, at + 1);
                if (end < 0) {
                    throw FilterPattern.invalid();
                }
                String inside = text.substring(at + 1, end);
                at = end + 1;
                requireEquality(operator);
                if (c == '"') {
                    return wildcard(inside);
                }
                try {
                    return Pattern.compile(inside);
                } catch (PatternSyntaxException e) {
                    throw FilterPattern.invalid();
                }
            }
            int start = at;
            while (at < text.length() && !Character.isWhitespace(text.charAt(at)) && !text.startsWith("&&", at)
                    && !text.startsWith("||", at)) {
                at++;
            }
            String bare = text.substring(start, at);
            BigDecimal number = number(bare);
            if (number != null) {
                return number;
            }
            requireEquality(operator);
            return wildcard(bare);
        }

        private static void requireEquality(String operator) {
            if (!operator.equals("=") && !operator.equals("!=")) {
                throw FilterPattern.invalid();
            }
        }

        private static Pattern wildcard(String value) {
            StringBuilder regex = new StringBuilder("^");
            for (String part : value.split("\\*", -1)) {
                if (regex.length() > 1) {
                    regex.append(".*");
                }
                regex.append(Pattern.quote(part));
            }
            return Pattern.compile(regex.append('$').toString(), Pattern.DOTALL);
        }

        private String name() {
            skipSpace();
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            String name = text.substring(start, at);
            if (!NAME.matcher(name).matches()) {
                throw FilterPattern.invalid();
            }
            return name;
        }

        private boolean consume(String token) {
            skipSpace();
            if (text.startsWith(token, at)) {
                at += token.length();
                return true;
            }
            return false;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
