package io.stratus.logs;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An expression of the Logs Insights query language, evaluated against one row (a log event's
 * fields, or a row of {@code stats}' results). Values are {@code String}, {@code Double},
 * {@code Boolean} or {@code Instant} (a time: {@code @timestamp}, {@code bin(5m)}, which is a
 * number of milliseconds to arithmetic and shown as {@value #TIME_PATTERN}); a field the row does
 * not have is null, and an operation on null gives null (a comparison with it is false), as Logs
 * Insights treats missing fields.
 */
sealed interface InsightsExpr {

    String TIME_PATTERN = "yyyy-MM-dd HH:mm:ss.SSS";
    DateTimeFormatter TIME = DateTimeFormatter.ofPattern(TIME_PATTERN).withZone(ZoneOffset.UTC);

    Object eval(Map<String, Object> row);

    /** A field of the row: {@code @message}, {@code level}, {@code detail.status}. */
    record Field(String name) implements InsightsExpr {
        @Override
        public Object eval(Map<String, Object> row) {
            return row.get(name);
        }
    }

    /** A string, number or boolean written in the query. */
    record Literal(Object value) implements InsightsExpr {
        @Override
        public Object eval(Map<String, Object> row) {
            return value;
        }
    }

    /** A regular expression written between slashes, as the right side of {@code like} or {@code =~}. */
    record Regex(Pattern pattern) implements InsightsExpr {
        @Override
        public Object eval(Map<String, Object> row) {
            return pattern.pattern();
        }
    }

    record Not(InsightsExpr operand) implements InsightsExpr {
        @Override
        public Object eval(Map<String, Object> row) {
            return !truthy(operand.eval(row));
        }
    }

    record Negate(InsightsExpr operand) implements InsightsExpr {
        @Override
        public Object eval(Map<String, Object> row) {
            Double value = number(operand.eval(row));
            return value == null ? null : -value;
        }
    }

    record And(InsightsExpr left, InsightsExpr right) implements InsightsExpr {
        @Override
        public Object eval(Map<String, Object> row) {
            return truthy(left.eval(row)) && truthy(right.eval(row));
        }
    }

    record Or(InsightsExpr left, InsightsExpr right) implements InsightsExpr {
        @Override
        public Object eval(Map<String, Object> row) {
            return truthy(left.eval(row)) || truthy(right.eval(row));
        }
    }

    /** {@code +}, {@code -}, {@code *}, {@code /}, {@code %}, {@code ^}: numbers, or null when either side is not one. */
    record Arithmetic(char operator, InsightsExpr left, InsightsExpr right) implements InsightsExpr {
        @Override
        public Object eval(Map<String, Object> row) {
            Double a = number(left.eval(row));
            Double b = number(right.eval(row));
            if (a == null || b == null) {
                return null;
            }
            return switch (operator) {
                case '+' -> a + b;
                case '-' -> a - b;
                case '*' -> a * b;
                case '/' -> b == 0 ? null : a / b;
                case '%' -> b == 0 ? null : a % b;
                default -> Math.pow(a, b);
            };
        }
    }

    /** {@code =}, {@code !=}, {@code <}, {@code <=}, {@code >}, {@code >=}: as numbers when both sides are, else as strings. */
    record Comparison(String operator, InsightsExpr left, InsightsExpr right) implements InsightsExpr {
        @Override
        public Object eval(Map<String, Object> row) {
            Object a = left.eval(row);
            Object b = right.eval(row);
            if (a == null || b == null) {
                return false;
            }
            return Comparisons.holds(compare(a, b), operator);
        }
    }

    /** {@code like} / {@code =~}: a substring for a string, a search for a regular expression; negated for {@code not like}. */
    record Like(InsightsExpr value, InsightsExpr pattern, boolean negated) implements InsightsExpr {
        @Override
        public Object eval(Map<String, Object> row) {
            Object text = value.eval(row);
            if (text == null) {
                return negated;
            }
            boolean found = pattern instanceof Regex regex
                    ? regex.pattern().matcher(string(text)).find()
                    : string(text).contains(string(pattern.eval(row)));
            return found != negated;
        }
    }

    /** {@code field in [a, b, c]}, negated for {@code not in}. */
    record In(InsightsExpr value, List<InsightsExpr> candidates, boolean negated) implements InsightsExpr {
        @Override
        public Object eval(Map<String, Object> row) {
            Object found = value.eval(row);
            if (found == null) {
                return negated;
            }
            for (InsightsExpr candidate : candidates) {
                Object other = candidate.eval(row);
                if (other != null && compare(found, other) == 0) {
                    return !negated;
                }
            }
            return negated;
        }
    }

    /** A call of one of the {@link InsightsFunctions}. */
    record Call(String function, List<InsightsExpr> arguments) implements InsightsExpr {
        @Override
        public Object eval(Map<String, Object> row) {
            return InsightsFunctions.call(function, arguments, row);
        }
    }

    static boolean truthy(Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case Double d -> d != 0;
            case String s -> !s.isEmpty();
            default -> true;
        };
    }

    /** The value as a number: a number, or a string that is one; else null. */
    static Double number(Object value) {
        return switch (value) {
            case Double d -> d;
            case Instant t -> (double) t.toEpochMilli();
            case Boolean b -> b ? 1.0 : 0.0;
            case String s -> {
                try {
                    yield s.isBlank() ? null : Double.valueOf(s.trim());
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
            case null, default -> null;
        };
    }

    /** The value as the query's results show it: numbers without a needless fraction. */
    static String string(Object value) {
        return switch (value) {
            case null -> "";
            case Double d when d.isNaN() || d.isInfinite() -> d.toString();
            case Double d -> BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            case Boolean b -> b.toString().toLowerCase(Locale.ROOT);
            case Instant t -> TIME.format(t);
            default -> value.toString();
        };
    }

    /** Numbers by value when both sides are numbers (or strings that are), else strings by their characters. */
    static int compare(Object a, Object b) {
        Double x = number(a);
        Double y = number(b);
        if (x != null && y != null) {
            return Double.compare(x, y);
        }
        return string(a).compareTo(string(b));
    }
}
