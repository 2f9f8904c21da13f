package io.stratus.e2e.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.e2e.lambda.FunctionStates;
import io.stratus.e2e.lambda.FunctionZips;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * {@code aws logs tail} (AWS CLI v2) against Stratus, without the CLI: {@link Tail} makes exactly
 * the FilterLogEvents calls the CLI's tail command makes (checked against CLI 2.9.19, see
 * docs/logs.md), so these tests cover what {@code aws logs tail <group> [--follow]} shows.
 */
@StratusTest
class LogsTailIT {

    /**
     * The CLI's tail command. Without {@code --follow}: FilterLogEvents with {@code logGroupName},
     * {@code interleaved: true}, {@code startTime} (now minus {@code --since}) and the filters,
     * then the same with each {@code nextToken} until a page has none. With {@code --follow}: the
     * same pages, then, when a page has no token, the next round starts over without a token from
     * the newest timestamp seen (every 5 s on the CLI; here when {@link #poll} is called), and shows
     * only the events whose {@code eventId} it has not shown at that timestamp.
     */
    private static final class Tail {
        private final CloudWatchLogsClient logs;
        private final Consumer<FilterLogEventsRequest.Builder> filters;
        private long startTime;
        private String nextToken;
        private Map<Long, Set<String>> seen = new HashMap<>();
        int calls;
        /** What the last poll's responses held, shown or not. */
        final List<FilteredLogEvent> answered = new ArrayList<>();

        Tail(CloudWatchLogsClient logs, long startTime, Consumer<FilterLogEventsRequest.Builder> filters) {
            this.logs = logs;
            this.startTime = startTime;
            this.filters = filters;
        }

        private FilterLogEventsResponse call() {
            calls++;
            FilterLogEventsResponse page = logs.filterLogEvents(r -> {
                r.interleaved(true).startTime(startTime).nextToken(nextToken);
                filters.accept(r);
            });
            answered.addAll(page.events());
            return page;
        }

        /** {@code aws logs tail} without {@code --follow}: every page, as the paginator walks them. */
        List<FilteredLogEvent> all() {
            List<FilteredLogEvent> shown = new ArrayList<>();
            do {
                FilterLogEventsResponse page = call();
                shown.addAll(page.events());
                if (page.nextToken() != null) {
                    assertThat(page.nextToken()).as("a token is never repeated").isNotEqualTo(nextToken);
                }
                nextToken = page.nextToken();
            } while (nextToken != null);
            return shown;
        }

        /** One round of {@code --follow}: pages until one has no token, showing only events not shown before. */
        List<FilteredLogEvent> poll() {
            answered.clear();
            List<FilteredLogEvent> shown = new ArrayList<>();
            while (true) {
                FilterLogEventsResponse page = call();
                for (FilteredLogEvent event : page.events()) {
                    if (seen.computeIfAbsent(event.timestamp(), t -> new HashSet<>()).add(event.eventId())) {
                        shown.add(event);
                    }
                }
                if (!seen.isEmpty()) {
                    long newest = seen.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
                    seen = new HashMap<>(Map.of(newest, seen.get(newest)));
                }
                if (page.nextToken() != null) {
                    nextToken = page.nextToken();
                    continue;
                }
                if (!seen.isEmpty()) {
                    startTime = seen.keySet().iterator().next();
                }
                nextToken = null;
                return shown;
            }
        }
    }

    private static InputLogEvent event(long timestamp, String message) {
        return InputLogEvent.builder().timestamp(timestamp).message(message).build();
    }

    private static List<String> messages(List<FilteredLogEvent> events) {
        return events.stream().map(FilteredLogEvent::message).toList();
    }

    private static void group(CloudWatchLogsClient logs, String group, String... streams) {
        logs.createLogGroup(r -> r.logGroupName(group));
        for (String stream : streams) {
            logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
        }
    }

