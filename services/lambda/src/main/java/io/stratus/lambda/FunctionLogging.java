package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.core.AwsException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A function's {@code LoggingConfig}: the format of its logs ({@code Text}, or {@code JSON} for both
 * the runtimes' application logs and the platform's records), in JSON the least detailed levels
 * that reach the log, and the log group they go to.
 *
 * @param applicationLevel in JSON: the least detailed application log level sent (TRACE … FATAL); null in Text
 * @param systemLevel in JSON: the least detailed system log level sent (DEBUG, INFO, WARN); null in Text
 * @param logGroup the log group, or null for {@code /aws/lambda/<function name>}
 */
record FunctionLogging(String format, String applicationLevel, String systemLevel, String logGroup) {

    static final String TEXT = "Text";
    static final String JSON = "JSON";
    /** From the most detailed to the least, as AWS's model lists them. */
    static final List<String> APPLICATION_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
    static final List<String> SYSTEM_LEVELS = List.of("DEBUG", "INFO", "WARN");
    /** Lambda's default: plain text in {@code /aws/lambda/<name>}. */
    static final FunctionLogging DEFAULT = new FunctionLogging(TEXT, null, null, null);

    private static final String LOG_GROUP_PATTERN = "[\\.\\-_/#A-Za-z0-9]+";
    private static final Pattern LOG_GROUP = Pattern.compile(LOG_GROUP_PATTERN);

    FunctionLogging {
        requireNonNull(format, "format is null");
    }

    boolean json() {
        return format.equals(JSON);
    }

    String logGroup(String functionName) {
        return logGroup != null ? logGroup : "/aws/lambda/" + functionName;
    }

    /** As the function's configuration reports it: the levels only in JSON, the log group always. */
    LambdaModel.LoggingConfig response(String functionName) {
        return new LambdaModel.LoggingConfig(format, applicationLevel, systemLevel, logGroup(functionName));
    }

    /** A CreateFunction's {@code LoggingConfig}: what it sets, Lambda's defaults for the rest. */
    static FunctionLogging create(JsonNode config) {
        return DEFAULT.update(config);
    }

    /**
     * An UpdateFunctionConfiguration's {@code LoggingConfig} applied: members it names replace this
     * configuration's, the others stay; a switch to JSON starts both levels at {@code INFO} (AWS's
     * default), a switch to Text drops them. Levels asked for in Text are refused, as AWS refuses them.
     */
    FunctionLogging update(JsonNode config) {
        if (!FunctionRules.present(config)) {
            return this;
        }
        String newFormat = member(config, "LogFormat", "logFormat", List.of(JSON, TEXT));
        String newApplicationLevel = member(config, "ApplicationLogLevel", "applicationLogLevel", APPLICATION_LEVELS);
        String newSystemLevel = member(config, "SystemLogLevel", "systemLogLevel", SYSTEM_LEVELS);
        String newLogGroup = logGroup(config);
        String resultFormat = newFormat != null ? newFormat : format;
        if (resultFormat.equals(TEXT)) {
            if (newApplicationLevel != null || newSystemLevel != null) {
                throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "LogLevel is not supported when LogFormat is set to \"Text\". "
                        + "Remove LogLevel from your request or change the LogFormat to \"Json\" and try again.");
            }
            return new FunctionLogging(TEXT, null, null, newLogGroup != null ? newLogGroup : logGroup);
        }
        return new FunctionLogging(JSON,
                newApplicationLevel != null ? newApplicationLevel : applicationLevel != null ? applicationLevel : "INFO",
                newSystemLevel != null ? newSystemLevel : systemLevel != null ? systemLevel : "INFO",
                newLogGroup != null ? newLogGroup : logGroup);
    }

    /** Checks the members' values alone (the enums, the log group's pattern), as AWS's model does before anything is read. */
    static void check(JsonNode config) {
        if (FunctionRules.present(config)) {
            member(config, "LogFormat", "logFormat", List.of(JSON, TEXT));
            member(config, "ApplicationLogLevel", "applicationLogLevel", APPLICATION_LEVELS);
            member(config, "SystemLogLevel", "systemLogLevel", SYSTEM_LEVELS);
            logGroup(config);
        }
    }

    /** An enum member of the configuration, or null when absent; outside its values a ValidationException, as AWS's model answers. */
    private static String member(JsonNode config, String name, String path, List<String> values) {
        JsonNode node = config.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        String value = node.isValueNode() ? node.asText() : node.toString();
        if (!node.isTextual() || !values.contains(value)) {
            throw FunctionRules.invalid(value, "loggingConfig." + path, "Member must satisfy enum value set: " + values);
        }
        return value;
    }

    private static String logGroup(JsonNode config) {
        JsonNode node = config.get("LogGroup");
        if (node == null || node.isNull()) {
            return null;
        }
        String value = node.isValueNode() ? node.asText() : node.toString();
        if (value.length() > 512) {
            throw FunctionRules.invalid(value, "loggingConfig.logGroup", "Member must have length less than or equal to 512");
        }
        if (!node.isTextual() || !LOG_GROUP.matcher(value).matches()) {
            throw FunctionRules.invalid(value, "loggingConfig.logGroup", "Member must satisfy regular expression pattern: " + LOG_GROUP_PATTERN);
        }
        return value;
    }

    /** Whether application log lines at {@code level} reach the log (JSON only; Text sends all). */
    boolean sendsApplication(String level) {
        return !json() || rank(APPLICATION_LEVELS, level) >= rank(APPLICATION_LEVELS, applicationLevel);
    }

    /** Whether the platform's records at {@code level} (DEBUG, INFO, WARN) reach the log (JSON only; Text sends all). */
    boolean sendsSystem(String level) {
        return !json() || rank(SYSTEM_LEVELS, level) >= rank(SYSTEM_LEVELS, systemLevel);
    }

    private static int rank(List<String> levels, String level) {
        return Math.max(0, levels.indexOf(level));
    }
}
