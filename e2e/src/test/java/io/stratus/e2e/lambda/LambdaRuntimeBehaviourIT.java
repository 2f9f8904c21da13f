package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.StratusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * What AWS's managed runtimes do around the handler, beyond calling it: Python's {@code logging}
 * set up, a log record or console call as one event, errors logged with their traceback, Node.js
 * waiting for an empty event loop after a callback, and a crash outside the handler's promise
 * reported to the invocation under way.
 */
@StratusTest
class LambdaRuntimeBehaviourIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static InvokeResponse invoke(LambdaClient lambda, String name, String payload) {
        return lambda.invoke(r -> r.functionName(name).logType(LogType.TAIL).payload(SdkBytes.fromUtf8String(payload)));
    }

    private static String tail(InvokeResponse response) {
        return new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
    }

    /** The group's event messages once one satisfies {@code wanted}, or what arrived in 20 s. */
    private static List<String> messages(CloudWatchLogsClient logs, String group, java.util.function.Predicate<String> wanted) throws InterruptedException {
        List<String> messages = List.of();
        for (int i = 0; i < 200 && messages.stream().noneMatch(wanted); i++) {
            if (!logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups().isEmpty()) {
                messages = logs.filterLogEvents(r -> r.logGroupName(group)).events().stream().map(FilteredLogEvent::message).toList();
            }
            if (messages.stream().noneMatch(wanted)) {
                Thread.sleep(100);
            }
        }
        return messages;
    }

    @Test
    void pythonLoggingIsSetUpAsAwsAndARecordIsOneEvent(LambdaClient lambda, CloudWatchLogsClient logs) throws Exception {
        create(lambda, "py-logging", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", """
                import logging
                logger = logging.getLogger()
                logger.setLevel(logging.INFO)
                def handler(event, context):
                    logger.info("info msg")
                    logging.getLogger("child").warning("first line\\nsecond line")
                    logger.debug("not shown")
                    return "ok"
                """));

        InvokeResponse response = invoke(lambda, "py-logging", "{}");

        String requestId = tail(response).replaceAll("(?s).*START RequestId: ([0-9a-f-]{36}).*", "$1");
        assertThat(tail(response)).containsPattern("\\[INFO]\\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t" + requestId + "\\tinfo msg\\n")
                .contains("[WARNING]\t").contains("\tfirst line\nsecond line\n").doesNotContain("not shown").doesNotContain("WARNING:child");
        assertThat(messages(logs, "/aws/lambda/py-logging", m -> m.contains("first line")))
                .anyMatch(m -> m.startsWith("[WARNING]\t") && m.endsWith("\t" + requestId + "\tfirst line\nsecond line\n"));
    }

    @Test
    void aPythonErrorIsLoggedWithItsTracebackAsOneEvent(LambdaClient lambda, CloudWatchLogsClient logs) throws Exception {
        create(lambda, "py-raise", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", """
                def handler(event, context):
                    raise ValueError("bad thing")
                """));

        InvokeResponse response = invoke(lambda, "py-raise", "{}");

        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(tail(response)).contains("[ERROR] ValueError: bad thing\nTraceback (most recent call last):\n  File \"")
                .contains(", line 2, in handler\n    raise ValueError(\"bad thing\")\n");
        assertThat(messages(logs, "/aws/lambda/py-raise", m -> m.startsWith("[ERROR]")))
                .anyMatch(m -> m.startsWith("[ERROR] ValueError: bad thing\nTraceback (most recent call last):\n") && m.endsWith("raise ValueError(\"bad thing\")\n"));
    }

    @Test
    void aNodeConsoleCallIsOneEvent(LambdaClient lambda, CloudWatchLogsClient logs) throws Exception {
        create(lambda, "node-console", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", """
                exports.handler = async () => {
                  console.log('multi\\nline');
                  console.error(new Error('boom'));
                  console.fatal('the end');
                  return 'ok';
                };
                """));

        InvokeResponse response = invoke(lambda, "node-console", "{}");

        assertThat(tail(response)).contains("\tINFO\tmulti\nline\n").contains("\tERROR\tError: boom\n    at ").contains("\tFATAL\tthe end\n");
        List<String> messages = messages(logs, "/aws/lambda/node-console", m -> m.contains("FATAL"));
        assertThat(messages).anyMatch(m -> m.endsWith("\tINFO\tmulti\nline\n"));
        assertThat(messages).anyMatch(m -> m.contains("\tERROR\tError: boom\n    at "));
        assertThat(messages).noneMatch(m -> m.startsWith("    at "));
    }

    @Test
    void aNodeCallbackAnswersOnceTheEventLoopIsEmptyUnlessToldNotTo(LambdaClient lambda) throws Exception {
        create(lambda, "node-callback", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", """
                exports.handler = (event, context, callback) => {
                  context.callbackWaitsForEmptyEventLoop = event.wait;
                  setTimeout(() => console.log('timer fired ' + event.n), 400);
                  callback(null, { n: event.n });
                };
                """));
        invoke(lambda, "node-callback", "{\"wait\":true,\"n\":0}");

        long begin = System.nanoTime();
        InvokeResponse waited = invoke(lambda, "node-callback", "{\"wait\":true,\"n\":1}");
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(waited.payload().asUtf8String()).isEqualTo("{\"n\":1}");
        assertThat(tail(waited)).contains("timer fired 1");

        begin = System.nanoTime();
        InvokeResponse notWaited = invoke(lambda, "node-callback", "{\"wait\":false,\"n\":2}");
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofMillis(400));
        assertThat(notWaited.payload().asUtf8String()).isEqualTo("{\"n\":2}");
        assertThat(tail(notWaited)).doesNotContain("timer fired 2");
    }

    @Test
    void aNodeHandlerThatNeverAnswersEndsWithTheEventLoop(LambdaClient lambda) throws Exception {
        create(lambda, "node-silent", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", """
                exports.handler = (event, context, callback) => {
                  setTimeout(() => console.log('done waiting'), 100);
                };
                """));
        create(lambda, "node-pending", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", """
                exports.handler = async () => new Promise(() => {});
                """));
        create(lambda, "node-sync", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", """
                exports.handler = (event) => ({ ignored: true });
                """));

        // A callback handler that never calls back answers null once nothing is left to run, as on AWS.
        InvokeResponse silent = invoke(lambda, "node-silent", "{}");
        assertThat(silent.functionError()).isNull();
        assertThat(silent.payload().asUtf8String()).isEqualTo("null");
        assertThat(tail(silent)).contains("done waiting");
        // So does a synchronous handler: AWS ignores what it returns.
        assertThat(invoke(lambda, "node-sync", "{}").payload().asUtf8String()).isEqualTo("null");
        // An async handler's promise that can never settle fails the invocation instead of waiting for the timeout.
        InvokeResponse pending = invoke(lambda, "node-pending", "{}");
        assertThat(pending.functionError()).isEqualTo("Unhandled");
        assertThat(JSON.readTree(pending.payload().asUtf8String()).get("errorType").asText()).isEqualTo("Runtime.NodeJsExit");
    }

    @Test
    void aNodeCrashOutsideTheHandlersPromiseIsTheInvocationsError(LambdaClient lambda) throws Exception {
        create(lambda, "node-crash", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", """
                exports.handler = async (event) => {
                  if (event.reject) {
                    Promise.reject(new Error('bg'));
                  } else if (event.throw) {
                    setTimeout(() => { throw new RangeError('late'); }, 10);
                  } else {
                    return 'fine';
                  }
                  await new Promise((resolve) => setTimeout(resolve, 1000));
                  return 'unreachable';
                };
                """));

        InvokeResponse rejected = invoke(lambda, "node-crash", "{\"reject\":true}");
        assertThat(rejected.functionError()).isEqualTo("Unhandled");
        JsonNode rejection = JSON.readTree(rejected.payload().asUtf8String());
        assertThat(rejection.get("errorType").asText()).isEqualTo("Runtime.UnhandledPromiseRejection");
        assertThat(rejection.get("errorMessage").asText()).isEqualTo("Error: bg");
        assertThat(tail(rejected)).contains("\tERROR\tUnhandled Promise Rejection ");

        InvokeResponse thrown = invoke(lambda, "node-crash", "{\"throw\":true}");
        assertThat(thrown.functionError()).isEqualTo("Unhandled");
        JsonNode exception = JSON.readTree(thrown.payload().asUtf8String());
        assertThat(exception.get("errorType").asText()).isEqualTo("RangeError");
        assertThat(exception.get("errorMessage").asText()).isEqualTo("late");

        // The crashed process is gone; the next invocation gets a fresh one.
        assertThat(invoke(lambda, "node-crash", "{}").payload().asUtf8String()).isEqualTo("\"fine\"");
    }
}
