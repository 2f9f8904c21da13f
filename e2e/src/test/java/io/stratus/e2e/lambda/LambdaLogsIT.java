package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** What functions print, with Lambda's START/END/REPORT lines, lands in CloudWatch Logs. */
@StratusTest
class LambdaLogsIT {

    private static final String NODE_LOGGER = """
            exports.handler = async (event) => {
              console.log('handling ' + event.n);
              console.error('to stderr ' + event.n);
              return { stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME };
            };
            """;

    private static final String NODE_LOADING = """
            console.log('loading the module');
            class OrderError extends Error {
              constructor(message) { super(message); this.name = 'OrderError'; this.orderId = 7; }
            }
            exports.handler = async (event) => {
              console.log('handling');
              if (event.fail) throw new OrderError('no such order');
              return 'ok';
            };
            """;

    private static String tail(LambdaClient lambda, String name, String payload) {
        return new String(Base64.getDecoder().decode(lambda.invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String(payload))
                .logType(LogType.TAIL)).logResult()), StandardCharsets.UTF_8);
    }

    @Test
    void whatTheCodeLogsWhileItLoadsComesBeforeTheFirstStart(LambdaClient lambda) {
        lambda.createFunction(request("loading", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_LOADING)).build());
        lambda.createFunction(request("py-loading", Runtime.PYTHON3_12, "app.handler",
                Map.of("app.py", "print('importing')\ndef handler(event, context):\n    print('handling')\n    return 1\n")).build());
        lambda.createFunction(request("py-syntax", Runtime.PYTHON3_12, "bad.handler", Map.of("bad.py", "print('x'\n")).build());
        FunctionStates.awaitUpdated(lambda, "loading");
        FunctionStates.awaitUpdated(lambda, "py-loading");
        FunctionStates.awaitUpdated(lambda, "py-syntax");

        String node = tail(lambda, "loading", "{}");
        // A new environment's log opens with the runtime version it runs, before what the code logs while it loads.
        assertThat(node).containsPattern("INIT_START Runtime Version: nodejs:20\\.v1\tRuntime Version ARN: arn:aws:lambda:[a-z0-9-]+::runtime:[0-9a-f]{64}\n");
        assertThat(node.indexOf("INIT_START")).isLessThan(node.indexOf("loading the module"));
        assertThat(node.indexOf("loading the module")).isNotNegative().isLessThan(node.indexOf("START RequestId:"));
        assertThat(node.indexOf("START RequestId:")).isLessThan(node.indexOf("handling"));
        assertThat(tail(lambda, "loading", "{}")).doesNotContain("loading the module").doesNotContain("INIT_START");
        String python = tail(lambda, "py-loading", "{}");
        assertThat(python.indexOf("importing")).isNotNegative().isLessThan(python.indexOf("START RequestId:"));
        assertThat(python.indexOf("START RequestId:")).isLessThan(python.indexOf("handling"));

        // As AWS's Node.js runtime logs an invocation's error: after a tab, the error as JSON with its own fields and stack lines.
        String failed = tail(lambda, "loading", "{\"fail\":true}");
        assertThat(failed).containsPattern("\tERROR\tInvoke Error \t\\{\"errorType\":\"OrderError\",\"errorMessage\":\"no such order\","
                + "\"name\":\"OrderError\",\"orderId\":7,\"stack\":\\[\"OrderError: no such order\"");

        // A module that does not compile: its START after the error, whose trace is the module's own line, as AWS's runtime reports it.
        InvokeResponse broken = lambda.invoke(r -> r.functionName("py-syntax").logType(LogType.TAIL));
        assertThat(broken.payload().asUtf8String()).contains("\"errorType\": \"Runtime.UserCodeSyntaxError\"")
                .containsPattern("\"stackTrace\": \\[\"  File \\\\\"/[^\"]*/bad.py\\\\\" Line 1\\\\n");
        String log = new String(Base64.getDecoder().decode(broken.logResult()), StandardCharsets.UTF_8);
        assertThat(log.indexOf("Runtime.UserCodeSyntaxError")).isNotNegative().isLessThan(log.indexOf("START RequestId:"));
        // The failed initialization is reported as AWS reports it, after its output and before the START.
        assertThat(log).containsPattern("\nINIT_REPORT Init Duration: \\d+\\.\\d\\d ms\tPhase: init\tStatus: error\tError Type: Runtime.UserCodeSyntaxError\n");
        assertThat(log.indexOf("INIT_REPORT")).isGreaterThan(log.indexOf("Runtime.UserCodeSyntaxError")).isLessThan(log.indexOf("START RequestId:"));
    }

    /** The group's events once {@code count} of them arrived, or what arrived in 20 s. */
    private static List<FilteredLogEvent> events(CloudWatchLogsClient logs, String group, int count) throws InterruptedException {
        List<FilteredLogEvent> events = List.of();
        for (int i = 0; i < 200 && events.size() < count; i++) {
            if (!logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups().isEmpty()) {
                events = logs.filterLogEvents(r -> r.logGroupName(group)).events();
            }
            if (events.size() < count) {
                Thread.sleep(100);
            }
        }
        return events;
    }

    @Test
    void invocationsWriteToTheFunctionsLogGroup(LambdaClient lambda, CloudWatchLogsClient logs) throws Exception {
        lambda.createFunction(request("logger", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_LOGGER)).build());
        FunctionStates.awaitUpdated(lambda, "logger");

        String payload = lambda.invoke(r -> r.functionName("logger").payload(SdkBytes.fromUtf8String("{\"n\":1}"))).payload().asUtf8String();
        lambda.invoke(r -> r.functionName("logger").payload(SdkBytes.fromUtf8String("{\"n\":2}")));

        List<FilteredLogEvent> events = events(logs, "/aws/lambda/logger", 11);
        List<String> messages = events.stream().map(FilteredLogEvent::message).toList();
        assertThat(messages.get(0)).startsWith("INIT_START Runtime Version: nodejs:20.v1\tRuntime Version ARN: arn:aws:lambda:");
        assertThat(messages).anyMatch(m -> m.startsWith("START RequestId: ") && m.endsWith("Version: $LATEST\n"));
        assertThat(messages).anyMatch(m -> m.contains("handling 1"));
        assertThat(messages).anyMatch(m -> m.contains("to stderr 2"));
        assertThat(messages).anyMatch(m -> m.startsWith("END RequestId: "));
        assertThat(messages).filteredOn(m -> m.startsWith("REPORT RequestId: ")).hasSize(2)
                .allMatch(m -> m.contains("Duration: ") && m.contains("Memory Size: 128 MB") && m.endsWith("\t\n"));
        // Each event's message ends with its line break, as AWS writes them.
        assertThat(messages).allMatch(m -> m.endsWith("\n"));
        assertThat(messages.indexOf(messages.stream().filter(m -> m.contains("handling 1")).findFirst().orElseThrow()))
                .isLessThan(messages.indexOf(messages.stream().filter(m -> m.contains("handling 2")).findFirst().orElseThrow()));

        String stream = payload.replaceAll(".*\"stream\":\"([^\"]+)\".*", "$1");
        assertThat(stream).matches("\\d{4}/\\d{2}/\\d{2}/\\[\\$LATEST\\][0-9a-f]{32}");
        assertThat(logs.describeLogStreams(r -> r.logGroupName("/aws/lambda/logger")).logStreams()).extracting(LogStream::logStreamName)
                .containsExactly(stream);
        assertThat(events).allMatch(e -> e.logStreamName().equals(stream));

        assertThat(logs.filterLogEvents(r -> r.logGroupName("/aws/lambda/logger").filterPattern("REPORT")).events()).hasSize(2);
    }
}
