package io.stratus.logs;

import io.stratus.core.AwsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Logs Insights query, parsed: its commands in order ({@code fields}, {@code display},
 * {@code filter}, {@code parse}, {@code stats}, {@code sort}, {@code limit}, {@code dedup}),
 * separated by {@code |}, with {@code #} comments. A query that does not parse is
 * {@code MalformedQueryException}, naming where it went wrong.
 */
record InsightsQuery(List<Command> commands) {

    /** One named output of {@code fields}, {@code display}, a {@code stats} item or group: its name and how it is computed. */
    record Projection(String name, InsightsExpr expr) {}

    /** One aggregation a {@code stats} command computes, which its items refer to by {@code field}. */
    record Aggregation(String field, String function, List<InsightsExpr> arguments) {}

    record Order(InsightsExpr expr, boolean descending) {}

    sealed interface Command {}

    record Fields(List<Projection> projections) implements Command {}

    record Display(List<Projection> projections) implements Command {}

    record Filter(InsightsExpr condition) implements Command {}

    /**
     * Extracts fields from {@code source}: a glob's {@code *}s (the pattern's groups in order) or a
     * regular expression's named groups ({@code named}), as {@code names}.
     */
    record Parse(InsightsExpr source, Pattern pattern, List<String> names, boolean named) implements Command {}

    record Stats(List<Aggregation> aggregations, List<Projection> items, List<Projection> groups) implements Command {}

    record Sort(List<Order> orders) implements Command {}

    record Limit(int count) implements Command {}

    record Dedup(List<InsightsExpr> fields) implements Command {}

    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "like", "in", "as", "by", "asc", "desc", "true", "false");
    private static final int MAX_DEPTH = 100;
    private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9_]*)>");

    static InsightsQuery parse(String text) {
        return new Parser(text).query();
    }

    /** A recursive-descent parser over the query's characters. */
    private static final class Parser {
        private final String text;
        private int position;
        /** While parsing a {@code stats} command: its aggregations, else null. */
        private List<Aggregation> aggregations;
        /** How deep the expression being parsed nests (parentheses, {@code not}, signs), bounded so no query exhausts the stack. */
        private int depth;

        Parser(String text) {
            this.text = text;
        }

        InsightsQuery query() {
            List<Command> commands = new ArrayList<>();
            skipSpace();
            if (atEnd()) {
                throw malformed("the query is empty");
            }
            while (true) {
                commands.add(command());
                skipSpace();
                if (atEnd()) {
                    return new InsightsQuery(commands);
                }
                expect("|");
            }
        }

        private Command command() {
            skipSpace();
            int start = position;
            String name = word().toLowerCase(Locale.ROOT);
            return switch (name) {
                case "fields" -> new Fields(projections());
                case "display" -> new Display(projections());
                case "filter" -> new Filter(expression());
                case "parse" -> parseCommand();
                case "stats" -> stats();
                case "sort" -> sort();
                case "limit" -> limit();
                case "dedup" -> dedup();
                case "" -> throw malformed("a command is missing");
                default -> {
                    position = start;
                    throw malformed("unknown command " + name + " (Stratus has fields, display, filter, parse, stats, sort, limit and dedup)");
                }
            };
        }

        private List<Projection> projections() {
            List<Projection> projections = new ArrayList<>();
            do {
                skipSpace();
                int start = position;
                InsightsExpr expr = expression();
                String name = text.substring(start, position).strip();
                if (keyword("as")) {
                    name = identifier();
                }
                projections.add(new Projection(name, expr));
            } while (accept(","));
            return projections;
        }

        private Parse parseCommand() {
            InsightsExpr source = new InsightsExpr.Field(identifier());
            skipSpace();
            if (peek() == '/') {
                Pattern pattern = regex();
                List<String> names = new ArrayList<>();
                Matcher groups = NAMED_GROUP.matcher(pattern.pattern());
                while (groups.find()) {
                    names.add(groups.group(1));
                }
                if (names.isEmpty()) {
                    throw malformed("a parse regular expression needs named groups, such as (?<status>\\d+)");
                }
                return new Parse(source, pattern, names, true);
            }
            String glob = string();
            if (!keyword("as")) {
                throw malformed("expected as after the parse pattern");
            }
            List<String> names = new ArrayList<>();
            do {
                names.add(identifier());
            } while (accept(","));
            StringBuilder regex = new StringBuilder();
            int stars = 0;
            for (String literal : glob.split("\\*", -1)) {
                if (stars > 0) {
                    regex.append(stars == glob.chars().filter(c -> c == '*').count() ? "(.*)" : "(.*?)");
                }
                regex.append(Pattern.quote(literal));
                stars++;
            }
            if (stars - 1 != names.size()) {
                throw malformed("the parse pattern has " + (stars - 1) + " wildcards but " + names.size() + " names follow as");
            }
            return new Parse(source, Pattern.compile(regex.toString(), Pattern.DOTALL), names, false);
        }

        private Stats stats() {
            aggregations = new ArrayList<>();
            try {
                List<Projection> items = projections();
                if (aggregations.isEmpty()) {
                    throw malformed("stats needs an aggregation function such as count(*), avg or max");
                }
                List<Aggregation> found = aggregations;
                aggregations = null;
                List<Projection> groups = keyword("by") ? projections() : List.of();
                return new Stats(found, items, groups);
            } finally {
                aggregations = null;
            }
        }

        private Sort sort() {
            keyword("by");
            List<Order> orders = new ArrayList<>();
            do {
                InsightsExpr expr = expression();
                boolean descending = keyword("desc");
                if (!descending) {
                    keyword("asc");
                }
                orders.add(new Order(expr, descending));
            } while (accept(","));
            return new Sort(orders);
        }

        private Limit limit() {
            skipSpace();
            int start = position;
            while (!atEnd() && Character.isDigit(peek())) {
                position++;
            }
            if (start == position) {
                throw malformed("limit needs a number");
            }
            long count = Long.parseLong(text.substring(start, Math.min(position, start + 12)));
            if (count < 1 || count > 10_000) {
                throw malformed("limit must be between 1 and 10000");
            }
            return new Limit((int) count);
        }

        private Dedup dedup() {
            List<InsightsExpr> fields = new ArrayList<>();
            do {
                fields.add(new InsightsExpr.Field(identifier()));
            } while (accept(","));
            return new Dedup(fields);
        }

        // Expressions, lowest precedence first.

        InsightsExpr expression() {
            InsightsExpr left = conjunction();
            while (keyword("or")) {
                left = new InsightsExpr.Or(left, conjunction());
            }
            return left;
        }

        private InsightsExpr conjunction() {
            InsightsExpr left = negation();
            while (keyword("and")) {
                left = new InsightsExpr.And(left, negation());
            }
            return left;
        }

        private InsightsExpr negation() {
            if (keyword("not")) {
                enter();
                InsightsExpr negated = new InsightsExpr.Not(negation());
                depth--;
                return negated;
            }
            return comparison();
        }

        private InsightsExpr comparison() {
            InsightsExpr left = additive();
            skipSpace();
            for (String operator : List.of("!=", "<=", ">=", "=~", "=", "<", ">")) {
                if (accept(operator)) {
                    InsightsExpr right = operator.equals("=~") ? pattern() : additive();
                    return operator.equals("=~") ? new InsightsExpr.Like(left, right, false) : new InsightsExpr.Comparison(operator, left, right);
                }
            }
            int before = position;
            boolean negated = keyword("not");
            if (keyword("like")) {
                return new InsightsExpr.Like(left, pattern(), negated);
            }
            if (keyword("in")) {
                expect("[");
                List<InsightsExpr> candidates = new ArrayList<>();
                do {
                    candidates.add(additive());
                } while (accept(","));
                expect("]");
                return new InsightsExpr.In(left, candidates, negated);
            }
            position = before;
            return left;
        }

        private InsightsExpr pattern() {
            skipSpace();
            return peek() == '/' ? new InsightsExpr.Regex(regex()) : additive();
        }

        private InsightsExpr additive() {
            InsightsExpr left = multiplicative();
            while (true) {
                skipSpace();
                char c = peek();
                if (c == '+' || c == '-') {
                    position++;
                    left = new InsightsExpr.Arithmetic(c, left, multiplicative());
                } else {
                    return left;
                }
            }
        }

        private InsightsExpr multiplicative() {
            InsightsExpr left = unary();
            while (true) {
                skipSpace();
                char c = peek();
                if (c == '*' || c == '/' || c == '%' || c == '^') {
                    position++;
                    left = new InsightsExpr.Arithmetic(c, left, unary());
                } else {
                    return left;
                }
            }
        }

        private InsightsExpr unary() {
            skipSpace();
            if (peek() == '-') {
                position++;
                enter();
                InsightsExpr negated = new InsightsExpr.Negate(unary());
                depth--;
                return negated;
            }
            return primary();
        }

        private InsightsExpr primary() {
            skipSpace();
            char c = peek();
            if (c == '(') {
                position++;
                enter();
                InsightsExpr inner = expression();
                expect(")");
                depth--;
                return inner;
            }
            if (c == '"' || c == '\'') {
                return new InsightsExpr.Literal(string());
            }
            if (Character.isDigit(c) || (c == '.' && position + 1 < text.length() && Character.isDigit(text.charAt(position + 1)))) {
                return number();
            }
            if (c == '/') {
                return new InsightsExpr.Regex(regex());
            }
            int start = position;
            String name = identifier();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("true") || lower.equals("false")) {
                return new InsightsExpr.Literal(Boolean.valueOf(lower));
            }
            skipSpace();
            if (peek() == '(' && !name.startsWith("`")) {
                return call(name, start);
            }
            return new InsightsExpr.Field(name);
        }

        private InsightsExpr call(String name, int start) {
            boolean aggregate = InsightsFunctions.isAggregate(name);
            if (!aggregate && !InsightsFunctions.isScalar(name)) {
                position = start;
                throw malformed("unknown function " + name);
            }
            if (aggregate && aggregations == null) {
                position = start;
                throw malformed(name + " is an aggregation: it belongs in stats");
            }
            expect("(");
            List<InsightsExpr> arguments = new ArrayList<>();
            skipSpace();
            if (name.equalsIgnoreCase("count") && accept("*")) {
                expect(")");
            } else if (!accept(")")) {
                do {
                    arguments.add(expression());
                } while (accept(","));
                expect(")");
            }
            int[] arity = InsightsFunctions.arity(name);
            if (arguments.size() < arity[0] || arguments.size() > arity[1]) {
                position = start;
                throw malformed(name + " takes " + (arity[0] == arity[1] ? arity[0] : arity[0] + " to " + arity[1]) + " arguments");
            }
            if (!aggregate) {
                return new InsightsExpr.Call(name, arguments);
            }
            // Each aggregation becomes a field of the stats' row, which its item reads.
            String field = text.substring(start, position).strip();
            aggregations.add(new Aggregation(field, name, arguments));
            return new InsightsExpr.Field(field);
        }

        private InsightsExpr number() {
            int start = position;
            while (!atEnd() && (Character.isDigit(peek()) || peek() == '.')) {
                position++;
            }
            // A number with a unit (5m, 1h): a period for bin and datefloor.
            int unit = position;
            while (!atEnd() && Character.isLetter(peek())) {
                position++;
            }
            if (unit < position) {
                return new InsightsExpr.Literal(text.substring(start, position));
            }
            try {
                return new InsightsExpr.Literal(Double.valueOf(text.substring(start, position)));
            } catch (NumberFormatException e) {
                position = start;
                throw malformed("not a number");
            }
        }

        private String string() {
            skipSpace();
            char quote = peek();
            if (quote != '"' && quote != '\'') {
                throw malformed("expected a quoted string");
            }
            int start = position++;
            StringBuilder value = new StringBuilder();
            while (!atEnd() && peek() != quote) {
                char c = text.charAt(position++);
                if (c == '\\' && !atEnd()) {
                    value.append(text.charAt(position++));
                } else {
                    value.append(c);
                }
            }
            if (atEnd()) {
                position = start;
                throw malformed("a string is not closed");
            }
            position++;
            return value.toString();
        }

        private Pattern regex() {
            int start = position++;
            StringBuilder value = new StringBuilder();
            while (!atEnd() && peek() != '/') {
                char c = text.charAt(position++);
                if (c == '\\' && !atEnd() && peek() == '/') {
                    value.append(text.charAt(position++));
                } else {
                    value.append(c);
                    if (c == '\\' && !atEnd()) {
                        value.append(text.charAt(position++));
                    }
                }
            }
            if (atEnd()) {
                position = start;
                throw malformed("a regular expression is not closed");
            }
            position++;
            try {
                return Pattern.compile(value.toString());
            } catch (PatternSyntaxException e) {
                position = start;
                throw malformed("invalid regular expression: " + e.getDescription());
            }
        }

        /** A field name: {@code @message}, {@code detail.status}, or any name between backticks. */
        private String identifier() {
            skipSpace();
            if (peek() == '`') {
                int end = text.indexOf('`', position + 1);
                if (end < 0) {
                    throw malformed("a backtick-quoted name is not closed");
                }
                String name = text.substring(position + 1, end);
                position = end + 1;
                return name;
            }
            int start = position;
            while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '@' || peek() == '_' || peek() == '.' || peek() == '$')) {
                position++;
            }
            if (start == position) {
                throw malformed(atEnd() ? "the query ends too soon" : "unexpected '" + peek() + "'");
            }
            String name = text.substring(start, position);
            if (KEYWORDS.contains(name.toLowerCase(Locale.ROOT)) && !name.equalsIgnoreCase("true") && !name.equalsIgnoreCase("false")) {
                position = start;
                throw malformed("unexpected " + name);
            }
            return name;
        }

        private String word() {
            int start = position;
            while (!atEnd() && Character.isLetter(peek())) {
                position++;
            }
            return text.substring(start, position);
        }

        /** Consumes the keyword (as a whole word, in any case) if it comes next. */
        private boolean keyword(String keyword) {
            skipSpace();
            int end = position + keyword.length();
            if (end <= text.length() && text.regionMatches(true, position, keyword, 0, keyword.length())
                    && (end == text.length() || !(Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_'))) {
                position = end;
                return true;
            }
            return false;
        }

        private boolean accept(String symbol) {
            skipSpace();
            if (text.startsWith(symbol, position)) {
                position += symbol.length();
                return true;
            }
            return false;
        }

        private void expect(String symbol) {
            if (!accept(symbol)) {
                throw malformed(atEnd() ? "expected " + symbol + " but the query ends" : "expected " + symbol + " but found '" + peek() + "'");
            }
        }

        private void skipSpace() {
            while (!atEnd()) {
                char c = peek();
                if (c == '#') {
                    while (!atEnd() && peek() != '\n') {
                        position++;
                    }
                } else if (Character.isWhitespace(c)) {
                    position++;
                } else {
                    return;
                }
            }
        }

        private char peek() {
            return atEnd() ? '\0' : text.charAt(position);
        }

        private boolean atEnd() {
            return position >= text.length();
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw malformed("the expression nests more than " + MAX_DEPTH + " levels deep");
            }
        }

        private AwsException malformed(String why) {
            return AwsException.of(LogsErrors.MALFORMED_QUERY, "Query is malformed at character %d: %s", position + 1, why);
        }
    }
}
