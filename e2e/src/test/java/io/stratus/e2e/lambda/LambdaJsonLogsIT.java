package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static io.stratus.e2e.lambda.LambdaErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.StratusTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import software.amazon.awssdk.services.lambda.model.LoggingConfig;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Lambda's advanced logging controls ({@code LoggingConfig}): JSON records from the runtimes and the
 * platform, application and system log levels, a log group of the function's choosing.
 */
@StratusTest
class LambdaJsonLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String NODE_LOGGER = """
            exports.handler = async () => {
              console.trace('too detailed');
              console.debug('debugging', 42);
              console.log({ order: 7, items: ['a'] });
              console.error(new TypeError('bad type'));
              process.stdout.write('plain text\\n');
              process.stdout.write(JSON.stringify({ level: 'trace', msg: 'own trace' }) + '\\n');
              return {
                format: process.env.AWS_LAMBDA_LOG_FORMAT,
                level: process.env.AWS_LAMBDA_LOG_LEVEL,
                group: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
              };
            };
            """;

    private static final String PYTHON_LOGGER = """
            import logging
            logger = logging.getLogger("orders")

            def handler(event, context):
                logger.debug("not this")
                logger.info("order %s", 7)
                logger.warning("careful", extra={"order": 7})
                logger.error("failed")
                try:
                    1 / 0
                except ZeroDivisionError:
                    logger.exception("division")
                print("printed")
                return "ok"
            """;

    @Test
    void badLoggingConfigurationsAreRefusedAsAwsRefusesThem(LambdaClient lambda) {
        Map<String, String> files = Map.of("index.js", NODE_LOGGER);
        assertError(() -> lambda.createFunction(request("levels-in-text", Runtime.NODEJS20_X, "index.handler", files)
                        .loggingConfig(l -> l.systemLogLevel("WARN")).build()),
                "InvalidParameterValueException", 400, "LogLevel is not supported when LogFormat is set to \"Text\". "
                        + "Remove LogLevel from your request or change the LogFormat to \"Json\" and try again.");
        assertError(() -> lambda.createFunction(request("bad-format", Runtime.NODEJS20_X, "index.handler", files)
                        .loggingConfig(l -> l.logFormat("XML")).build()),
                "ValidationException", 400, "1 validation error detected: Value 'XML' at 'loggingConfig.logFormat' failed to satisfy "
                        + "constraint: Member must satisfy enum value set: [JSON, Text]");
        assertError(() -> lambda.createFunction(request("bad-level", Runtime.NODEJS20_X, "index.handler", files)
                        .loggingConfig(l -> l.logFormat("JSON").systemLogLevel("ERROR")).build()),
                "ValidationException", 400, "1 validation error detected: Value 'ERROR' at 'loggingConfig.systemLogLevel' failed to satisfy "
                        + "constraint: Member must satisfy enum value set: [DEBUG, INFO, WARN]");
        assertError(() -> lambda.createFunction(request("bad-group", Runtime.NODEJS20_X, "index.handler", files)
                        .loggingConfig(l -> l.logGroup("my group")).build()),
                "ValidationException", 400, "1 validation error detected: Value 'my group' at 'loggingConfig.logGroup' failed to satisfy "
                        + "constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");

        lambda.createFunction(request("text-logger", Runtime.NODEJS20_X, "index.handler", files).build());
        FunctionStates.awaitUpdated(lambda, "text-logger");
        assertError(() -> lambda.updateFunctionConfiguration(r -> r.functionName("text-logger").loggingConfig(l -> l.applicationLogLevel("DEBUG"))),
                "InvalidParameterValueException", 400, "LogLevel is not supported when LogFormat is set to \"Text\". "
                        + "Remove LogLevel from your request or change the LogFormat to \"Json\" and try again.");
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("text-logger")).loggingConfig())
                .isEqualTo(LoggingConfig.builder().logFormat("Text").logGroup("/aws/lambda/text-logger").build());
    }

    @Test
    void nodeFunctionsLogJsonRecordsToTheirOwnLogGroup(LambdaClient lambda, CloudWatchLogsClient logs) throws Exception {
        LoggingConfig created = lambda.createFunction(request("node-json", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_LOGGER))
                .loggingConfig(l -> l.logFormat("JSON").applicationLogLevel("DEBUG").logGroup("/custom/node-json")).build()).loggingConfig();
        assertThat(created).isEqualTo(LoggingConfig.builder().logFormat("JSON").applicationLogLevel("DEBUG")
                .systemLogLevel("INFO").logGroup("/custom/node-json").build());
        FunctionStates.awaitUpdated(lambda, "node-json");

        InvokeResponse response = lambda.invoke(r -> r.functionName("node-json").logType(LogType.TAIL));
        assertThat(JSON.readTree(response.payload().asUtf8String())).isEqualTo(JSON.readTree(
                "{\"format\":\"JSON\",\"level\":\"DEBUG\",\"group\":\"/custom/node-json\"}"));
        String requestId = response.responseMetadata().requestId();

        List<String> messages = messages(logs, "/custom/node-json", 7);
        assertThat(messages).noneMatch(m -> m.startsWith("INIT_START") || m.startsWith("START") || m.startsWith("END") || m.startsWith("REPORT"))
                .noneMatch(m -> m.contains("too detailed") || m.contains("own trace"))
                .contains("plain text\n");
        List<JsonNode> records = records(messages);
        assertThat(records.get(0).get("type").asText()).isEqualTo("platform.initStart");
        assertThat(records.get(0).get("record").get("runtimeVersion").asText()).isEqualTo("nodejs:20.v1");
        assertThat(records.get(0).get("record").get("initializationType").asText()).isEqualTo("on-demand");
        assertThat(records.get(1).get("type").asText()).isEqualTo("platform.start");
        assertThat(records.get(1).get("record")).isEqualTo(JSON.readTree("{\"requestId\":\"" + requestId + "\",\"version\":\"$LATEST\"}"));
        JsonNode debug = find(records, "level", "DEBUG");
        assertThat(debug.get("message").asText()).isEqualTo("debugging 42");
        assertThat(debug.get("requestId").asText()).isEqualTo(requestId);
        assertThat(debug.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(find(records, "level", "INFO").get("message")).isEqualTo(JSON.readTree("{\"order\":7,\"items\":[\"a\"]}"));
        JsonNode error = find(records, "level", "ERROR").get("message");
        assertThat(error.get("errorType").asText()).isEqualTo("TypeError");
        assertThat(error.get("errorMessage").asText()).isEqualTo("bad type");
        assertThat(error.get("stackTrace").get(0).asText()).isEqualTo("TypeError: bad type");
        JsonNode report = find(records, "type", "platform.report").get("record");
        assertThat(report.get("requestId").asText()).isEqualTo(requestId);
        assertThat(report.get("status").asText()).isEqualTo("success");
        assertThat(report.get("metrics").get("memorySizeMB").asInt()).isEqualTo(128);
        assertThat(report.get("metrics").has("durationMs")).isTrue();
        assertThat(report.get("metrics").has("initDurationMs")).isTrue();
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix("/aws/lambda/node-json")).logGroups()).isEmpty();

        String tail = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        assertThat(tail).contains("\"type\":\"platform.report\"").doesNotContain("REPORT RequestId");
    }

    @Test
    void pythonFunctionsLogJsonRecordsFilteredByLevel(LambdaClient lambda, CloudWatchLogsClient logs) throws Exception {
        lambda.createFunction(request("py-json", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_LOGGER))
                .loggingConfig(l -> l.logFormat("JSON")).build());
        FunctionStates.awaitUpdated(lambda, "py-json");
        String requestId = lambda.invoke(r -> r.functionName("py-json")).responseMetadata().requestId();

        List<String> first = messages(logs, "/aws/lambda/py-json", 8);
        List<JsonNode> records = records(first);
        JsonNode info = find(records, "level", "INFO");
        assertThat(info.get("message").asText()).isEqualTo("order 7");
        assertThat(info.get("logger").asText()).isEqualTo("orders");
        assertThat(info.get("requestId").asText()).isEqualTo(requestId);
        assertThat(find(records, "level", "WARNING").get("order").asInt()).isEqualTo(7);
        JsonNode exception = find(records, "message", "division");
        assertThat(exception.get("errorType").asText()).isEqualTo("ZeroDivisionError");
        assertThat(exception.get("errorMessage").asText()).isEqualTo("division by zero");
        assertThat(exception.get("stackTrace").isArray()).isTrue();
        assertThat(exception.get("location").asText()).endsWith(":handler:12");
        assertThat(records).noneMatch(r -> r.path("message").asText().equals("not this"));

        // Only errors from the function, and no platform records: the levels filter both.
        lambda.updateFunctionConfiguration(r -> r.functionName("py-json").loggingConfig(l -> l.applicationLogLevel("ERROR").systemLogLevel("WARN")));
        FunctionStates.awaitUpdated(lambda, "py-json");
        int before = first.size();
        String second = lambda.invoke(r -> r.functionName("py-json")).responseMetadata().requestId();
        List<String> later = messages(logs, "/aws/lambda/py-json", before + 2).subList(before, before + 2);
        assertThat(records(later)).allMatch(r -> r.get("level").asText().equals("ERROR") && r.get("requestId").asText().equals(second));

        // Back to text: the levels go, START and REPORT lines come back.
        LoggingConfig text = lambda.updateFunctionConfiguration(r -> r.functionName("py-json").loggingConfig(l -> l.logFormat("Text"))).loggingConfig();
        assertThat(text).isEqualTo(LoggingConfig.builder().logFormat("Text").logGroup("/aws/lambda/py-json").build());
        FunctionStates.awaitUpdated(lambda, "py-json");
        String log = new String(Base64.getDecoder().decode(lambda.invoke(r -> r.functionName("py-json").logType(LogType.TAIL)).logResult()),
                StandardCharsets.UTF_8);
        assertThat(log).contains("START RequestId: ").contains("[ERROR]\t").contains("printed\n").contains("REPORT RequestId: ");
    }

    /** The messages of a log group once at least {@code count} arrived (or what did in 20 s), oldest first. */
    private static List<String> messages(CloudWatchLogsClient logs, String group, int count) throws InterruptedException {
        List<String> messages = List.of();
        for (int i = 0; i < 200; i++) {
            if (!logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups().isEmpty()) {
                messages = logs.filterLogEvents(r -> r.logGroupName(group)).events().stream().map(FilteredLogEvent::message).toList();
            }
            if (messages.size() >= count) {
                return messages;
            }
            Thread.sleep(100);
        }
        return messages;
    }

    private static List<JsonNode> records(List<String> messages) throws Exception {
        List<JsonNode> records = new ArrayList<>();
        for (String message : messages) {
            if (message.startsWith("{")) {
                records.add(JSON.readTree(message));
            }
        }
        return records;
    }

    private static JsonNode find(List<JsonNode> records, String field, String value) {
        return records.stream().filter(r -> r.path(field).asText().equals(value)).findFirst()
                .orElseThrow(() -> new AssertionError("no record with " + field + " " + value + " in " + records));
    }
}
