package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The lines Lambda itself writes to a function's log, in the function's log format: in Text the
 * {@code INIT_START}, {@code START}, {@code END} and {@code REPORT} lines and the platform's error
 * lines; in JSON the records of AWS's advanced logging controls ({@code platform.initStart},
 * {@code platform.start}, {@code platform.report}, all at INFO, so a system log level of WARN drops
 * them), whose report carries what the text error
 * lines say. In JSON it also decides which of the function's own lines reach the log: a JSON object
 * whose {@code level} is below the application log level does not, and a line without a level
 * counts as INFO, as AWS filters them.
 *
 * <p>Immutable; thread-safe.
 */
final class SystemLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON_STRINGS = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * What a REPORT says of one invocation.
     *
     * @param initNanos the environment's initialization, on the first invocation after it; else -1
     * @param status {@code timeout} or {@code error} when the platform ended the invocation; else null
     * @param errorType the platform's error type (e.g. {@code Runtime.ExitError}); else null
     */
    record Report(String requestId, long durationNanos, int memorySizeMb, long maxMemoryUsedMb, long initNanos, String status, String errorType) {}

    private final FunctionLogging logging;
    private final Clock clock;

    SystemLog(FunctionLogging logging, Clock clock) {
        this.logging = requireNonNull(logging, "logging is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * The line that opens a new environment's log, before what its initialization writes: the
     * runtime version it runs (text {@code INIT_START}, JSON {@code platform.initStart} at INFO), or
     * null when the log format's level leaves it out.
     *
     * @param initializationType {@code on-demand} or {@code provisioned-concurrency}
     */
    String initStart(FunctionRuntime runtime, String region, String initializationType, String functionName, String functionVersion) {
        if (!logging.json()) {
            return "INIT_START Runtime Version: " + runtime.version() + "\tRuntime Version ARN: " + runtime.versionArn(region);
        }
        if (!logging.sendsSystem("INFO")) {
            return null;
        }
        return record("platform.initStart").append("\"initializationType\":\"").append(initializationType)
                .append("\",\"phase\":\"init\",\"runtimeVersion\":\"").append(runtime.version())
                .append("\",\"runtimeVersionArn\":\"").append(runtime.versionArn(region))
                .append("\",\"functionName\":\"").append(functionName).append("\",\"functionVersion\":\"").append(functionVersion)
                .append("\"}}").toString();
    }

    /**
     * The line that reports an initialization that failed or ran out of time, as AWS writes it
     * (text {@code INIT_REPORT Init Duration: 150.79 ms\tPhase: init\tStatus: error\tError Type:
     * Runtime.ExitError}, JSON {@code platform.initReport} at INFO), or null when the log format's
     * level leaves it out.
     *
     * @param status {@code error} or {@code timeout}
     * @param errorType why it failed, or null (a timeout names none)
     */
    String initReport(String initializationType, long initNanos, String status, String errorType) {
        if (!logging.json()) {
            StringBuilder text = millis(new StringBuilder(120).append("INIT_REPORT Init Duration: "), initNanos).append(" ms\tPhase: init\tStatus: ")
                    .append(status);
            return errorType == null ? text.toString() : text.append("\tError Type: ").append(errorType).toString();
        }
        if (!logging.sendsSystem("INFO")) {
            return null;
        }
        StringBuilder json = record("platform.initReport").append("\"initializationType\":\"").append(initializationType)
                .append("\",\"phase\":\"init\",\"status\":\"").append(status).append('"');
        if (errorType != null) {
            json.append(",\"errorType\":").append(JSON_STRINGS.getNodeFactory().textNode(errorType));
        }
        return millis(json.append(",\"metrics\":{\"durationMs\":"), initNanos).append("}}}").toString();
    }

    /** The line that opens an invocation's log, or null when the log format's level leaves it out. */
    String start(String requestId, String version) {
        if (!logging.json()) {
            return "START RequestId: " + requestId + " Version: " + version;
        }
        if (!logging.sendsSystem("INFO")) {
            return null;
        }
        return record("platform.start").append("\"requestId\":\"").append(requestId).append("\",\"version\":\"").append(version)
                .append("\"}}").toString();
    }

    /** The line that ends an invocation's output; JSON logs have none (their report follows at once). */
    String end(String requestId) {
        return logging.json() ? null : "END RequestId: " + requestId;
    }

    /** An error line of the platform's (a timeout, the runtime's exit): in JSON, the report's status and error type say it. */
    String error(String line) {
        return logging.json() ? null : line;
    }

    String report(Report report) {
        if (logging.json()) {
            return logging.sendsSystem("INFO") ? jsonReport(report) : null;
        }
        StringBuilder text = new StringBuilder(200).append("REPORT RequestId: ").append(report.requestId()).append("\tDuration: ");
        millis(text, report.durationNanos()).append(" ms\tBilled Duration: ").append(billedMillis(report))
                .append(" ms\tMemory Size: ").append(report.memorySizeMb()).append(" MB\tMax Memory Used: ")
                .append(report.maxMemoryUsedMb()).append(" MB\t");
        if (report.initNanos() >= 0) {
            millis(text.append("Init Duration: "), report.initNanos()).append(" ms\t");
        }
        if (report.status() != null) {
            text.append("Status: ").append(report.status()).append('\t');
        }
        if (report.errorType() != null) {
            text.append("Error Type: ").append(report.errorType()).append('\t');
        }
        return text.toString();
    }

    private String jsonReport(Report report) {
        StringBuilder json = record("platform.report").append("\"requestId\":\"").append(report.requestId()).append("\",\"metrics\":{\"durationMs\":");
        millis(json, report.durationNanos()).append(",\"billedDurationMs\":").append(billedMillis(report))
                .append(",\"memorySizeMB\":").append(report.memorySizeMb()).append(",\"maxMemoryUsedMB\":").append(report.maxMemoryUsedMb());
        if (report.initNanos() >= 0) {
            millis(json.append(",\"initDurationMs\":"), report.initNanos());
        }
        json.append("},\"status\":\"").append(report.status() == null ? "success" : report.status()).append('"');
        if (report.errorType() != null) {
            json.append(",\"errorType\":\"").append(report.errorType()).append('"');
        }
        return json.append("}}").toString();
    }

    private StringBuilder record(String type) {
        return new StringBuilder(240).append("{\"time\":\"").append(TIME.format(clock.instant())).append("\",\"type\":\"").append(type)
                .append("\",\"record\":{");
    }

    /** The invocation rounded up to the millisecond, with the initialization before it: AWS bills a cold start's INIT phase too. */
    static long billedMillis(Report report) {
        long nanos = report.durationNanos() + Math.max(0, report.initNanos());
        return (nanos + 999_999) / 1_000_000;
    }

    /** Nanoseconds as milliseconds with two decimals, rounded half up, as AWS's reports show them. */
    static StringBuilder millis(StringBuilder text, long nanos) {
        long hundredths = (nanos + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return text.append(hundredths / 100).append('.').append(fraction < 10 ? "0" : "").append(fraction);
    }

    /** Whether one of the function's own lines reaches the log: in Text all do; in JSON those at or above the application log level. */
    boolean keeps(String line) {
        return !logging.json() || logging.sendsApplication(level(line));
    }

    /** The level a line logs at: a JSON object's {@code level} (any case; Python's WARNING and CRITICAL too), else INFO. */
    static String level(String line) {
        int first = 0;
        while (first < line.length() && Character.isWhitespace(line.charAt(first))) {
            first++;
        }
        if (first == line.length() || line.charAt(first) != '{') {
            return "INFO";
        }
        try (JsonParser parser = JSON.createParser(line)) {
            parser.nextToken();
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("level") && value == JsonToken.VALUE_STRING) {
                    return switch (parser.getText().toUpperCase(Locale.ROOT)) {
                        case "TRACE" -> "TRACE";
                        case "DEBUG" -> "DEBUG";
                        case "WARN", "WARNING" -> "WARN";
                        case "ERROR" -> "ERROR";
                        case "FATAL", "CRITICAL" -> "FATAL";
                        default -> "INFO";
                    };
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            // Not JSON after all: a line without a level.
        }
        return "INFO";
    }
}
