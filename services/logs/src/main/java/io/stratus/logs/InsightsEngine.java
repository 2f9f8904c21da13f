package io.stratus.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.logs.InsightsQuery.Command;
import io.stratus.logs.InsightsQuery.Projection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a parsed {@link InsightsQuery} over log events: each event becomes a row of its fields —
 * the system fields ({@code @timestamp}, {@code @message}, {@code @logStream}, {@code @log},
 * {@code @ingestionTime}), the fields of a JSON message (nested ones by dotted name), and for
 * Lambda's platform lines {@code @type}, {@code @requestId}, {@code @duration},
 * {@code @billedDuration}, {@code @memorySize}, {@code @maxMemoryUsed}, {@code @initDuration} —
 * and the commands apply in order. Not thread-safe: one per query.
 */
final class InsightsEngine {

    /** The fields a row shows when no command chose them. */
    private static final List<String> DEFAULT_FIELDS = List.of("@timestamp", "@message");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPORT = Pattern.compile(
            "REPORT RequestId: (\\S+)\\s+Duration: ([\\d.]+) ms\\s+Billed Duration: (\\d+) ms\\s+Memory Size: (\\d+) MB\\s+"
                    + "Max Memory Used: (\\d+) MB(?:\\s+Init Duration: ([\\d.]+) ms)?.*", Pattern.DOTALL);
    private static final Pattern START_END = Pattern.compile("(START|END) RequestId: (\\S+).*", Pattern.DOTALL);
    /** A line of Lambda's text format: time, request id, level, then the message (which may be JSON). */
    private static final Pattern LAMBDA_LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT[^\\t]+\\t([0-9a-f-]{36})\\t[A-Z]+\\t(.*)", Pattern.DOTALL);

    private final InsightsQuery query;
    private final int limit;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    /**
     * Without {@code sort}, {@code stats} or {@code dedup} only the newest rows can be shown (as many as
     * the smallest {@code limit}): those are all that is kept, oldest first; else null and every row is.
     */
    private final PriorityQueue<Map<String, Object>> newest;
    private final int keep;
    /**
     * When the first command that needs every row is a {@code sort} that only projections and limits
     * follow, only the rows that can still be shown are kept (as many as the smallest limit): the
     * worst of them first, ties broken by arrival, so they are the first rows a full sort would give;
     * else null.
     */
    private final PriorityQueue<Ranked> best;
    private final int bestCount;
    private long arrivals;

    /** A row and when it arrived, which breaks a sort's ties as a stable sort of every row would. */
    private record Ranked(Map<String, Object> row, long arrival) {}
    /** Row-by-row commands run as each event arrives, up to the first that needs every row. */
    private final int streamed;
    /** When that command is a {@code stats}: its groups, aggregated as events arrive (no row is kept); else null. */
    private final Grouping grouping;
    private long scanned;
    private long matched;
    private long bytes;

    /** @param limit the most rows the results hold (StartQuery's {@code limit}, or 10,000) */
    InsightsEngine(InsightsQuery query, int limit) {
        this.query = query;
        this.limit = limit;
        int rowWise = 0;
        while (rowWise < query.commands().size() && rowWise(query.commands().get(rowWise))) {
            rowWise++;
        }
        this.streamed = rowWise;
        this.grouping = rowWise < query.commands().size() && query.commands().get(rowWise) instanceof InsightsQuery.Stats stats
                ? new Grouping(stats) : null;
        boolean needsEveryRow = query.commands().stream().anyMatch(command -> command instanceof InsightsQuery.Sort
                || command instanceof InsightsQuery.Stats || command instanceof InsightsQuery.Dedup);
        this.keep = query.commands().stream().filter(InsightsQuery.Limit.class::isInstance).mapToInt(cut -> ((InsightsQuery.Limit) cut).count())
                .reduce(limit, Math::min);
        this.newest = needsEveryRow ? null : new PriorityQueue<>(Comparator.comparing((Map<String, Object> row) -> InsightsExpr.number(row.get("@timestamp")),
                Comparator.nullsFirst(Comparator.naturalOrder())));
        List<Command> after = query.commands().subList(Math.min(rowWise + 1, query.commands().size()), query.commands().size());
        boolean boundedSort = rowWise < query.commands().size() && query.commands().get(rowWise) instanceof InsightsQuery.Sort
                && after.stream().allMatch(command -> command instanceof InsightsQuery.Fields || command instanceof InsightsQuery.Display
                        || command instanceof InsightsQuery.Limit);
        this.bestCount = after.stream().filter(InsightsQuery.Limit.class::isInstance).mapToInt(cut -> ((InsightsQuery.Limit) cut).count())
                .reduce(limit, Math::min);
        this.best = boundedSort ? new PriorityQueue<>(ranked((InsightsQuery.Sort) query.commands().get(rowWise)).reversed()) : null;
    }

