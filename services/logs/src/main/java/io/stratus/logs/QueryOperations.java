package io.stratus.logs;

import static io.stratus.logs.LogsModel.DescribeQueriesRequest;
import static io.stratus.logs.LogsModel.DescribeQueriesResponse;
import static io.stratus.logs.LogsModel.GetLogRecordRequest;
import static io.stratus.logs.LogsModel.GetLogRecordResponse;
import static io.stratus.logs.LogsModel.GetQueryResultsResponse;
import static io.stratus.logs.LogsModel.QueryIdRequest;
import static io.stratus.logs.LogsModel.QueryInfo;
import static io.stratus.logs.LogsModel.QueryStatistics;
import static io.stratus.logs.LogsModel.ResultField;
import static io.stratus.logs.LogsModel.StartQueryRequest;
import static io.stratus.logs.LogsModel.StartQueryResponse;
import static io.stratus.logs.LogsModel.StopQueryResponse;
import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.logs.LogStore.StoredEvent;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Logs Insights: StartQuery runs a query (see {@link InsightsQuery} for the language Stratus
 * speaks) over the events of up to 50 log groups in its time range and keeps its results in the
 * store, where GetQueryResults, DescribeQueries and StopQuery find them; GetLogRecord reads the
 * event a result's {@code @ptr} names. A query is complete when StartQuery answers. Thread-safe.
 */
final class QueryOperations {

    static final String QUERIES = "logs.queries";
    /** How long a query's results are kept, as on AWS. */
    static final java.time.Duration KEPT = java.time.Duration.ofDays(7);
    private static final int MAX_GROUPS = 50;
    private static final int MAX_QUERY_LENGTH = 10_000;
    private static final int DEFAULT_LIMIT = 10_000;
    private static final String LANGUAGE = "CWLI";
    /** The latest second a time range may name (its milliseconds must fit a long). */
    private static final long MAX_SECONDS = Long.MAX_VALUE / 1000 - 1;

    /** A query as kept: what it asked and what it found. */
    record StoredQuery(String queryId, String queryString, String status, long createTime, String logGroupName, List<List<ResultField>> results,
            QueryStatistics statistics) {}

    private final LogStore logs;
    private final Clock clock;

