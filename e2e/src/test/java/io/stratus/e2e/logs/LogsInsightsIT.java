package io.stratus.e2e.logs;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.StratusConfig;
import io.stratus.e2e.lambda.FunctionStates;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatus;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Logs Insights through the SDK as scripts and tools call it: StartQuery, then GetQueryResults
 * until the status is final; the queries Lambda users run on their functions' REPORT lines; JSON
 * fields; a result's {@code @ptr} read back with GetLogRecord; AWS's errors; results kept across a restart.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class LogsInsightsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static GetQueryResultsResponse query(CloudWatchLogsClient logs, String group, String query) throws InterruptedException {
        long now = System.currentTimeMillis() / 1000;
        String id = logs.startQuery(r -> r.logGroupName(group).startTime(now - 3600).endTime(now + 60).queryString(query)).queryId();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            GetQueryResultsResponse results = logs.getQueryResults(r -> r.queryId(id));
            if (results.status() != QueryStatus.SCHEDULED && results.status() != QueryStatus.RUNNING || System.nanoTime() > deadline) {
                return results;
            }
            Thread.sleep(100);
        }
    }

    private static List<Map<String, String>> rows(GetQueryResultsResponse results) {
        return results.results().stream().map(row -> {
            Map<String, String> fields = new LinkedHashMap<>();
            row.forEach(field -> fields.put(field.field(), field.value()));
            return fields;
        }).toList();
    }

    @Test
    void aFunctionsReportLinesAnswerHowLongItsInvocationsTook(CloudWatchLogsClient logs, LambdaClient lambda) throws Exception {
        lambda.createFunction(request("timed", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", """
                exports.handler = async (event) => { console.log(JSON.stringify({level: "INFO", order: event.order})); return "ok"; };
                """)).build());
        FunctionStates.awaitActive(lambda, "timed");
        for (int order = 1; order <= 3; order++) {
            int n = order;
            lambda.invoke(r -> r.functionName("timed").payload(SdkBytes.fromUtf8String("{\"order\":" + n + "}")));
        }
        // Lambda ships an invocation's lines just after it answers.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && reports(logs, "/aws/lambda/timed") < 3) {
            Thread.sleep(100);
        }

        GetQueryResultsResponse report = query(logs, "/aws/lambda/timed",
                "filter @type = \"REPORT\" | stats count(*) as invocations, count(@initDuration) as coldStarts, "
                        + "max(@memorySize / 1000 / 1000) as memoryMb, avg(@duration) as avgMs");
        assertThat(report.status()).isEqualTo(QueryStatus.COMPLETE);
        Map<String, String> stats = rows(report).getFirst();
        assertThat(stats).containsEntry("invocations", "3").containsEntry("coldStarts", "1").containsEntry("memoryMb", "128");
        assertThat(Double.parseDouble(stats.get("avgMs"))).isPositive();
        assertThat(report.statistics().recordsScanned()).isGreaterThanOrEqualTo(12.0); // START, the line, END, REPORT each
        assertThat(report.statistics().recordsMatched()).isEqualTo(3.0);

        // The function's own JSON lines have their fields.
        GetQueryResultsResponse orders = query(logs, "/aws/lambda/timed",
                "fields @timestamp, order, @requestId | filter level = 'INFO' | sort order desc | limit 2");
        assertThat(rows(orders)).extracting(row -> row.get("order")).containsExactly("3", "2");
        assertThat(rows(orders).getFirst()).containsKeys("@timestamp", "@requestId", "@ptr");

        // A result's @ptr reads its whole record back.
        String pointer = rows(orders).getFirst().get("@ptr");
        Map<String, String> record = logs.getLogRecord(r -> r.logRecordPointer(pointer)).logRecord();
        assertThat(record).containsEntry("order", "3").containsEntry("@log", "000000000000:/aws/lambda/timed").containsKey("@logStream");
        assertThat(record.get("@message")).contains("\"order\":3");
    }

    @Test
    void queriesAreListedAndTheirResultsSurviveARestart(CloudWatchLogsClient logs, Stratus stratus) throws Exception {
        logs.createLogGroup(r -> r.logGroupName("/app/orders"));
        logs.createLogStream(r -> r.logGroupName("/app/orders").logStreamName("web"));
        long now = System.currentTimeMillis();
        logs.putLogEvents(r -> r.logGroupName("/app/orders").logStreamName("web").logEvents(
                InputLogEvent.builder().timestamp(now - 2000).message("GET /orders 200 12ms").build(),
                InputLogEvent.builder().timestamp(now - 1000).message("GET /orders 500 340ms").build(),
                InputLogEvent.builder().timestamp(now).message("POST /orders 201 40ms").build()));

        GetQueryResultsResponse byStatus = query(logs, "/app/orders",
                "parse @message '* * * *ms' as method, path, status, ms | stats count(*) as requests, max(ms) as slowest by method | sort method");
        assertThat(rows(byStatus)).containsExactly(
                Map.of("method", "GET", "requests", "2", "slowest", "340"),
                Map.of("method", "POST", "requests", "1", "slowest", "40"));
        String id = logs.describeQueries(r -> r.logGroupName("/app/orders")).queries().getFirst().queryId();
        assertThat(logs.describeQueries(r -> r.logGroupName("/app/orders")).queries().getFirst().statusAsString()).isEqualTo("Complete");
        assertThat(logs.stopQuery(r -> r.queryId(id)).success()).isFalse(); // nothing left to stop

        stratus.restart();

        assertThat(logs.getQueryResults(r -> r.queryId(id)).results()).hasSize(2)
                .allSatisfy(row -> assertThat(row).extracting(ResultField::field).contains("method", "requests", "slowest"));
    }

    @Test
    void savedQueriesAreCreatedReplacedListedAndDeleted(CloudWatchLogsClient logs) {
        String token = "3c5a9b1e-8f0d-4c1e-9d6b-2a7f00000001";
        String id = logs.putQueryDefinition(r -> r.name("ops/errors").queryString("filter @message like /ERROR/").logGroupNames("/a", "/b")
                .clientToken(token)).queryDefinitionId();
        // A retried create (the same client token) answers the same definition.
        assertThat(logs.putQueryDefinition(r -> r.name("ops/errors").queryString("filter @message like /ERROR/").clientToken(token))
                .queryDefinitionId()).isEqualTo(id);
        logs.putQueryDefinition(r -> r.name("other").queryString("stats count(*)"));
        // An update replaces name, query and groups: groups not given are gone.
        logs.putQueryDefinition(r -> r.queryDefinitionId(id).name("ops/errors").queryString("filter @message like /ERROR|FATAL/"));

        var listed = logs.describeQueryDefinitions(r -> r.queryDefinitionNamePrefix("ops/")).queryDefinitions();
        assertThat(listed).singleElement().satisfies(definition -> {
            assertThat(definition.queryDefinitionId()).isEqualTo(id);
            assertThat(definition.queryString()).isEqualTo("filter @message like /ERROR|FATAL/");
            assertThat(definition.logGroupNames()).isEmpty();
            assertThat(definition.lastModified()).isPositive();
        });
        assertThat(logs.describeQueryDefinitions(r -> r.maxResults(1)).nextToken()).isNotNull();

        assertThat(logs.deleteQueryDefinition(r -> r.queryDefinitionId(id)).success()).isTrue();
        assertError(() -> logs.deleteQueryDefinition(r -> r.queryDefinitionId(id)), "ResourceNotFoundException");
        assertError(() -> logs.putQueryDefinition(r -> r.queryDefinitionId(id).name("x").queryString("fields @message")), "ResourceNotFoundException");
    }

    @Test
    void badQueriesGetAwsErrors(CloudWatchLogsClient logs) {
        logs.createLogGroup(r -> r.logGroupName("/app/bad"));
        long now = System.currentTimeMillis() / 1000;

        assertError(() -> logs.startQuery(r -> r.logGroupName("/app/bad").startTime(now - 60).endTime(now).queryString("fields @message | frobnicate")),
                "MalformedQueryException");
        assertError(() -> logs.startQuery(r -> r.logGroupName("/app/missing").startTime(now - 60).endTime(now).queryString("fields @message")),
                "ResourceNotFoundException");
        assertError(() -> logs.startQuery(r -> r.startTime(now - 60).endTime(now).queryString("fields @message")), "InvalidParameterException");
        assertError(() -> logs.startQuery(r -> r.logGroupName("/app/bad").startTime(now).endTime(now - 60).queryString("fields @message")),
                "InvalidParameterException");
        assertError(() -> logs.startQuery(r -> r.logGroupName("/app/bad").startTime(now - 60).endTime(now).queryString("fields @message")
                .queryLanguage("SQL")), "InvalidParameterException");
        assertError(() -> logs.getQueryResults(r -> r.queryId("00000000-0000-0000-0000-000000000000")), "ResourceNotFoundException");
        assertError(() -> logs.getLogRecord(r -> r.logRecordPointer("bm90IGEgcG9pbnRlcg")), "InvalidParameterException");
        assertError(() -> logs.getLogRecord(r -> r.logRecordPointer("%%%")), "InvalidParameterException");
        assertError(() -> logs.describeQueries(r -> r.nextToken("LTU")), "InvalidParameterException"); // "-5"
        assertError(() -> logs.startQuery(r -> r.logGroupName("/app/bad").startTime(0L).endTime(Long.MAX_VALUE).queryString("fields @message")),
                "InvalidParameterException");
    }

    private static int reports(CloudWatchLogsClient logs, String group) {
        try {
            return logs.filterLogEvents(r -> r.logGroupName(group).filterPattern("REPORT")).events().size();
        } catch (ResourceNotFoundException e) {
            return 0; // the group comes with the first lines
        }
    }

    private static void assertError(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(CloudWatchLogsException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(400);
        });
    }
}
