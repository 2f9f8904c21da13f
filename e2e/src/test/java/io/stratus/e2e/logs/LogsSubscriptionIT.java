package io.stratus.e2e.logs;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.StratusConfig;
import io.stratus.e2e.lambda.FunctionStates;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.SubscriptionFilter;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * CloudWatch Logs subscription filters to Lambda, end to end: a log shipper function gets the
 * events a filter matches — written with PutLogEvents, or printed by another function — as
 * {@code awslogs.data} (base64 of gzipped JSON), once CloudWatch Logs may invoke it; filters are
 * checked as AWS checks them and survive a restart.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class LogsSubscriptionIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Unpacks each delivery as a shipper does and appends "<group> <filter> <message>" lines to $OUT. */
    private static final String SHIPPER = """
            import base64, gzip, json, os

            def handler(event, context):
                data = json.loads(gzip.decompress(base64.b64decode(event["awslogs"]["data"])))
                assert data["messageType"] == "DATA_MESSAGE" and data["owner"] == "000000000000", data
                with open(os.environ["OUT"], "a") as out:
                    for e in data["logEvents"]:
                        assert e["id"] and e["timestamp"] > 0, e
                        out.write("%s %s %s\\n" % (data["logGroup"], data["subscriptionFilters"][0], e["message"].rstrip("\\n")))
            """;

    private static void createShipper(LambdaClient lambda, String name, Path out) {
        lambda.createFunction(request(name, Runtime.PYTHON3_12, "index.handler", Map.of("index.py", SHIPPER))
                .environment(e -> e.variables(Map.of("OUT", out.toString()))).build());
        FunctionStates.awaitActive(lambda, name);
    }

    private static String arn(String function) {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + function;
    }

    private static void put(CloudWatchLogsClient logs, String group, String stream, String... messages) {
        long now = System.currentTimeMillis();
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(
                java.util.Arrays.stream(messages).map(m -> InputLogEvent.builder().timestamp(now).message(m).build()).toList()));
    }

    private static List<String> awaitLines(Path file, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readAllLines(file).size() >= count) {
                break;
            }
            Thread.sleep(50);
        }
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void aShipperFunctionGetsWhatItsFilterMatches(CloudWatchLogsClient logs, LambdaClient lambda, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("shipped.txt");
        createShipper(lambda, "shipper", out);
        logs.createLogGroup(r -> r.logGroupName("/app/api"));
        logs.createLogStream(r -> r.logGroupName("/app/api").logStreamName("web-1"));

        // Without a permission for CloudWatch Logs the filter is refused, as on AWS.
        assertThatThrownBy(() -> logs.putSubscriptionFilter(r -> r.logGroupName("/app/api").filterName("errors")
                .filterPattern("ERROR").destinationArn(arn("shipper"))))
                .isInstanceOfSatisfying(CloudWatchLogsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
                            "Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.");
                });
        lambda.addPermission(r -> r.functionName("shipper").statementId("logs").action("lambda:InvokeFunction")
                .principal("logs.amazonaws.com").sourceArn("arn:aws:logs:us-east-1:000000000000:log-group:/app/api:*")
                .sourceAccount("000000000000"));
        logs.putSubscriptionFilter(r -> r.logGroupName("/app/api").filterName("errors").filterPattern("ERROR").destinationArn(arn("shipper")));

        SubscriptionFilter filter = logs.describeSubscriptionFilters(r -> r.logGroupName("/app/api")).subscriptionFilters().getFirst();
        assertThat(filter.filterName()).isEqualTo("errors");
        assertThat(filter.filterPattern()).isEqualTo("ERROR");
        assertThat(filter.destinationArn()).isEqualTo(arn("shipper"));
        assertThat(filter.logGroupName()).isEqualTo("/app/api");
        assertThat(filter.creationTime()).isPositive();

        put(logs, "/app/api", "web-1", "INFO started", "ERROR database unreachable", "INFO request done", "ERROR timeout");

        assertThat(awaitLines(out, 2)).containsExactly("/app/api errors ERROR database unreachable", "/app/api errors ERROR timeout");

        logs.deleteSubscriptionFilter(r -> r.logGroupName("/app/api").filterName("errors"));
        assertThat(logs.describeSubscriptionFilters(r -> r.logGroupName("/app/api")).subscriptionFilters()).isEmpty();
        put(logs, "/app/api", "web-1", "ERROR after the filter went");
        Thread.sleep(500);
        assertThat(Files.readAllLines(out)).hasSize(2);
    }

    @Test
    void anotherFunctionsPrintedLinesAreShippedAndTheFilterSurvivesARestart(CloudWatchLogsClient logs, LambdaClient lambda, Stratus stratus,
            @TempDir Path dir) throws Exception {
        Path out = dir.resolve("shipped.txt");
        createShipper(lambda, "collector", out);
        lambda.createFunction(request("worker", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", """
                exports.handler = async (event) => { console.log("ALERT " + event.what); return "ok"; };
                """)).build());
        FunctionStates.awaitActive(lambda, "worker");
        logs.createLogGroup(r -> r.logGroupName("/aws/lambda/worker")); // as templates do, to give it a retention
        // The regional form of the principal, as older guides give it, with a wildcard source.
        lambda.addPermission(r -> r.functionName("collector").statementId("logs").action("lambda:InvokeFunction")
                .principal("logs.us-east-1.amazonaws.com").sourceArn("arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/*"));
        logs.putSubscriptionFilter(r -> r.logGroupName("/aws/lambda/worker").filterName("alerts").filterPattern("ALERT")
                .destinationArn(arn("collector")));

        lambda.invoke(r -> r.functionName("worker").payload(SdkBytes.fromUtf8String("{\"what\":\"disk almost full\"}")));
        List<String> shipped = awaitLines(out, 1);
        assertThat(shipped).hasSize(1);
        assertThat(shipped.getFirst()).startsWith("/aws/lambda/worker alerts ").contains("ALERT disk almost full");

        stratus.restart();

        assertThat(logs.describeSubscriptionFilters(r -> r.logGroupName("/aws/lambda/worker")).subscriptionFilters())
                .extracting(SubscriptionFilter::filterName).containsExactly("alerts");
        lambda.invoke(r -> r.functionName("worker").payload(SdkBytes.fromUtf8String("{\"what\":\"after the restart\"}")));
        shipped = awaitLines(out, 2);
        assertThat(shipped).hasSize(2);
        assertThat(shipped.get(1)).contains("ALERT after the restart");
    }

    @Test
    void badFiltersGetAwsErrors(CloudWatchLogsClient logs, LambdaClient lambda, @TempDir Path dir) {
        createShipper(lambda, "strict", dir.resolve("never.txt"));
        lambda.addPermission(r -> r.functionName("strict").statementId("logs").action("lambda:InvokeFunction").principal("logs.amazonaws.com"));
        logs.createLogGroup(r -> r.logGroupName("/strict"));

        assertError(() -> logs.putSubscriptionFilter(r -> r.logGroupName("/missing").filterName("f").filterPattern("").destinationArn(arn("strict"))),
                "ResourceNotFoundException", "The specified log group does not exist.");
        assertError(() -> logs.putSubscriptionFilter(r -> r.logGroupName("/strict").filterName("f").filterPattern("")
                .destinationArn("arn:aws:kinesis:us-east-1:000000000000:stream/s")), "InvalidParameterException", null);
        assertError(() -> logs.putSubscriptionFilter(r -> r.logGroupName("/strict").filterName("f").filterPattern("")
                .destinationArn(arn("strict")).distribution("Everywhere")), "InvalidParameterException", null);
        assertError(() -> logs.putSubscriptionFilter(r -> r.logGroupName("/strict").filterName("a:b").filterPattern("")
                .destinationArn(arn("strict"))), "InvalidParameterException", null);
        assertError(() -> logs.putSubscriptionFilter(r -> r.logGroupName("/strict").filterName("f").filterPattern("{ $.x = ")
                .destinationArn(arn("strict"))), "InvalidParameterException", null);
        assertError(() -> logs.putSubscriptionFilter(r -> r.logGroupName("/strict").filterName("f").filterPattern("")
                .destinationArn(arn("nobody"))), "InvalidParameterException", null);

        logs.putSubscriptionFilter(r -> r.logGroupName("/strict").filterName("one").filterPattern("").destinationArn(arn("strict")));
        logs.putSubscriptionFilter(r -> r.logGroupName("/strict").filterName("two").filterPattern("ERROR").destinationArn(arn("strict")));
        assertError(() -> logs.putSubscriptionFilter(r -> r.logGroupName("/strict").filterName("three").filterPattern("")
                .destinationArn(arn("strict"))), "LimitExceededException", "Resource limit exceeded.");
        assertThat(logs.describeSubscriptionFilters(r -> r.logGroupName("/strict").filterNamePrefix("t")).subscriptionFilters())
                .extracting(SubscriptionFilter::filterName).containsExactly("two");
        var page = logs.describeSubscriptionFilters(r -> r.logGroupName("/strict").limit(1));
        assertThat(page.subscriptionFilters()).extracting(SubscriptionFilter::filterName).containsExactly("one");
        assertThat(logs.describeSubscriptionFilters(r -> r.logGroupName("/strict").nextToken(page.nextToken())).subscriptionFilters())
                .extracting(SubscriptionFilter::filterName).containsExactly("two");

        assertError(() -> logs.deleteSubscriptionFilter(r -> r.logGroupName("/strict").filterName("three")),
                "ResourceNotFoundException", "The specified subscription filter does not exist.");
        assertError(() -> logs.describeSubscriptionFilters(r -> r.logGroupName("/missing")),
                "ResourceNotFoundException", "The specified log group does not exist.");
        // Deleting the group takes its filters with it.
        logs.deleteLogGroup(r -> r.logGroupName("/strict"));
        logs.createLogGroup(r -> r.logGroupName("/strict"));
        assertThat(logs.describeSubscriptionFilters(r -> r.logGroupName("/strict")).subscriptionFilters()).isEmpty();
    }

    private static void assertError(Runnable call, String code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(CloudWatchLogsException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(400);
            if (message != null) {
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
            }
        });
    }
}