    /** A sort's order of rows, ties broken by arrival. */
    private static Comparator<Ranked> ranked(InsightsQuery.Sort sort) {
        return Comparator.comparing(Ranked::row, order(sort)).thenComparingLong(Ranked::arrival);
    }

    private static boolean rowWise(Command command) {
        return command instanceof InsightsQuery.Fields || command instanceof InsightsQuery.Filter || command instanceof InsightsQuery.Parse
                || command instanceof InsightsQuery.Display;
    }

    /** Takes one event of the queried range. */
    void add(String account, String group, LogStore.StoredEvent event, String pointer) {
        scanned++;
        bytes += event.message().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        Map<String, Object> row = row(account, group, event);
        row.put("@ptr", pointer);
        for (int i = 0; i < streamed; i++) {
            row = apply(query.commands().get(i), row);
            if (row == null) {
                return;
            }
        }
        matched++;
        if (grouping != null) {
            grouping.add(row);
        } else if (best != null) {
            best.add(new Ranked(row, arrivals++));
            if (best.size() > bestCount) {
                best.poll();
            }
        } else if (newest != null) {
            newest.add(row);
            if (newest.size() > keep) {
                newest.poll();
            }
        } else {
            rows.add(row);
        }
    }

    long scanned() {
        return scanned;
    }

    long matched() {
        return matched;
    }

    long bytes() {
        return bytes;
    }

    /** The results: a row per list, each field as {@code (name, value)} in the order the query names them. */
    List<List<Map.Entry<String, String>>> results() {
        List<Map<String, Object>> current = newest != null ? new ArrayList<>(newest) : rows;
        if (best != null) {
            // In arrival order: the sort below puts them in the query's, ties as they came.
            current = best.stream().sorted(Comparator.comparingLong(Ranked::arrival)).map(Ranked::row).toList();
        }
        if (query.commands().stream().noneMatch(command -> command instanceof InsightsQuery.Sort || command instanceof InsightsQuery.Stats)) {
            // Without a sort, the newest events come first (and a limit keeps the newest).
            current.sort(Comparator.comparing((Map<String, Object> row) -> InsightsExpr.number(row.get("@timestamp")),
                    Comparator.nullsLast(Comparator.reverseOrder())));
        }
        boolean aggregated = false;
        List<String> shown = new ArrayList<>();
        collectShown(query.commands().subList(0, streamed), shown);
        for (Command command : query.commands().subList(streamed, query.commands().size())) {
            switch (command) {
                case InsightsQuery.Stats stats -> {
                    current = command == query.commands().get(streamed) && grouping != null ? grouping.rows() : stats(stats, current);
                    aggregated = true;
                    shown.clear();
                    stats.groups().forEach(group -> shown.add(group.name()));
                    stats.items().forEach(item -> shown.add(item.name()));
                }
                case InsightsQuery.Sort sort -> current = sorted(current, sort);
                case InsightsQuery.Limit cut -> current = current.subList(0, Math.min(cut.count(), current.size()));
                case InsightsQuery.Dedup dedup -> current = deduplicated(current, dedup);
                default -> {
                    List<Map<String, Object>> next = new ArrayList<>();
                    for (Map<String, Object> row : current) {
                        Map<String, Object> applied = apply(command, row);
                        if (applied != null) {
                            next.add(applied);
                        }
                    }
                    current = next;
                    collectShown(List.of(command), shown);
                }
            }
        }
        if (shown.isEmpty()) {
            shown.addAll(DEFAULT_FIELDS);
        }
        if (!aggregated && !shown.contains("@ptr")) {
            shown.add("@ptr");
        }
        List<List<Map.Entry<String, String>>> results = new ArrayList<>();
        for (Map<String, Object> row : current.subList(0, Math.min(limit, current.size()))) {
            List<Map.Entry<String, String>> fields = new ArrayList<>();
            for (String name : new LinkedHashSet<>(shown)) {
                Object value = row.get(name);
                if (value != null) {
                    fields.add(Map.entry(name, InsightsExpr.string(value)));
                }
            }
            results.add(fields);
        }
        return results;
    }

