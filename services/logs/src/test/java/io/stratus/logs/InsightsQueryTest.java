package io.stratus.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Logs Insights language as Stratus runs it: the commands, expressions and functions users write most. */
class InsightsQueryTest {

    private static final long T = Instant.parse("2026-12-05T10:00:00Z").toEpochMilli();
    private static final String REQUEST = "8f5e2b1c-0000-4000-8000-00000000000a";

    /** The rows a query gives over these events (message at T + offset seconds), each as field → value. */
    private static List<Map<String, String>> run(String query, Object... offsetsAndMessages) {
        InsightsEngine engine = new InsightsEngine(InsightsQuery.parse(query), 10_000);
        for (int i = 0; i < offsetsAndMessages.length; i += 2) {
            long offset = ((Number) offsetsAndMessages[i]).longValue();
            engine.add("000000000000", "/app", new LogStore.StoredEvent("s", T + offset * 1000, i, T + offset * 1000 + 5,
                    (String) offsetsAndMessages[i + 1]), "ptr" + i);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (var row : engine.results()) {
            Map<String, String> fields = new LinkedHashMap<>();
            row.forEach(field -> fields.put(field.getKey(), field.getValue()));
            rows.add(fields);
        }
        return rows;
    }

    @Test
    void fieldsFilterSortAndLimitTheNewestFirst() {
        List<Map<String, String>> rows = run("fields @timestamp, @message | filter @message like /(?i)error/ | sort @timestamp desc | limit 2",
                0, "ERROR one", 1, "info", 2, "error two", 3, "Error three");

        assertThat(rows).extracting(row -> row.get("@message")).containsExactly("Error three", "error two");
        assertThat(rows.getFirst()).containsOnlyKeys("@timestamp", "@message", "@ptr");
        assertThat(rows.getFirst().get("@timestamp")).isEqualTo("2026-12-05 10:00:03.000");
    }

    @Test
    void withoutFieldsARowShowsItsTimeAndMessageAndWithoutSortTheNewestComeFirst() {
        List<Map<String, String>> rows = run("filter @message like 'x' | limit 2", 0, "x1", 1, "x2", 2, "x3");

        assertThat(rows).extracting(row -> row.get("@message")).containsExactly("x3", "x2");
        assertThat(rows.getFirst()).containsOnlyKeys("@timestamp", "@message", "@ptr");
    }

    @Test
    void jsonMessagesHaveTheirFieldsIncludingNestedOnes() {
        List<Map<String, String>> rows = run("filter level = 'ERROR' and http.status >= 500 | fields http.status as status, user, strlen(user) as n",
                0, "{\"level\":\"ERROR\",\"http\":{\"status\":503},\"user\":\"ana\"}",
                1, "{\"level\":\"ERROR\",\"http\":{\"status\":404},\"user\":\"bo\"}",
                2, "{\"level\":\"INFO\",\"http\":{\"status\":500},\"user\":\"cy\"}");

        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst()).containsEntry("status", "503").containsEntry("user", "ana").containsEntry("n", "3");
    }

    @Test
    void lambdaReportLinesHaveTheirPlatformFields() {
        List<Map<String, String>> rows = run("filter @type = 'REPORT' | stats count(*) as invocations, avg(@duration) as avgMs, "
                        + "max(@maxMemoryUsed / 1000 / 1000) as maxMb, count(@initDuration) as coldStarts",
                0, "START RequestId: " + REQUEST + " Version: $LATEST\n",
                1, "REPORT RequestId: " + REQUEST + "\tDuration: 2.50 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t"
                        + "Init Duration: 120.00 ms\t\n",
                2, "REPORT RequestId: " + REQUEST + "\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 42 MB\t\n");

        assertThat(rows).containsExactly(Map.of("invocations", "2", "avgMs", "2", "maxMb", "42", "coldStarts", "1"));
    }

    @Test
    void statsGroupByFieldsAndTimeBins() {
        List<Map<String, String>> byLevel = run("parse @message '[*] *' as level, text | stats count(*) by level | sort level",
                0, "[WARN] a", 10, "[ERROR] b", 20, "[WARN] c");
        assertThat(byLevel).containsExactly(Map.of("level", "ERROR", "count(*)", "1"), Map.of("level", "WARN", "count(*)", "2"));

        List<Map<String, String>> byMinute = run("stats count(*) as n by bin(1m)", 0, "a", 30, "b", 61, "c");
        assertThat(byMinute).containsExactly(Map.of("bin(1m)", "2026-12-05 10:00:00.000", "n", "2"),
                Map.of("bin(1m)", "2026-12-05 10:01:00.000", "n", "1"));
    }

    @Test
    void statsItemsMayCombineAggregationsAndEarlierItems() {
        List<Map<String, String>> rows = run("parse @message 'took *ms' as ms | stats min(ms) as low, max(ms) as high, high - low as spread, "
                + "pct(ms, 50) as median, count_distinct(ms) as kinds", 0, "took 5ms", 1, "took 20ms", 2, "took 9ms", 3, "took 9ms");

        assertThat(rows).containsExactly(Map.of("low", "5", "high", "20", "spread", "15", "median", "9", "kinds", "3"));
    }

    @Test
    void parseWithARegularExpressionAndDedup() {
        List<Map<String, String>> rows = run("parse @message /user=(?<user>\\w+) code=(?<code>\\d+)/ | sort code desc | dedup user | display user, code",
                0, "user=ana code=1", 1, "user=bo code=7", 2, "user=ana code=9");

        // @ptr comes with every row that is an event, as on AWS.
        assertThat(rows).containsExactly(Map.of("user", "ana", "code", "9", "@ptr", "ptr4"), Map.of("user", "bo", "code", "7", "@ptr", "ptr2"));
    }

    @Test
    void inNotLikeAndArithmetic() {
        List<Map<String, String>> rows = run("fields strlen(@message) * 2 as doubled | filter @message in ['a', 'bbb'] and @message not like /^b{4}/ "
                + "| display @message, doubled", 0, "a", 1, "bbb", 2, "cc");

        assertThat(rows).containsExactly(Map.of("@message", "bbb", "doubled", "6", "@ptr", "ptr2"), Map.of("@message", "a", "doubled", "2", "@ptr", "ptr0"));
    }

    @Test
    void malformedQueriesSayWhere() {
        for (String query : List.of("", "fields", "filter @message like /unclosed", "frobnicate x", "stats @message", "fields count(*)",
                "limit 0", "parse @message 'a * b *' as one", "fields nosuchfunction(x)", "filter (a = 1",
                "filter " + "(".repeat(5_000) + "a" + ")".repeat(5_000), "filter " + "not ".repeat(5_000) + "a", "fields " + "-".repeat(5_000) + "1")) {
            assertThatThrownBy(() -> InsightsQuery.parse(query)).as(query)
                    .isInstanceOfSatisfying(AwsException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(LogsErrors.MALFORMED_QUERY);
                        assertThat(e.getMessage()).startsWith("Query is malformed at character ");
                    });
        }
    }

    @Test
    void commentsAndCaseDoNotMatter() {
        List<Map<String, String>> rows = run("# errors only\nFILTER @message LIKE 'E' # the rest\n| FIELDS @message", 0, "E1", 1, "x");

        assertThat(rows).extracting(row -> row.get("@message")).containsExactly("E1");
    }
}