    @Test
    void tailShowsEveryEventSinceItsStartAcrossPagesInTimeOrder(CloudWatchLogsClient logs, Stratus stratus) {
        String a = "2026/12/03/[$LATEST]aaaa";
        String b = "2026/12/03/[$LATEST]bbbb";
        group(logs, "/aws/lambda/paged", a, b);
        long now = stratus.clock().millis();
        logs.putLogEvents(r -> r.logGroupName("/aws/lambda/paged").logStreamName(a).logEvents(event(now - 30 * 60_000, "before --since")));
        // 2 x 600 events of 1 KB: more than FilterLogEvents' 1 MB page.
        String padding = "x".repeat(1000);
        for (String stream : List.of(a, b)) {
            List<InputLogEvent> batch = IntStream.range(0, 600)
                    .mapToObj(i -> event(now - 300_000 + i * 10L, stream.substring(stream.length() - 4) + " " + i + " " + padding)).toList();
            logs.putLogEvents(r -> r.logGroupName("/aws/lambda/paged").logStreamName(stream).logEvents(batch));
        }

        Tail tail = new Tail(logs, now - Duration.ofMinutes(10).toMillis(), r -> r.logGroupName("/aws/lambda/paged"));
        List<FilteredLogEvent> shown = tail.all();

        assertThat(tail.calls).isGreaterThan(1);
        assertThat(shown).hasSize(1200);
        assertThat(shown).extracting(FilteredLogEvent::eventId).doesNotHaveDuplicates();
        assertThat(shown).extracting(FilteredLogEvent::timestamp).isSorted();
        assertThat(messages(shown)).doesNotContain("before --since");
        // Interleaved: the two streams' events at the same timestamp come one after the other.
        assertThat(shown.subList(0, 2)).extracting(FilteredLogEvent::logStreamName).containsExactly(a, b);
        assertThat(shown.getFirst().ingestionTime()).isPositive();
    }

    @Test
    void followShowsEachNewEventOnceIncludingEventsThatShareTheNewestTimestamp(CloudWatchLogsClient logs, Stratus stratus) {
        group(logs, "/aws/lambda/followed", "one", "two");
        long now = stratus.clock().millis();
        logs.putLogEvents(r -> r.logGroupName("/aws/lambda/followed").logStreamName("one").logEvents(
                event(now - 2000, "first"), event(now - 1000, "second")));
        Tail tail = new Tail(logs, now - Duration.ofMinutes(10).toMillis(), r -> r.logGroupName("/aws/lambda/followed"));

        assertThat(messages(tail.poll())).containsExactly("first", "second");
        // The next round starts at the newest timestamp: Stratus answers "second" again, the CLI does not show it twice.
        assertThat(tail.poll()).isEmpty();
        assertThat(messages(tail.answered)).containsExactly("second");

        // New events at that same timestamp, in either stream, are new events.
        logs.putLogEvents(r -> r.logGroupName("/aws/lambda/followed").logStreamName("two").logEvents(event(now - 1000, "same time, other stream")));
        logs.putLogEvents(r -> r.logGroupName("/aws/lambda/followed").logStreamName("one").logEvents(event(now - 1000, "same time, same stream")));
        assertThat(messages(tail.poll())).containsExactlyInAnyOrder("same time, other stream", "same time, same stream");
        assertThat(tail.poll()).isEmpty();

        logs.putLogEvents(r -> r.logGroupName("/aws/lambda/followed").logStreamName("two").logEvents(event(now, "later")));
        assertThat(messages(tail.poll())).containsExactly("later");
        assertThat(tail.poll()).isEmpty();
    }

    @Test
    void followPagesThroughABurstLargerThanAPage(CloudWatchLogsClient logs, Stratus stratus) {
        group(logs, "/aws/lambda/burst", "s");
        long now = stratus.clock().millis();
        Tail tail = new Tail(logs, now - Duration.ofMinutes(10).toMillis(), r -> r.logGroupName("/aws/lambda/burst"));
        assertThat(tail.poll()).isEmpty();

        // 1.4 MB in two puts (each at most 1 MB), more than one page.
        String padding = "y".repeat(2000);
        List<InputLogEvent> burst = IntStream.range(0, 700).mapToObj(i -> event(now - 1000 + i, i + " " + padding)).toList();
        logs.putLogEvents(r -> r.logGroupName("/aws/lambda/burst").logStreamName("s").logEvents(burst.subList(0, 350)));
        logs.putLogEvents(r -> r.logGroupName("/aws/lambda/burst").logStreamName("s").logEvents(burst.subList(350, 700)));
        int before = tail.calls;

        List<FilteredLogEvent> shown = tail.poll();
        assertThat(tail.calls - before).isGreaterThan(1);
        assertThat(shown).hasSize(700).extracting(FilteredLogEvent::eventId).doesNotHaveDuplicates();
        assertThat(tail.poll()).isEmpty();
    }