    QueryOperations(LogStore logs, Clock clock) {
        this.logs = requireNonNull(logs, "logs is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    StartQueryResponse startQuery(RequestContext context, StartQueryRequest request) {
        requireInsightsLanguage(request.queryLanguage());
        List<String> groups = groups(context, request);
        long startTime = Names.required("startTime", request.startTime());
        long endTime = Names.required("endTime", request.endTime());
        if (startTime < 0 || endTime < 0) {
            throw LogsErrors.constraint(startTime < 0 ? "startTime" : "endTime", Math.min(startTime, endTime), "Member must have value greater than or equal to 0");
        }
        if (endTime > MAX_SECONDS || startTime > MAX_SECONDS) {
            throw LogsErrors.invalidParameter("startTime and endTime are epoch seconds; %d is not a time.", Math.max(startTime, endTime));
        }
        if (endTime < startTime) {
            throw LogsErrors.invalidParameter("endTime (%d) must not be before startTime (%d).", endTime, startTime);
        }
        String text = Names.required("queryString", request.queryString());
        if (text.length() > MAX_QUERY_LENGTH) {
            throw LogsErrors.constraint("queryString", "...", "Member must have length less than or equal to " + MAX_QUERY_LENGTH);
        }
        int limit = Names.limit("limit", request.limit(), DEFAULT_LIMIT, DEFAULT_LIMIT);
        InsightsQuery query = InsightsQuery.parse(text);
        List<LogGroup> found = new ArrayList<>();
        for (String group : groups) {
            found.add(LogStore.requireGroup(logs.store(), context.accountId(), context.region(), group));
        }

        InsightsEngine engine = new InsightsEngine(query, limit);
        // Times are whole seconds; an end second includes its every millisecond.
        long from = Math.multiplyExact(startTime, 1000L);
        long to = Math.addExact(Math.multiplyExact(endTime, 1000L), 1000L);
        for (LogGroup group : found) {
            for (LogStream stream : logs.streams(context.accountId(), context.region(), group, null)) {
                byte[] prefix = LogStore.eventsPrefix(context.accountId(), context.region(), group, stream.name());
                try (EventCursor cursor = new EventCursor(logs, prefix, stream.name(), from, to, null, true)) {
                    for (StoredEvent event = cursor.next(); event != null; event = cursor.next()) {
                        engine.add(context.accountId(), group.name(), event, pointer(group.name(), event));
                    }
                }
            }
        }
        List<List<ResultField>> results = engine.results().stream()
                .map(row -> row.stream().map(field -> new ResultField(field.getKey(), field.getValue())).toList())
                .toList();
        StoredQuery stored = new StoredQuery(UUID.randomUUID().toString(), text, "Complete", clock.millis(), groups.getFirst(), results,
                new QueryStatistics((double) engine.matched(), (double) engine.scanned(), (double) engine.bytes()));
        logs.store().put(QUERIES, key(context, stored.queryId()), LogStore.write(stored));
        return new StartQueryResponse(stored.queryId());
    }

    /** A {@code queryLanguage} Stratus speaks: none (the default) or {@code CWLI}. */
    static void requireInsightsLanguage(String language) {
        if (language != null && !language.equals(LANGUAGE)) {
            if (!List.of("SQL", "PPL").contains(language)) {
                throw LogsErrors.constraint("queryLanguage", language, "Member must satisfy enum value set: [CWLI, SQL, PPL]");
            }
            throw LogsErrors.invalidParameter("queryLanguage %s is not supported by Stratus yet; CWLI (Logs Insights QL) is.", language);
        }
    }

    private static List<String> groups(RequestContext context, StartQueryRequest request) {
        int given = (request.logGroupName() == null ? 0 : 1) + (request.logGroupNames() == null ? 0 : 1)
                + (request.logGroupIdentifiers() == null ? 0 : 1);
        if (given != 1) {
            throw LogsErrors.invalidParameter("Exactly one of logGroupName, logGroupNames and logGroupIdentifiers must be specified.");
        }
        if (request.logGroupName() != null) {
            return List.of(Names.requireGroupName("logGroupName", request.logGroupName()));
        }
        List<String> names = new ArrayList<>();
        if (request.logGroupNames() != null) {
            request.logGroupNames().forEach(name -> names.add(Names.requireGroupName("logGroupNames", name)));
        } else {
            request.logGroupIdentifiers().forEach(identifier -> names.add(Names.groupOf(context, null, identifier)));
        }
        if (names.isEmpty() || names.size() > MAX_GROUPS) {
            throw LogsErrors.invalidParameter("A query names between 1 and %d log groups.", MAX_GROUPS);
        }
        return names.stream().distinct().toList();
    }

    GetQueryResultsResponse getQueryResults(RequestContext context, QueryIdRequest request) {
        StoredQuery query = require(context, request.queryId());
        return new GetQueryResultsResponse(LANGUAGE, query.results(), query.statistics(), query.status());
    }

    /** A query is complete once started: there is nothing left to stop. */
    StopQueryResponse stopQuery(RequestContext context, QueryIdRequest request) {
        require(context, request.queryId());
        return new StopQueryResponse(false);
    }

    DescribeQueriesResponse describeQueries(RequestContext context, DescribeQueriesRequest request) {
        String group = request.logGroupName() == null ? null : Names.requireGroupName("logGroupName", request.logGroupName());
        String status = request.status();
        if (status != null && !List.of("Scheduled", "Running", "Complete", "Failed", "Cancelled", "Timeout", "Unknown").contains(status)) {
            throw LogsErrors.constraint("status", status, "Member must satisfy enum value set: [Scheduled, Running, Complete, Failed, Cancelled, Timeout, Unknown]");
        }
        int max = Names.limit("maxResults", request.maxResults(), 1000, 1000);
        int offset = Names.pageOffset(request.nextToken());
        List<StoredQuery> queries = new ArrayList<>();
        try (Scan scan = logs.store().scan(QUERIES, KeyRange.prefix(Key.builder().add(context.accountId()).add(context.region()).build()))) {
            while (scan.hasNext()) {
                StoredQuery query = LogStore.read(scan.next().value(), StoredQuery.class);
                if ((group == null || group.equals(query.logGroupName())) && (status == null || status.equals(query.status()))) {
                    queries.add(query);
                }
            }
        }
        queries.sort(Comparator.comparingLong(StoredQuery::createTime).reversed().thenComparing(StoredQuery::queryId));
        List<QueryInfo> page = queries.stream().skip(offset).limit(max)
                .map(query -> new QueryInfo(LANGUAGE, query.queryId(), query.queryString(), query.status(), query.createTime(), query.logGroupName()))
                .toList();
        String nextToken = Names.nextPage((long) offset + max, queries.size());
        return new DescribeQueriesResponse(page, nextToken);
    }

    GetLogRecordResponse getLogRecord(RequestContext context, GetLogRecordRequest request) {
        String pointer = Names.required("logRecordPointer", request.logRecordPointer());
        String[] parts;
        try {
            parts = GroupOperations.decodeToken(pointer).split("\n", 4);
        } catch (AwsException e) {
            parts = new String[0];
        }
        StoredEvent event = null;
        if (parts.length == 4) {
            try {
                event = find(context, parts[0], parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]));
            } catch (NumberFormatException e) {
                event = null;
            }
        }
        if (event == null) {
            throw LogsErrors.invalidParameter("The specified logRecordPointer is invalid or its record no longer exists.");
        }
        Map<String, String> record = new LinkedHashMap<>();
        InsightsEngine.row(context.accountId(), parts[0], event).forEach((name, value) ->
                record.put(name, value instanceof Instant time ? Long.toString(time.toEpochMilli()) : InsightsExpr.string(value)));
        return new GetLogRecordResponse(record);
    }

    private StoredEvent find(RequestContext context, String groupName, String stream, long timestamp, long sequence) {
        LogGroup group = LogStore.group(logs.store(), context.accountId(), context.region(), groupName).orElse(null);
        if (group == null) {
            return null;
        }
        byte[] prefix = LogStore.eventsPrefix(context.accountId(), context.region(), group, stream);
        try (EventCursor cursor = new EventCursor(logs, prefix, stream, timestamp, timestamp + 1, null, true)) {
            for (StoredEvent event = cursor.next(); event != null; event = cursor.next()) {
                if (event.sequence() == sequence) {
                    return event;
                }
            }
        }
        return null;
    }

    /** A result's {@code @ptr}: where its event is, opaque to clients. */
    private static String pointer(String group, StoredEvent event) {
        return GroupOperations.encodeToken(group + "\n" + event.stream() + "\n" + event.timestamp() + "\n" + event.sequence());
    }

    /** Forgets the queries started before {@code cutoff} (epoch millis). */
    void forget(long cutoff) {
        List<byte[]> old = new ArrayList<>();
        try (Scan scan = logs.store().scan(QUERIES, KeyRange.all())) {
            while (scan.hasNext()) {
                var entry = scan.next();
                if (LogStore.read(entry.value(), StoredQuery.class).createTime() < cutoff) {
                    old.add(entry.key());
                }
            }
        }
        if (!old.isEmpty()) {
            logs.store().transaction(txn -> {
                old.forEach(key -> txn.delete(QUERIES, key));
                return null;
            });
        }
    }

    private StoredQuery require(RequestContext context, String queryId) {
        Names.required("queryId", queryId);
        byte[] value = logs.store().get(QUERIES, key(context, queryId));
        if (value == null) {
            throw AwsException.of(LogsErrors.RESOURCE_NOT_FOUND, "Query does not exist.");
        }
        return LogStore.read(value, StoredQuery.class);
    }

    private static byte[] key(RequestContext context, String queryId) {
        return Key.builder().add(context.accountId()).add(context.region()).add(queryId).build();
    }
}