    /** Adds the fields {@code fields} commands name, or replaces them with a {@code display}'s. */
    private static void collectShown(List<Command> commands, List<String> shown) {
        for (Command command : commands) {
            if (command instanceof InsightsQuery.Fields fields) {
                fields.projections().forEach(projection -> shown.add(projection.name()));
            } else if (command instanceof InsightsQuery.Display display) {
                shown.clear();
                display.projections().forEach(projection -> shown.add(projection.name()));
            }
        }
    }

    /** One row-by-row command on one row: the row (with new fields), or null when a filter drops it. */
    private static Map<String, Object> apply(Command command, Map<String, Object> row) {
        switch (command) {
            case InsightsQuery.Filter filter -> {
                return InsightsExpr.truthy(filter.condition().eval(row)) ? row : null;
            }
            case InsightsQuery.Fields fields -> project(fields.projections(), row);
            case InsightsQuery.Display display -> project(display.projections(), row);
            case InsightsQuery.Parse parse -> {
                Object source = parse.source().eval(row);
                if (source != null) {
                    Matcher matcher = parse.pattern().matcher(InsightsExpr.string(source));
                    if (matcher.find()) {
                        for (int i = 0; i < parse.names().size(); i++) {
                            String value = parse.named() ? matcher.group(parse.names().get(i)) : matcher.group(i + 1);
                            if (value != null) {
                                row.put(parse.names().get(i), value);
                            }
                        }
                    }
                }
            }
            default -> throw new IllegalStateException("not a row-by-row command: " + command);
        }
        return row;
    }

    private static void project(List<Projection> projections, Map<String, Object> row) {
        for (Projection projection : projections) {
            if (!(projection.expr() instanceof InsightsExpr.Field field && field.name().equals(projection.name()))) {
                Object value = projection.expr().eval(row);
                if (value != null) {
                    row.put(projection.name(), value);
                }
            }
        }
    }

    private static List<Map<String, Object>> stats(InsightsQuery.Stats stats, List<Map<String, Object>> rows) {
        Grouping grouping = new Grouping(stats);
        rows.forEach(grouping::add);
        return grouping.rows();
    }

    /** A {@code stats} command's groups and their running aggregations. */
    private static final class Grouping {
        private record Group(Map<String, Object> keys, List<InsightsFunctions.Aggregate> aggregates) {}

        private final InsightsQuery.Stats stats;
        private final Map<List<Object>, Group> groups = new LinkedHashMap<>();

        Grouping(InsightsQuery.Stats stats) {
            this.stats = stats;
        }

        void add(Map<String, Object> row) {
            Map<String, Object> keys = new LinkedHashMap<>();
            List<Object> key = new ArrayList<>();
            for (Projection group : stats.groups()) {
                Object value = group.expr().eval(row);
                keys.put(group.name(), value);
                key.add(value);
            }
            groups.computeIfAbsent(key, k -> newGroup(keys)).aggregates().forEach(aggregate -> aggregate.add(row));
        }

        private Group newGroup(Map<String, Object> keys) {
            return new Group(keys, stats.aggregations().stream()
                    .map(aggregation -> new InsightsFunctions.Aggregate(aggregation.function(), aggregation.arguments())).toList());
        }

        /** A row per group (one for no events at all when nothing groups them), time series in time order. */
        List<Map<String, Object>> rows() {
            if (groups.isEmpty() && stats.groups().isEmpty()) {
                groups.put(List.of(), newGroup(Map.of()));
            }
            List<Map<String, Object>> results = new ArrayList<>();
            for (Group group : groups.values()) {
                Map<String, Object> row = new LinkedHashMap<>();
                group.keys().forEach((name, value) -> {
                    if (value != null) {
                        row.put(name, value);
                    }
                });
                for (int i = 0; i < stats.aggregations().size(); i++) {
                    Object value = group.aggregates().get(i).result();
                    if (value != null) {
                        row.put(stats.aggregations().get(i).field(), value);
                    }
                }
                project(stats.items(), row);
                results.add(row);
            }
            results.sort(Comparator.comparing((Map<String, Object> row) -> firstTime(row, stats), Comparator.nullsLast(Comparator.naturalOrder())));
            return results;
        }
    }

    private static Instant firstTime(Map<String, Object> row, InsightsQuery.Stats stats) {
        for (Projection group : stats.groups()) {
            if (row.get(group.name()) instanceof Instant time) {
                return time;
            }
        }
        return null;
    }

