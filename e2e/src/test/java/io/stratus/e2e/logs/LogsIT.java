package io.stratus.e2e.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/** CloudWatch Logs through the SDK: groups, streams, events, filters, retention and tags. */
@StratusTest
class LogsIT {

    private static InputLogEvent event(long timestamp, String message) {
        return InputLogEvent.builder().timestamp(timestamp).message(message).build();
    }

    private static void assertError(Runnable call, Class<? extends CloudWatchLogsException> type, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(type, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }

    @Test
    void groupsAreCreatedDescribedPagedAndDeleted(CloudWatchLogsClient logs) {
        for (String name : List.of("/app/a", "/app/b", "/app/c", "/other/x")) {
            logs.createLogGroup(r -> r.logGroupName(name));
        }

        assertError(() -> logs.createLogGroup(r -> r.logGroupName("/app/a")), ResourceAlreadyExistsException.class,
                "The specified log group already exists");
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            var page = logs.describeLogGroups(r -> r.logGroupNamePrefix("/app/").limit(2).nextToken(next));
            page.logGroups().forEach(group -> names.add(group.logGroupName()));
            token = page.nextToken();
        } while (token != null);
        assertThat(names).containsExactly("/app/a", "/app/b", "/app/c");
        LogGroup described = logs.describeLogGroups(r -> r.logGroupNamePrefix("/app/a")).logGroups().getFirst();
        assertThat(described.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/app/a:*");
        assertThat(described.logGroupArn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/app/a");
        assertThat(described.creationTime()).isPositive();
        assertThat(described.retentionInDays()).isNull();

        logs.deleteLogGroup(r -> r.logGroupName("/app/b"));
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix("/app/")).logGroups()).extracting(LogGroup::logGroupName)
                .containsExactly("/app/a", "/app/c");
        assertError(() -> logs.deleteLogGroup(r -> r.logGroupName("/app/b")), ResourceNotFoundException.class,
                "The specified log group does not exist.");
    }

    @Test
    void badNamesAndLimitsAreRefused(CloudWatchLogsClient logs) {
        assertError(() -> logs.createLogGroup(r -> r.logGroupName("bad name!")), InvalidParameterException.class,
                "failed to satisfy constraint: Member must satisfy regular expression pattern");
        assertError(() -> logs.createLogGroup(r -> r.logGroupName("x".repeat(513))), InvalidParameterException.class,
                "Member must have length between 1 and 512");
        assertError(() -> logs.describeLogGroups(r -> r.limit(51)), InvalidParameterException.class,
                "Member must have value less than or equal to 50");
        logs.createLogGroup(r -> r.logGroupName("names"));
        assertError(() -> logs.createLogStream(r -> r.logGroupName("names").logStreamName("a:b")), InvalidParameterException.class,
                "[^:*]*");
        assertError(() -> logs.createLogStream(r -> r.logGroupName("nope").logStreamName("s")), ResourceNotFoundException.class,
                "The specified log group does not exist.");
        assertError(() -> logs.putRetentionPolicy(r -> r.logGroupName("names").retentionInDays(2)), InvalidParameterException.class,
                "Member must satisfy enum value set");
    }

