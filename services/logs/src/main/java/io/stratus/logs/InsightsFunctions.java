package io.stratus.logs;

import static io.stratus.logs.InsightsExpr.number;
import static io.stratus.logs.InsightsExpr.string;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The functions a Logs Insights query may call: scalar ones on a row's values (strings, numbers,
 * times, {@code bin}), and the aggregations of {@code stats}. Names are case-insensitive.
 */
final class InsightsFunctions {

    /** Scalar functions and how many arguments each takes (at least, at most). */
    private static final Map<String, int[]> SCALAR = Map.ofEntries(
            Map.entry("strlen", new int[] {1, 1}), Map.entry("toupper", new int[] {1, 1}), Map.entry("tolower", new int[] {1, 1}),
            Map.entry("trim", new int[] {1, 1}), Map.entry("ltrim", new int[] {1, 1}), Map.entry("rtrim", new int[] {1, 1}),
            Map.entry("concat", new int[] {1, 100}), Map.entry("substr", new int[] {2, 3}), Map.entry("replace", new int[] {3, 3}),
            Map.entry("strcontains", new int[] {2, 2}), Map.entry("isempty", new int[] {1, 1}), Map.entry("isblank", new int[] {1, 1}),
            Map.entry("ispresent", new int[] {1, 1}), Map.entry("coalesce", new int[] {1, 100}), Map.entry("abs", new int[] {1, 1}),
            Map.entry("ceil", new int[] {1, 1}), Map.entry("floor", new int[] {1, 1}), Map.entry("sqrt", new int[] {1, 1}),
            Map.entry("log", new int[] {1, 1}), Map.entry("greatest", new int[] {1, 100}), Map.entry("least", new int[] {1, 100}),
            Map.entry("bin", new int[] {1, 1}), Map.entry("datefloor", new int[] {2, 2}), Map.entry("dateceil", new int[] {2, 2}),
            Map.entry("frommillis", new int[] {1, 1}), Map.entry("tomillis", new int[] {1, 1}));

    /** Aggregations of {@code stats} and how many arguments each takes. */
    private static final Map<String, int[]> AGGREGATE = Map.of(
            "count", new int[] {0, 1}, "count_distinct", new int[] {1, 1}, "sum", new int[] {1, 1}, "avg", new int[] {1, 1},
            "min", new int[] {1, 1}, "max", new int[] {1, 1}, "pct", new int[] {2, 2}, "stddev", new int[] {1, 1},
            "earliest", new int[] {1, 1}, "latest", new int[] {1, 1});

    /** {@code bin}'s and {@code datefloor}'s period units, in milliseconds. */
    private static final Pattern PERIOD = Pattern.compile("(\\d+)\\s*([a-z]+)");

    private InsightsFunctions() {}

    static boolean isScalar(String name) {
        return SCALAR.containsKey(name.toLowerCase(Locale.ROOT));
    }

    static boolean isAggregate(String name) {
        return AGGREGATE.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code count} arguments suit the function; the parser says which bounds when not. */
    static int[] arity(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return SCALAR.containsKey(lower) ? SCALAR.get(lower) : AGGREGATE.get(lower);
    }

    /** The length of a {@code bin} or {@code datefloor} period such as {@code 5m}, {@code 1h}, {@code 30s}; null when it is not one. */
    static Long periodMillis(String period) {
        Matcher matcher = PERIOD.matcher(period.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            return null;
        }
        long count = Long.parseLong(matcher.group(1));
        long unit = switch (matcher.group(2)) {
            case "ms", "msec", "msecs", "millisecond", "milliseconds" -> 1L;
            case "s", "sec", "secs", "second", "seconds" -> 1_000L;
            case "m", "min", "mins", "minute", "minutes" -> 60_000L;
            case "h", "hr", "hrs", "hour", "hours" -> 3_600_000L;
            case "d", "day", "days" -> 86_400_000L;
            case "w", "week", "weeks" -> 7 * 86_400_000L;
            default -> -1L;
        };
        return unit < 0 || count == 0 ? null : count * unit;
    }

