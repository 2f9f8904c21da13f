package io.stratus.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A CloudWatch Logs filter pattern, as FilterLogEvents takes it:
 * <ul>
 *   <li>empty: every event;</li>
 *   <li>terms: {@code ERROR Exception} (all of them), {@code ?ERROR ?WARN} (any of them),
 *       {@code -DEBUG} (none of them), {@code "Task timed out"} (a quoted phrase) — matched
 *       case-sensitively anywhere in the message;</li>
 *   <li>JSON: {@code { $.level = "error" && $.latency > 100 }} with {@code = != < <= > >=},
 *       {@code *} wildcards in strings, {@code IS NULL}, {@code NOT EXISTS}, {@code IS TRUE},
 *       {@code IS FALSE}, {@code && ||} and parentheses; a message that is not a JSON object
 *       never matches;</li>
 *   <li>space-delimited: {@code [ip, user, ..., status_code = 4*, bytes > 1000]} (see {@link DelimitedPattern});</li>
 *   <li>regular expressions: {@code %ERROR|WARN%}.</li>
 * </ul>
 * Immutable.
 */
final class FilterPattern {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Predicate<String> matcher;

    private FilterPattern(Predicate<String> matcher) {
        this.matcher = matcher;
    }

    boolean matches(String message) {
        return matcher.test(message);
    }

    /** @throws io.stratus.core.AwsException InvalidParameterException for a pattern that does not parse */
    static FilterPattern parse(String pattern) {
        String text = pattern == null ? "" : pattern.strip();
        if (text.isEmpty()) {
            return new FilterPattern(message -> true);
        }
        if (text.startsWith("{")) {
            JsonPattern parser = new JsonPattern(text);
            Predicate<JsonNode> test = parser.parse();
            return new FilterPattern(message -> {
                JsonNode node = json(message);
                return node != null && node.isObject() && test.test(node);
            });
        }
        if (text.startsWith("[")) {
            return new FilterPattern(DelimitedPattern.parse(text));
        }
        if (text.length() >= 2 && text.startsWith("%") && text.endsWith("%")) {
            try {
                Pattern regex = Pattern.compile(text.substring(1, text.length() - 1));
                return new FilterPattern(message -> regex.matcher(message).find());
            } catch (PatternSyntaxException e) {
                throw invalid();
            }
        }
        return terms(text);
    }