    private static List<Map<String, Object>> sorted(List<Map<String, Object>> rows, InsightsQuery.Sort sort) {
        List<Map<String, Object>> sorted = new ArrayList<>(rows);
        sorted.sort(order(sort));
        return sorted;
    }

    private static Comparator<Map<String, Object>> order(InsightsQuery.Sort sort) {
        Comparator<Map<String, Object>> order = null;
        for (InsightsQuery.Order by : sort.orders()) {
            Comparator<Map<String, Object>> next = Comparator.comparing(row -> by.expr().eval(row), InsightsEngine::natural);
            if (by.descending()) {
                next = next.reversed();
            }
            order = order == null ? next : order.thenComparing(next);
        }
        return order;
    }

    /** Logs Insights' ascending order: missing values first, then text (digit runs by value), then numbers. */
    private static int natural(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        Double x = a instanceof String ? null : InsightsExpr.number(a);
        Double y = b instanceof String ? null : InsightsExpr.number(b);
        if (x != null || y != null) {
            return x == null ? -1 : y == null ? 1 : Double.compare(x, y);
        }
        return naturalText(InsightsExpr.string(a), InsightsExpr.string(b));
    }

    private static int naturalText(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            if (Character.isDigit(a.charAt(i)) && Character.isDigit(b.charAt(j))) {
                int endA = i;
                while (endA < a.length() && Character.isDigit(a.charAt(endA))) {
                    endA++;
                }
                int endB = j;
                while (endB < b.length() && Character.isDigit(b.charAt(endB))) {
                    endB++;
                }
                int order = endA - i != endB - j ? Integer.compare(endA - i, endB - j) : a.substring(i, endA).compareTo(b.substring(j, endB));
                if (order != 0) {
                    return order;
                }
                i = endA;
                j = endB;
            } else {
                if (a.charAt(i) != b.charAt(j)) {
                    return Character.compare(a.charAt(i), b.charAt(j));
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static List<Map<String, Object>> deduplicated(List<Map<String, Object>> rows, InsightsQuery.Dedup dedup) {
        Set<List<String>> seen = new HashSet<>();
        List<Map<String, Object>> kept = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            List<String> key = dedup.fields().stream().map(field -> InsightsExpr.string(field.eval(row))).toList();
            if (seen.add(key)) {
                kept.add(row);
            }
        }
        return kept;
    }

    /** An event's fields, as Logs Insights discovers them. */
    static Map<String, Object> row(String account, String group, LogStore.StoredEvent event) {
        Map<String, Object> row = new LinkedHashMap<>();
        String message = event.message();
        row.put("@timestamp", Instant.ofEpochMilli(event.timestamp()));
        row.put("@message", message);
        row.put("@logStream", event.stream());
        row.put("@log", account + ":" + group);
        row.put("@ingestionTime", Instant.ofEpochMilli(event.ingestionTime()));
        Matcher report = REPORT.matcher(message);
        if (report.matches()) {
            row.put("@type", "REPORT");
            row.put("@requestId", report.group(1));
            row.put("@duration", Double.valueOf(report.group(2)));
            row.put("@billedDuration", Double.valueOf(report.group(3)));
            // Logs Insights counts memory in bytes of 1,000,000 to the megabyte.
            row.put("@memorySize", Double.parseDouble(report.group(4)) * 1_000_000);
            row.put("@maxMemoryUsed", Double.parseDouble(report.group(5)) * 1_000_000);
            if (report.group(6) != null) {
                row.put("@initDuration", Double.valueOf(report.group(6)));
            }
            return row;
        }
        Matcher startEnd = START_END.matcher(message);
        if (startEnd.matches()) {
            row.put("@type", startEnd.group(1));
            row.put("@requestId", startEnd.group(2));
            return row;
        }
        String json = message;
        Matcher line = LAMBDA_LINE.matcher(message);
        if (line.matches()) {
            row.put("@requestId", line.group(1));
            json = line.group(2);
        }
        String trimmed = json.strip();
        if (trimmed.startsWith("{") && trimmed.endsWith("}")) {
            try {
                flatten("", JSON.readTree(trimmed), row);
            } catch (java.io.IOException e) {
                // Not JSON after all: only the system fields.
            }
        }
        return row;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> row) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(prefix + field.getKey() + ".", field.getValue(), row);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + i + ".", node.get(i), row);
            }
        } else if (!node.isNull()) {
            String name = prefix.substring(0, prefix.length() - 1);
            row.putIfAbsent(name, node.isNumber() ? (Object) node.asDouble() : node.isBoolean() ? (Object) node.asBoolean() : node.asText());
        }
    }
}