    @Test
    void streamsAreOrderedByNameOrLastEvent(CloudWatchLogsClient logs, Stratus stratus) {
        logs.createLogGroup(r -> r.logGroupName("streams"));
        long now = stratus.clock().millis();
        for (String name : List.of("b", "a", "c")) {
            logs.createLogStream(r -> r.logGroupName("streams").logStreamName(name));
        }
        assertError(() -> logs.createLogStream(r -> r.logGroupName("streams").logStreamName("a")), ResourceAlreadyExistsException.class,
                "The specified log stream already exists");
        logs.putLogEvents(r -> r.logGroupName("streams").logStreamName("a").logEvents(event(now - 10, "old")));
        logs.putLogEvents(r -> r.logGroupName("streams").logStreamName("b").logEvents(event(now, "new")));

        assertThat(logs.describeLogStreams(r -> r.logGroupName("streams")).logStreams())
                .extracting(s -> s.logStreamName()).containsExactly("a", "b", "c");
        var byLastEvent = logs.describeLogStreams(r -> r.logGroupName("streams").orderBy(OrderBy.LAST_EVENT_TIME).descending(true)).logStreams();
        assertThat(byLastEvent).extracting(s -> s.logStreamName()).containsExactly("b", "a", "c");
        assertThat(byLastEvent.getFirst().lastEventTimestamp()).isEqualTo(now);
        assertThat(byLastEvent.getFirst().storedBytes()).isEqualTo(3);
        assertThat(byLastEvent.getFirst().arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:streams:log-stream:b");
        assertError(() -> logs.describeLogStreams(r -> r.logGroupName("streams").orderBy(OrderBy.LAST_EVENT_TIME).logStreamNamePrefix("a")),
                InvalidParameterException.class, "Cannot order by LastEventTime with a logStreamNamePrefix.");

        logs.deleteLogStream(r -> r.logGroupName("streams").logStreamName("a"));
        assertError(() -> logs.getLogEvents(r -> r.logGroupName("streams").logStreamName("a")), ResourceNotFoundException.class,
                "The specified log stream does not exist.");
    }

    @Test
    void eventsArePagedForwardAndBackward(CloudWatchLogsClient logs, Stratus stratus) {
        logs.createLogGroup(r -> r.logGroupName("paged"));
        logs.createLogStream(r -> r.logGroupName("paged").logStreamName("s"));
        long start = stratus.clock().millis() - 100_000;
        List<InputLogEvent> events = IntStream.range(0, 25).mapToObj(i -> event(start + i * 1000L, "line " + i)).toList();
        PutLogEventsResponse put = logs.putLogEvents(r -> r.logGroupName("paged").logStreamName("s").logEvents(events));
        assertThat(put.nextSequenceToken()).isNotEmpty();
        assertThat(put.rejectedLogEventsInfo()).isNull();

        List<String> forward = new ArrayList<>();
        String token = null;
        while (true) {
            String current = token;
            GetLogEventsResponse page = logs.getLogEvents(r -> r.logGroupName("paged").logStreamName("s").startFromHead(true).limit(10)
                    .nextToken(current));
            page.events().forEach(e -> forward.add(e.message()));
            if (page.nextForwardToken().equals(token)) {
                break;
            }
            token = page.nextForwardToken();
        }
        assertThat(forward).containsExactlyElementsOf(IntStream.range(0, 25).mapToObj(i -> "line " + i).toList());

        GetLogEventsResponse latest = logs.getLogEvents(r -> r.logGroupName("paged").logStreamName("s").limit(5));
        assertThat(latest.events()).extracting(OutputLogEvent::message).containsExactly("line 20", "line 21", "line 22", "line 23", "line 24");
        GetLogEventsResponse earlier = logs.getLogEvents(r -> r.logGroupName("paged").logStreamName("s").limit(5)
                .nextToken(latest.nextBackwardToken()));
        assertThat(earlier.events()).extracting(OutputLogEvent::message).containsExactly("line 15", "line 16", "line 17", "line 18", "line 19");

        GetLogEventsResponse window = logs.getLogEvents(r -> r.logGroupName("paged").logStreamName("s").startFromHead(true)
                .startTime(start + 3000).endTime(start + 6000));
        assertThat(window.events()).extracting(OutputLogEvent::message).containsExactly("line 3", "line 4", "line 5");
        assertThat(window.events().getFirst().ingestionTime()).isPositive();
    }

    @Test
    void putLogEventsChecksItsBatch(CloudWatchLogsClient logs, Stratus stratus) {
        logs.createLogGroup(r -> r.logGroupName("checks"));
        logs.createLogStream(r -> r.logGroupName("checks").logStreamName("s"));
        long now = stratus.clock().millis();

        assertError(() -> logs.putLogEvents(r -> r.logGroupName("checks").logStreamName("s").logEvents(event(now, "b"), event(now - 1, "a"))),
                InvalidParameterException.class, "Log events in a single PutLogEvents request must be in chronological order.");
        assertError(() -> logs.putLogEvents(r -> r.logGroupName("checks").logStreamName("s")
                        .logEvents(event(now - 25 * 3_600_000L, "a"), event(now, "b"))),
                InvalidParameterException.class, "cannot span more than 24 hours");
        assertError(() -> logs.putLogEvents(r -> r.logGroupName("checks").logStreamName("nope").logEvents(event(now, "a"))),
                ResourceNotFoundException.class, "The specified log stream does not exist.");
        assertError(() -> logs.putLogEvents(r -> r.logGroupName("checks").logStreamName("s").logEvents(event(now, "x".repeat(1_048_576)))),
                InvalidParameterException.class, "Upload too large");

        long fifteenDaysAgo = now - 15 * 86_400_000L;
        PutLogEventsResponse tooOld = logs.putLogEvents(r -> r.logGroupName("checks").logStreamName("s")
                .logEvents(event(fifteenDaysAgo, "old"), event(fifteenDaysAgo + 1000, "old too")));
        assertThat(tooOld.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(2);
        PutLogEventsResponse tooNew = logs.putLogEvents(r -> r.logGroupName("checks").logStreamName("s")
                .logEvents(event(now, "fine"), event(now + 3 * 3_600_000L, "future")));
        assertThat(tooNew.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isEqualTo(1);
        assertThat(logs.getLogEvents(r -> r.logGroupName("checks").logStreamName("s").startFromHead(true)).events())
                .extracting(OutputLogEvent::message).containsExactly("fine");
    }

    @Test
    void filterLogEventsInterleavesStreamsAndMatchesPatterns(CloudWatchLogsClient logs, Stratus stratus) {
        logs.createLogGroup(r -> r.logGroupName("filtered"));
        long base = stratus.clock().millis() - 10_000;
        for (String stream : List.of("one", "two")) {
            logs.createLogStream(r -> r.logGroupName("filtered").logStreamName(stream));
        }
        logs.putLogEvents(r -> r.logGroupName("filtered").logStreamName("one").logEvents(
                event(base, "[INFO] start"), event(base + 2, "{\"level\":\"error\",\"latency\":300}"), event(base + 4, "[ERROR] boom")));
        logs.putLogEvents(r -> r.logGroupName("filtered").logStreamName("two").logEvents(
                event(base + 1, "[ERROR] first"), event(base + 3, "{\"level\":\"info\",\"latency\":20}")));

        FilterLogEventsResponse all = logs.filterLogEvents(r -> r.logGroupName("filtered"));
        assertThat(all.events()).extracting(FilteredLogEvent::logStreamName).containsExactly("one", "two", "one", "two", "one");
        assertThat(all.events()).extracting(FilteredLogEvent::eventId).doesNotHaveDuplicates();
        assertThat(all.nextToken()).isNull();

        assertThat(logs.filterLogEvents(r -> r.logGroupName("filtered").filterPattern("ERROR")).events())
                .extracting(FilteredLogEvent::message).containsExactly("[ERROR] first", "[ERROR] boom");
        assertThat(logs.filterLogEvents(r -> r.logGroupName("filtered").filterPattern("{ $.latency > 100 }")).events())
                .extracting(FilteredLogEvent::timestamp).containsExactly(base + 2);
        assertThat(logs.filterLogEvents(r -> r.logGroupName("filtered").logStreamNames("two")).events()).hasSize(2);
        assertThat(logs.filterLogEvents(r -> r.logGroupName("filtered").startTime(base + 1).endTime(base + 3)).events()).hasSize(3);

        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            String current = token;
            FilterLogEventsResponse page = logs.filterLogEvents(r -> r.logGroupName("filtered").limit(2).nextToken(current));
            page.events().forEach(e -> paged.add(e.message()));
            token = page.nextToken();
        } while (token != null);
        assertThat(paged).hasSize(5).doesNotHaveDuplicates();

        assertError(() -> logs.filterLogEvents(r -> r.logGroupName("filtered").filterPattern("{ $.latency > }")),
                InvalidParameterException.class, "Invalid filter pattern");
        assertError(() -> logs.filterLogEvents(r -> r.logGroupName("filtered").logStreamNames("one").logStreamNamePrefix("o")),
                InvalidParameterException.class, "mutually exclusive");
    }

    @Test
    void groupsCarryRetentionAndTags(CloudWatchLogsClient logs) {
        logs.createLogGroup(r -> r.logGroupName("tagged").tags(Map.of("team", "core")));
        String arn = "arn:aws:logs:us-east-1:000000000000:log-group:tagged";

        logs.putRetentionPolicy(r -> r.logGroupName("tagged").retentionInDays(7));
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix("tagged")).logGroups().getFirst().retentionInDays()).isEqualTo(7);
        logs.deleteRetentionPolicy(r -> r.logGroupName("tagged"));
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix("tagged")).logGroups().getFirst().retentionInDays()).isNull();

        logs.tagResource(r -> r.resourceArn(arn).tags(Map.of("env", "dev")));
        assertThat(logs.listTagsForResource(r -> r.resourceArn(arn)).tags()).containsOnly(Map.entry("team", "core"), Map.entry("env", "dev"));
        logs.untagResource(r -> r.resourceArn(arn).tagKeys("team"));
        assertThat(logs.listTagsForResource(r -> r.resourceArn(arn + ":*")).tags()).containsOnly(Map.entry("env", "dev"));
        assertError(() -> logs.listTagsForResource(r -> r.resourceArn("arn:aws:logs:us-east-1:000000000000:log-group:nope")),
                ResourceNotFoundException.class, "The specified log group does not exist.");
    }
}