    private static FilterPattern terms(String text) {
        List<String> all = new ArrayList<>();
        List<String> any = new ArrayList<>();
        List<String> none = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            List<String> into = all;
            if (c == '?' || c == '-') {
                into = c == '?' ? any : none;
                i++;
            }
            String term;
            if (i < text.length() && text.charAt(i) == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0) {
                    throw invalid();
                }
                term = text.substring(i + 1, end);
                i = end + 1;
            } else {
                int end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
                term = text.substring(i, end);
                i = end;
            }
            if (term.isEmpty()) {
                throw invalid();
            }
            into.add(term);
        }
        return new FilterPattern(message -> all.stream().allMatch(message::contains)
                && (any.isEmpty() || any.stream().anyMatch(message::contains))
                && none.stream().noneMatch(message::contains));
    }

    private static JsonNode json(String message) {
        String trimmed = message.strip();
        if (!trimmed.startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(trimmed);
        } catch (Exception e) {
            return null;
        }
    }

    static io.stratus.core.AwsException invalid() {
        return LogsErrors.invalidParameter("Invalid filter pattern");
    }

    /** A recursive-descent parser for the JSON form, {@code { expression }}. */
    private static final class JsonPattern {
        private final String text;
        private int at;

        JsonPattern(String text) {
            this.text = text;
        }

        Predicate<JsonNode> parse() {
            expect('{');
            Predicate<JsonNode> expression = or();
            expect('}');
            skipSpace();
            if (at != text.length()) {
                throw invalid();
            }
            return expression;
        }

        private Predicate<JsonNode> or() {
            Predicate<JsonNode> left = and();
            while (consume("||")) {
                left = left.or(and());
            }
            return left;
        }

        private Predicate<JsonNode> and() {
            Predicate<JsonNode> left = primary();
            while (consume("&&")) {
                left = left.and(primary());
            }
            return left;
        }

        private Predicate<JsonNode> primary() {
            if (consume("(")) {
                Predicate<JsonNode> inner = or();
                expect(')');
                return inner;
            }
            List<Object> path = selector();
            skipSpace();
            if (consumeWord("IS")) {
                if (consumeWord("NULL")) {
                    return node -> resolve(node, path) instanceof JsonNode value && value.isNull();
                }
                if (consumeWord("TRUE")) {
                    return node -> resolve(node, path) instanceof JsonNode value && value.isBoolean() && value.asBoolean();
                }
                if (consumeWord("FALSE")) {
                    return node -> resolve(node, path) instanceof JsonNode value && value.isBoolean() && !value.asBoolean();
                }
                throw invalid();
            }
            if (consumeWord("NOT")) {
                if (!consumeWord("EXISTS")) {
                    throw invalid();
                }
                return node -> resolve(node, path) == null;
            }
            String operator = operator();
            Object operand = operand();
            if (operand instanceof BigDecimal number) {
                return node -> resolve(node, path) instanceof JsonNode value && value.isNumber()
                        && Comparisons.holds(value.decimalValue().compareTo(number), operator);
            }
            if (!operator.equals("=") && !operator.equals("!=")) {
                throw invalid();
            }
            Pattern wildcard = wildcard((String) operand);
            boolean equal = operator.equals("=");
            return node -> {
                Object value = resolve(node, path);
                if (!(value instanceof JsonNode found) || found.isContainerNode() || found.isNull()) {
                    return false;
                }
                return wildcard.matcher(found.asText()).matches() == equal;
            };
        }

        private static Pattern wildcard(String value) {
            StringBuilder regex = new StringBuilder();
            for (String part : value.split("\\*", -1)) {
                if (!regex.isEmpty()) {
                    regex.append(".*");
                }
                regex.append(Pattern.quote(part));
            }
            return Pattern.compile(regex.toString(), Pattern.DOTALL);
        }

        /** {@code $.a.b[0].c} as names and indexes. */
        private List<Object> selector() {
            skipSpace();
            if (!consume("$")) {
                throw invalid();
            }
            List<Object> path = new ArrayList<>();
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '.') {
                    at++;
                    int start = at;
                    while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || "_-@$".indexOf(text.charAt(at)) >= 0)) {
                        at++;
                    }
                    if (start == at) {
                        throw invalid();
                    }
                    path.add(text.substring(start, at));
                } else if (c == '[') {
                    int end = text.indexOf(']', at);
                    if (end < 0) {
                        throw invalid();
                    }
                    try {
                        path.add(Integer.parseInt(text.substring(at + 1, end).strip()));
                    } catch (NumberFormatException e) {
                        throw invalid();
                    }
                    at = end + 1;
                } else {
                    break;
                }
            }
            if (path.isEmpty()) {
                throw invalid();
            }
            return path;
        }

        private static Object resolve(JsonNode node, List<Object> path) {
            JsonNode current = node;
            for (Object step : path) {
                current = step instanceof Integer index ? (current.isArray() ? current.get(index) : null) : current.get((String) step);
                if (current == null) {
                    return null;
                }
            }
            return current;
        }

        private String operator() {
            skipSpace();
            for (String operator : List.of("!=", "<=", ">=", "=", "<", ">")) {
                if (text.startsWith(operator, at)) {
                    at += operator.length();
                    return operator;
                }
            }
            throw invalid();
        }

        /** A quoted or bare string, or a number. */
        private Object operand() {
            skipSpace();
            if (at < text.length() && text.charAt(at) == '"') {
                int end = text.indexOf('"', at + 1);
                if (end < 0) {
                    throw invalid();
                }
                String value = text.substring(at + 1, end);
                at = end + 1;
                return value;
            }
            int start = at;
            while (at < text.length() && !Character.isWhitespace(text.charAt(at)) && "&|)}".indexOf(text.charAt(at)) < 0) {
                at++;
            }
            String bare = text.substring(start, at);
            if (bare.isEmpty()) {
                throw invalid();
            }
            try {
                return new BigDecimal(bare);
            } catch (NumberFormatException e) {
                return bare;
            }
        }

        private boolean consumeWord(String word) {
            skipSpace();
            if (text.regionMatches(true, at, word, 0, word.length())
                    && (at + word.length() == text.length() || !Character.isLetter(text.charAt(at + word.length())))) {
                at += word.length();
                return true;
            }
            return false;
        }

        private boolean consume(String token) {
            skipSpace();
            if (text.startsWith(token, at)) {
                at += token.length();
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!consume(String.valueOf(c))) {
                throw invalid();
            }
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