    @Test
    void tailOptionsBecomeFilterLogEventsParameters(CloudWatchLogsClient logs, Stratus stratus) {
        String group = "/aws/lambda/options";
        group(logs, group, "2026/12/03/[$LATEST]aaaa", "2026/12/03/[$LATEST]bbbb", "other");
        long now = stratus.clock().millis();
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName("2026/12/03/[$LATEST]aaaa").logEvents(
                event(now - 3000, "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534"),
                event(now - 2000, "[ERROR] boom")));
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName("2026/12/03/[$LATEST]bbbb").logEvents(
                event(now - 2500, "127.0.0.1 - bob [10/Oct/2000:13:25:16 -0700] \"GET /a.gif HTTP/1.0\" 200 99")));
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName("other").logEvents(event(now - 1000, "{\"level\":\"error\"}")));
        long since = now - Duration.ofMinutes(10).toMillis();

        // --filter-pattern
        assertThat(messages(new Tail(logs, since, r -> r.logGroupName(group).filterPattern("ERROR")).all())).containsExactly("[ERROR] boom");
        assertThat(messages(new Tail(logs, since, r -> r.logGroupName(group).filterPattern("{ $.level = \"error\" }")).all()))
                .containsExactly("{\"level\":\"error\"}");
        assertThat(new Tail(logs, since, r -> r.logGroupName(group)
                .filterPattern("[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes > 1000]")).all())
                .extracting(FilteredLogEvent::logStreamName).containsExactly("2026/12/03/[$LATEST]aaaa");
        assertThat(new Tail(logs, since, r -> r.logGroupName(group).filterPattern("[ip, ..., status_code != 404, bytes]")).all())
                .extracting(FilteredLogEvent::message).singleElement().asString().contains("bob");
        // --log-stream-names and --log-stream-name-prefix
        assertThat(new Tail(logs, since, r -> r.logGroupName(group).logStreamNames("other", "2026/12/03/[$LATEST]bbbb")).all())
                .extracting(FilteredLogEvent::logStreamName).containsExactly("2026/12/03/[$LATEST]bbbb", "other");
        assertThat(new Tail(logs, since, r -> r.logGroupName(group).logStreamNamePrefix("2026/12/03/[$LATEST]a")).all())
                .extracting(FilteredLogEvent::logStreamName).containsOnly("2026/12/03/[$LATEST]aaaa").hasSize(2);
        // --since later than every event
        assertThat(new Tail(logs, now, r -> r.logGroupName(group)).all()).isEmpty();
    }

    @Test
    void followShowsAFunctionsOutputAsItIsInvoked(LambdaClient lambda, CloudWatchLogsClient logs, Stratus stratus) throws Exception {
        String handler = """
                def handler(event, context):
                    print("[ERROR] handled", event["n"])
                    return event
                """;
        lambda.createFunction(FunctionZips.request("tailed", Runtime.PYTHON3_12, "index.handler", Map.of("index.py", handler)).build());
        FunctionStates.awaitActive(lambda, "tailed");
        Tail tail = new Tail(logs, stratus.clock().millis() - Duration.ofMinutes(10).toMillis(), r -> r.logGroupName("/aws/lambda/tailed"));

        List<String> shown = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            int current = n;
            lambda.invoke(r -> r.functionName("tailed").payload(SdkBytes.fromUtf8String("{\"n\":" + current + "}")));
            // The lines are written just after the invocation answers; the CLI polls every 5 s.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (shown.stream().filter(m -> m.startsWith("REPORT RequestId: ")).count() < n && System.nanoTime() < deadline) {
                if (!logs.describeLogGroups(r -> r.logGroupNamePrefix("/aws/lambda/tailed")).logGroups().isEmpty()) {
                    shown.addAll(messages(tail.poll()));
                }
                Thread.sleep(100);
            }
        }

        assertThat(shown).filteredOn(m -> m.startsWith("START RequestId: ")).hasSize(2);
        assertThat(shown).filteredOn(m -> m.startsWith("REPORT RequestId: ")).hasSize(2);
        assertThat(shown).filteredOn(m -> m.contains("[ERROR] handled")).containsExactly("[ERROR] handled 1\n", "[ERROR] handled 2\n");
    }
}