    static Object call(String function, List<InsightsExpr> arguments, Map<String, Object> row) {
        List<Object> values = new ArrayList<>(arguments.size());
        for (InsightsExpr argument : arguments) {
            values.add(argument.eval(row));
        }
        Object first = values.getFirst();
        return switch (function.toLowerCase(Locale.ROOT)) {
            case "strlen" -> first == null ? null : (double) string(first).length();
            case "toupper" -> first == null ? null : string(first).toUpperCase(Locale.ROOT);
            case "tolower" -> first == null ? null : string(first).toLowerCase(Locale.ROOT);
            case "trim" -> first == null ? null : string(first).strip();
            case "ltrim" -> first == null ? null : string(first).stripLeading();
            case "rtrim" -> first == null ? null : string(first).stripTrailing();
            case "concat" -> {
                StringBuilder joined = new StringBuilder();
                values.forEach(value -> joined.append(string(value)));
                yield joined.toString();
            }
            case "substr" -> substring(first, values);
            case "replace" -> first == null ? null : string(first).replace(string(values.get(1)), string(values.get(2)));
            case "strcontains" -> first != null && string(first).contains(string(values.get(1)));
            case "isempty" -> first == null || string(first).isEmpty();
            case "isblank" -> first == null || string(first).isBlank();
            case "ispresent" -> first != null;
            case "coalesce" -> values.stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
            case "abs", "ceil", "floor", "sqrt", "log" -> math(function.toLowerCase(Locale.ROOT), number(first));
            case "greatest", "least" -> extreme(values, function.equalsIgnoreCase("greatest"));
            case "bin" -> floor(row.get("@timestamp"), first);
            case "datefloor" -> floor(first, values.get(1));
            case "dateceil" -> {
                Object floored = floor(first, values.get(1));
                Long period = periodMillis(string(values.get(1)));
                yield floored instanceof Instant t && !t.equals(first) && period != null ? t.plusMillis(period) : floored;
            }
            case "frommillis" -> number(first) == null ? null : Instant.ofEpochMilli(number(first).longValue());
            case "tomillis" -> number(first);
            default -> throw new IllegalStateException("not a scalar function: " + function);
        };
    }

    private static Object substring(Object value, List<Object> values) {
        Double start = number(values.get(1));
        if (value == null || start == null) {
            return null;
        }
        String text = string(value);
        int from = (int) Math.max(0, Math.min(text.length(), start));
        Double length = values.size() > 2 ? number(values.get(2)) : null;
        int to = length == null ? text.length() : (int) Math.max(from, Math.min(text.length(), from + length));
        return text.substring(from, to);
    }

    private static Double math(String function, Double value) {
        if (value == null) {
            return null;
        }
        return switch (function) {
            case "abs" -> Math.abs(value);
            case "ceil" -> Math.ceil(value);
            case "floor" -> Math.floor(value);
            case "sqrt" -> Math.sqrt(value);
            default -> Math.log(value);
        };
    }

    private static Object extreme(List<Object> values, boolean greatest) {
        Double best = null;
        for (Object value : values) {
            Double number = number(value);
            if (number != null && (best == null || (greatest ? number > best : number < best))) {
                best = number;
            }
        }
        return best;
    }

    /** A time rounded down to a multiple of the period, as {@code bin} groups events. */
    private static Object floor(Object time, Object period) {
        Double millis = number(time);
        Long length = period == null ? null : periodMillis(string(period));
        if (millis == null || length == null) {
            return null;
        }
        long value = millis.longValue();
        return Instant.ofEpochMilli(value - Math.floorMod(value, length));
    }

    /** The running state of one aggregation over one group's rows. */
    static final class Aggregate {

        private final String function;
        private final InsightsExpr argument;
        private final Double percentile;
        private long count;
        private double sum;
        private double sumOfSquares;
        private Object best;
        private double bestTime;
        private final List<Double> seen = new ArrayList<>();
        private final Set<String> distinct = new HashSet<>();

        Aggregate(String function, List<InsightsExpr> arguments) {
            this.function = function.toLowerCase(Locale.ROOT);
            this.argument = arguments.isEmpty() ? null : arguments.getFirst();
            this.percentile = arguments.size() > 1 ? number(arguments.get(1).eval(Map.of())) : null;
        }

        void add(Map<String, Object> row) {
            Object value = argument == null ? Boolean.TRUE : argument.eval(row);
            if (value == null) {
                return;
            }
            count++;
            switch (function) {
                case "count_distinct" -> distinct.add(string(value));
                case "earliest", "latest" -> {
                    double time = number(row.get("@timestamp")) == null ? 0 : number(row.get("@timestamp"));
                    if (best == null || (function.equals("earliest") ? time < bestTime : time >= bestTime)) {
                        best = value;
                        bestTime = time;
                    }
                }
                case "min", "max" -> {
                    int order = best == null ? 0 : InsightsExpr.compare(value, best);
                    if (best == null || (function.equals("min") ? order < 0 : order > 0)) {
                        best = value;
                    }
                }
                case "count" -> {
                    // counted above
                }
                default -> {
                    Double number = number(value);
                    if (number == null) {
                        count--;
                        return;
                    }
                    sum += number;
                    sumOfSquares += number * number;
                    if (function.equals("pct")) {
                        seen.add(number);
                    }
                }
            }
        }

        Object result() {
            return switch (function) {
                case "count" -> (double) count;
                case "count_distinct" -> (double) distinct.size();
                case "sum" -> count == 0 ? null : sum;
                case "avg" -> count == 0 ? null : sum / count;
                case "stddev" -> count < 2 ? (count == 0 ? null : 0.0) : Math.sqrt(Math.max(0, (sumOfSquares - sum * sum / count) / (count - 1)));
                case "pct" -> percentileOf();
                default -> best;
            };
        }

        private Double percentileOf() {
            if (seen.isEmpty() || percentile == null) {
                return null;
            }
            List<Double> sorted = new ArrayList<>(seen);
            sorted.sort(Double::compare);
            int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }
    }
}
