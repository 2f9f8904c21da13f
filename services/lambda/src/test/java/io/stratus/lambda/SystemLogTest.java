package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.AwsException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SystemLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T05:00:00.123Z"), ZoneOffset.UTC);
    private static final FunctionLogging JSON_INFO = new FunctionLogging("JSON", "INFO", "INFO", null);

    @Test
    void textLinesAreLambdasPlainOnes() {
        SystemLog log = new SystemLog(FunctionLogging.DEFAULT, CLOCK);
        assertThat(log.start("r1", "$LATEST")).isEqualTo("START RequestId: r1 Version: $LATEST");
        assertThat(log.end("r1")).isEqualTo("END RequestId: r1");
        assertThat(log.report(new SystemLog.Report("r1", 1_234_567, 128, 60, 150_000_000, null, null)))
                .isEqualTo("REPORT RequestId: r1\tDuration: 1.23 ms\tBilled Duration: 152 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tInit Duration: 150.00 ms\t");
        assertThat(log.report(new SystemLog.Report("r1", 3_000_000_000L, 128, 60, -1, "timeout", null)))
                .isEqualTo("REPORT RequestId: r1\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: timeout\t");
        assertThat(log.error("Runtime.ExitError")).isEqualTo("Runtime.ExitError");
        assertThat(log.initReport("on-demand", 150_794_000, "error", "Runtime.UserCodeSyntaxError"))
                .isEqualTo("INIT_REPORT Init Duration: 150.79 ms\tPhase: init\tStatus: error\tError Type: Runtime.UserCodeSyntaxError");
        assertThat(log.initReport("on-demand", 10_007_330_000L, "timeout", null)).isEqualTo("INIT_REPORT Init Duration: 10007.33 ms\tPhase: init\tStatus: timeout");
        assertThat(new SystemLog(JSON_INFO, CLOCK).initReport("provisioned-concurrency", 1_500_000, "error", "Runtime.ExitError"))
                .isEqualTo("{\"time\":\"2026-12-04T05:00:00.123Z\",\"type\":\"platform.initReport\",\"record\":{\"initializationType\":"
                        + "\"provisioned-concurrency\",\"phase\":\"init\",\"status\":\"error\",\"errorType\":\"Runtime.ExitError\",\"metrics\":{\"durationMs\":1.50}}}");
        assertThat(log.keeps("{\"level\":\"trace\"}")).isTrue();
    }

    @Test
    void aNewEnvironmentsLogOpensWithTheRuntimeVersion() throws Exception {
        assertThat(FunctionRuntime.NODEJS20.version()).isEqualTo("nodejs:20.v1");
        assertThat(FunctionRuntime.PYTHON313.version()).isEqualTo("python:3.13.v1");
        assertThat(FunctionRuntime.JAVA21.version()).isEqualTo("java:21.v1");
        assertThat(FunctionRuntime.JAVA8_AL2.version()).isEqualTo("java:8.al2.v1");
        assertThat(FunctionRuntime.PROVIDED_AL2023.version()).isEqualTo("provided:al2023.v1");
        String arn = FunctionRuntime.PYTHON313.versionArn("eu-south-1");
        assertThat(arn).matches("arn:aws:lambda:eu-south-1::runtime:[0-9a-f]{64}");

        assertThat(new SystemLog(FunctionLogging.DEFAULT, CLOCK).initStart(FunctionRuntime.PYTHON313, "eu-south-1", "on-demand", "f", "$LATEST"))
                .isEqualTo("INIT_START Runtime Version: python:3.13.v1\tRuntime Version ARN: " + arn);
        assertThat(JSON.readTree(new SystemLog(JSON_INFO, CLOCK).initStart(FunctionRuntime.PYTHON313, "eu-south-1", "provisioned-concurrency", "f", "2")))
                .isEqualTo(JSON.readTree("{\"time\":\"2026-12-04T05:00:00.123Z\",\"type\":\"platform.initStart\",\"record\":{"
                        + "\"initializationType\":\"provisioned-concurrency\",\"phase\":\"init\",\"runtimeVersion\":\"python:3.13.v1\","
                        + "\"runtimeVersionArn\":\"" + arn + "\",\"functionName\":\"f\",\"functionVersion\":\"2\"}}"));
        assertThat(new SystemLog(new FunctionLogging("JSON", "INFO", "WARN", null), CLOCK)
                .initStart(FunctionRuntime.PYTHON313, "eu-south-1", "on-demand", "f", "$LATEST")).isNull();
    }

    @Test
    void jsonRecordsAreThePlatformsEvents() throws Exception {
        SystemLog log = new SystemLog(JSON_INFO, CLOCK);
        assertThat(JSON.readTree(log.start("r1", "3"))).isEqualTo(JSON.readTree(
                "{\"time\":\"2026-12-04T05:00:00.123Z\",\"type\":\"platform.start\",\"record\":{\"requestId\":\"r1\",\"version\":\"3\"}}"));
        assertThat(log.end("r1")).isNull();
        assertThat(log.error("Runtime.ExitError")).isNull();
        assertThat(JSON.readTree(log.report(new SystemLog.Report("r1", 1_234_567, 128, 60, 150_000_000, null, null)))).isEqualTo(JSON.readTree(
                "{\"time\":\"2026-12-04T05:00:00.123Z\",\"type\":\"platform.report\",\"record\":{\"requestId\":\"r1\",\"metrics\":"
                        + "{\"durationMs\":1.23,\"billedDurationMs\":152,\"memorySizeMB\":128,\"maxMemoryUsedMB\":60,\"initDurationMs\":150.00},"
                        + "\"status\":\"success\"}}"));
        assertThat(JSON.readTree(log.report(new SystemLog.Report("r1", 1_000_000, 128, 128, -1, "error", "Runtime.OutOfMemory"))).get("record"))
                .isEqualTo(JSON.readTree("{\"requestId\":\"r1\",\"metrics\":{\"durationMs\":1.00,\"billedDurationMs\":1,\"memorySizeMB\":128,"
                        + "\"maxMemoryUsedMB\":128},\"status\":\"error\",\"errorType\":\"Runtime.OutOfMemory\"}"));
    }

    @Test
    void aSystemLevelOfWarnLeavesThePlatformsRecordsOut() {
        SystemLog log = new SystemLog(new FunctionLogging("JSON", "INFO", "WARN", null), CLOCK);
        assertThat(log.start("r1", "$LATEST")).isNull();
        assertThat(log.report(new SystemLog.Report("r1", 1, 128, 1, -1, null, null))).isNull();
    }

    @Test
    void applicationLinesBelowTheLevelAreDropped() {
        SystemLog log = new SystemLog(new FunctionLogging("JSON", "WARN", "INFO", null), CLOCK);
        assertThat(log.keeps("plain text")).isFalse();
        assertThat(log.keeps("{\"level\":\"info\",\"msg\":\"x\"}")).isFalse();
        assertThat(log.keeps("{\"msg\":{\"level\":\"ERROR\"},\"level\":\"Warning\"}")).isTrue();
        assertThat(log.keeps("  {\"level\":\"CRITICAL\"}")).isTrue();
        assertThat(log.keeps("{\"level\": \"error\"")).isTrue();
        assertThat(log.keeps("{not json")).isFalse();
        assertThat(SystemLog.level("{\"level\":7}")).isEqualTo("INFO");
        assertThat(SystemLog.level("{\"level\":\"verbose\"}")).isEqualTo("INFO");
        assertThat(SystemLog.level("[\"level\",\"ERROR\"]")).isEqualTo("INFO");
    }

    @Test
    void loggingConfigurationsMergeAsUpdatesName() throws Exception {
        FunctionLogging json = FunctionLogging.create(JSON.readTree("{\"LogFormat\":\"JSON\"}"));
        assertThat(json).isEqualTo(new FunctionLogging("JSON", "INFO", "INFO", null));
        assertThat(json.logGroup("fn")).isEqualTo("/aws/lambda/fn");

        FunctionLogging debug = json.update(JSON.readTree("{\"ApplicationLogLevel\":\"DEBUG\",\"LogGroup\":\"/mine\"}"));
        assertThat(debug).isEqualTo(new FunctionLogging("JSON", "DEBUG", "INFO", "/mine"));
        assertThat(debug.update(JSON.readTree("{}"))).isEqualTo(debug);
        assertThat(debug.update(JSON.readTree("{\"LogFormat\":\"Text\"}"))).isEqualTo(new FunctionLogging("Text", null, null, "/mine"));
        assertThatThrownBy(() -> FunctionLogging.DEFAULT.update(JSON.readTree("{\"SystemLogLevel\":\"WARN\"}")))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.getMessage()).startsWith("LogLevel is not supported"));
        assertThatThrownBy(() -> FunctionLogging.check(JSON.readTree("{\"ApplicationLogLevel\":\"info\"}")))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("1 validation error detected: Value 'info' at 'loggingConfig.applicationLogLevel' failed to satisfy constraint: "
                                + "Member must satisfy enum value set: [TRACE, DEBUG, INFO, WARN, ERROR, FATAL]"));
        assertThatThrownBy(() -> FunctionLogging.check(JSON.readTree("{\"LogGroup\":\"" + "a".repeat(513) + "\"}")))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.getMessage()).endsWith("Member must have length less than or equal to 512"));
    }
}
