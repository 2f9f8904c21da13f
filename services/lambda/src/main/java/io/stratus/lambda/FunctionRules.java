package io.stratus.lambda;

import io.stratus.core.AwsException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's input constraints, with the codes and messages AWS answers: model constraints (name,
 * role and handler patterns, timeout and memory ranges) are {@code ValidationException}s worded as
 * AWS's validator words them; service rules (runtime, environment) are
 * {@code InvalidParameterValueException}s. Stateless.
 */
final class FunctionRules {

    static final int DEFAULT_TIMEOUT = 3;
    static final int DEFAULT_MEMORY_SIZE = 128;
    static final int MAX_ENVIRONMENT_BYTES = 4 * 1024;

    private static final String FUNCTION_NAME_PATTERN =
            "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
    private static final Pattern FUNCTION_NAME = Pattern.compile(FUNCTION_NAME_PATTERN);
    private static final String ROLE_PATTERN = "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+";
    private static final Pattern ROLE = Pattern.compile(ROLE_PATTERN);
    private static final Pattern HANDLER = Pattern.compile("[^\\s]+");
    private static final String QUALIFIER_PATTERN = "(|[a-zA-Z0-9$_-]+)";
    private static final Pattern QUALIFIER = Pattern.compile(QUALIFIER_PATTERN);
    private static final Pattern ENV_KEY = Pattern.compile("[a-zA-Z]([a-zA-Z0-9_])+");
    private static final Set<String> RESERVED_KEYS = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
            "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
            "LAMBDA_RUNTIME_DIR");

    private FunctionRules() {}

    /** A function named in a request: its name and, if given, its qualifier. */
    /**
     * A function as a request names it.
     *
     * @param region the region of a full ARN, or null
     * @param accountId the account of a full or partial ARN, or null
     */
    record FunctionReference(String name, String qualifier, String region, String accountId) {

        FunctionReference(String name, String qualifier) {
            this(name, qualifier, null, null);
        }
    }

    /** Reads a {@code FunctionName} member: a name, a partial ARN or an ARN, optionally qualified. */
    static FunctionReference reference(String functionName, String qualifier) {
        if (functionName == null) {
            throw notNull("functionName");
        }
        Matcher matcher = FUNCTION_NAME.matcher(functionName);
        if (functionName.length() > 140 || !matcher.matches()) {
            throw pattern(functionName, "functionName", FUNCTION_NAME_PATTERN);
        }
        if (qualifier != null && !qualifier.isEmpty() && (qualifier.length() > 128 || !QUALIFIER.matcher(qualifier).matches())) {
            throw pattern(qualifier, "qualifier", QUALIFIER_PATTERN);
        }
        String inlineQualifier = matcher.group(9);
        if (inlineQualifier != null && qualifier != null && !inlineQualifier.equals(qualifier)) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "The derived qualifier from the function name does not match the specified qualifier.");
        }
        String region = matcher.group(3) == null ? null : matcher.group(3).substring(0, matcher.group(3).length() - 1);
        String accountId = matcher.group(5) == null ? null : matcher.group(5).substring(0, 12);
        return new FunctionReference(matcher.group(7), qualifier != null ? qualifier : inlineQualifier, region, accountId);
    }

    /** Checks the name of a function being created. */
    static String newFunctionName(String functionName) {
        FunctionReference reference = reference(functionName, null);
        if (reference.name().length() > 64) {
            throw invalid(reference.name(), "functionName", "Member must have length less than or equal to 64");
        }
        return reference.name();
    }

    static String role(String role) {
        if (role == null) {
            throw notNull("role");
        }
        if (!ROLE.matcher(role).matches()) {
            throw pattern(role, "role", ROLE_PATTERN);
        }
        return role;
    }

    static String handler(String handler) {
        if (handler.length() > 128) {
            throw invalid(handler, "handler", "Member must have length less than or equal to 128");
        }
        if (!HANDLER.matcher(handler).matches()) {
            throw pattern(handler, "handler", "[^\\s]+");
        }
        return handler;
    }

    static int timeout(Integer timeout, int current) {
        if (timeout == null) {
            return current;
        }
        if (timeout < 1) {
            throw invalid(timeout.toString(), "timeout", "Member must have value greater than or equal to 1");
        }
        if (timeout > 900) {
            throw invalid(timeout.toString(), "timeout", "Member must have value less than or equal to 900");
        }
        return timeout;
    }

    static int memorySize(Integer memorySize, int current) {
        if (memorySize == null) {
            return current;
        }
        if (memorySize < 128) {
            throw invalid(memorySize.toString(), "memorySize", "Member must have value greater than or equal to 128");
        }
        if (memorySize > 10240) {
            throw invalid(memorySize.toString(), "memorySize", "Member must have value less than or equal to 10240");
        }
        return memorySize;
    }

    static String description(String description, String current) {
        if (description == null) {
            return current;
        }
        if (description.length() > 256) {
            throw invalid(description, "description", "Member must have length less than or equal to 256");
        }
        return description;
    }

    static Map<String, String> environment(Map<String, String> variables) {
        if (variables == null) {
            return Map.of();
        }
        Set<String> reserved = new TreeSet<>();
        int size = 0;
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            if (!ENV_KEY.matcher(variable.getKey()).matches()) {
                throw pattern(variable.getKey(), "environment.variables", "[a-zA-Z]([a-zA-Z0-9_])+");
            }
            if (RESERVED_KEYS.contains(variable.getKey())) {
                reserved.add(variable.getKey());
            }
            String value = variable.getValue() == null ? "" : variable.getValue();
            size += variable.getKey().getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
        }
        if (!reserved.isEmpty()) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: %s",
                    String.join(",", reserved));
        }
        if (size > MAX_ENVIRONMENT_BYTES) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: %d",
                    size);
        }
        // A null value (JSON null) is an empty one, as on AWS; the copy holds no nulls.
        Map<String, String> copy = new java.util.LinkedHashMap<>();
        variables.forEach((key, value) -> copy.put(key, value == null ? "" : value));
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** The most ListFunctions and ListVersionsByFunction return in one page, whatever a larger MaxItems asks for. */
    static final int MOST_LISTED = 50;

    /** A {@code MaxItems} query member, 1–10000. */
    static int maxItems(Integer maxItems, int defaultValue) {
        int value = maxItems == null ? defaultValue : maxItems;
        if (value < 1 || value > 10_000) {
            throw invalid(Integer.toString(value), "maxItems",
                    value < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 10000");
        }
        return value;
    }

    /**
     * Refuses a member Stratus accepts on the wire but does not act on yet: never a success that
     * did not do what was asked.
     */
    static void notYet(String member, boolean given) {
        if (given) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "%s is not supported by Stratus yet.", member);
        }
    }

    /** A {@code RevisionId} that is not the function's latest: AWS's {@code PreconditionFailedException}. */
    static void checkRevision(FunctionRecord function, String revisionId) {
        if (revisionId != null && !revisionId.equals(function.revisionId())) {
            throw AwsException.of(LambdaErrors.PRECONDITION_FAILED,
                    "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        }
    }

    /**
     * The size an {@code EphemeralStorage} member sets (512 to 10240 MB, as AWS takes it), or
     * {@code current} when the member is absent.
     */
    static int ephemeralStorage(com.fasterxml.jackson.databind.JsonNode member, int current) {
        if (member == null || member.isNull()) {
            return current;
        }
        com.fasterxml.jackson.databind.JsonNode size = member.get("Size");
        if (size == null || size.isNull()) {
            throw notNull("ephemeralStorage.size");
        }
        if (!size.isIntegralNumber() || !size.canConvertToInt()) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "EphemeralStorage.Size must be a whole number of MB, not %s.", size.toString());
        }
        int mb = size.intValue();
        if (mb < 512) {
            throw invalid(Integer.toString(mb), "ephemeralStorage.size", "Member must have value greater than or equal to 512");
        }
        if (mb > 10240) {
            throw invalid(Integer.toString(mb), "ephemeralStorage.size", "Member must have value less than or equal to 10240");
        }
        return mb;
    }

    /**
     * Checks a {@code TracingConfig}: {@code PassThrough} (AWS's default, what Stratus does: the
     * trace header is passed on, nothing is sampled) is taken; {@code Active} tracing would need
     * X-Ray, which Stratus does not have, so it is refused.
     */
    static void tracingConfig(com.fasterxml.jackson.databind.JsonNode member) {
        if (!present(member)) {
            return;
        }
        com.fasterxml.jackson.databind.JsonNode mode = member.get("Mode");
        String value = mode == null || mode.isNull() ? null : mode.asText();
        if (value == null || value.equals("PassThrough")) {
            return;
        }
        if (!value.equals("Active")) {
            throw invalid(value, "tracingConfig.mode", "Member must satisfy enum value set: [Active, PassThrough]");
        }
        notYet("TracingConfig Mode Active (X-Ray)", true);
    }

    static boolean present(com.fasterxml.jackson.databind.JsonNode node) {
        return node != null && !node.isNull() && !(node.isContainerNode() && node.isEmpty());
    }

    static AwsException notNull(String member) {
        return AwsException.of(LambdaErrors.VALIDATION,
                "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member);
    }

    private static AwsException pattern(String value, String member, String pattern) {
        return invalid(value, member, "Member must satisfy regular expression pattern: " + pattern);
    }

    static AwsException invalid(String value, String member, String constraint) {
        return AwsException.of(LambdaErrors.VALIDATION,
                "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint);
    }

    /**
     * The target of a {@code DeadLetterConfig}: an SQS queue or SNS topic ARN, or "" when it has
     * none (which removes the function's dead-letter queue on update).
     */
    static String deadLetterTarget(LambdaModel.DeadLetterConfig config) {
        String arn = config == null || config.targetArn() == null ? "" : config.targetArn();
        if (arn.isEmpty()) {
            return "";
        }
        String[] parts = arn.split(":", 6);
        if (!arn.matches("arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*")) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at 'deadLetterConfig.targetArn' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()",
                    arn);
        }
        if (parts.length < 6 || !(parts[2].equals("sqs") || parts[2].equals("sns"))) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "The target ARN %s of the DeadLetterConfig is not an Amazon SQS queue or Amazon SNS topic.", arn);
        }
        return arn;
    }

    /** The inline zip of a Code member (code from S3 is {@link CodeSources}'); images wait for ECR. */
    static byte[] zip(LambdaModel.FunctionCode code, String operation) {
        if (code.imageUri() != null) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Container image functions (ImageUri) are not supported by Stratus yet.");
        }
        return zip(code.zipFile(), operation);
    }

    static byte[] zip(byte[] zip, String operation) {
        if (zip == null || zip.length == 0) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Please provide a source for function code.");
        }
        if (zip.length > CodeStore.MAX_ZIP_BYTES) {
            throw AwsException.of(LambdaErrors.REQUEST_ENTITY_TOO_LARGE, "Request must be smaller than 69905067 bytes for the %s operation", operation);
        }
        CodeStore.validate(zip);
        return zip;
    }

    /**
     * Refuses to run a function that is not {@code Active}, as AWS does while it is {@code Pending}
     * (or {@code Failed}).
     */
    static void requireActive(FunctionRecord function) {
        if (!function.state().equals(FunctionRecord.ACTIVE)) {
            throw AwsException.of(LambdaErrors.RESOURCE_CONFLICT,
                    "The operation cannot be performed at this time. The function is currently in the following state: %s", function.state());
        }
    }

    /**
     * Refuses to change or publish a function while it is {@code Pending} or an update of it is in
     * progress, as AWS does.
     */
    static void requireSettled(FunctionRecord function) {
        if (function.state().equals(FunctionRecord.PENDING)) {
            requireActive(function);
        }
        if (FunctionRecord.IN_PROGRESS.equals(function.lastUpdateStatus())) {
            throw AwsException.of(LambdaErrors.RESOURCE_CONFLICT,
                    "The operation cannot be performed at this time. An update is in progress for resource: %s", function.arn());
        }
    }

    static void architectures(List<String> architectures) {
        if (architectures != null && !architectures.isEmpty() && !architectures.equals(List.of("x86_64"))) {
            // Functions run on this machine's processor, whatever it is; only the default is reported.
            if (architectures.size() > 1 || !architectures.getFirst().equals("arm64")) {
                throw AwsException.of(LambdaErrors.VALIDATION,
                        "1 validation error detected: Value '%s' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]",
                        architectures);
            }
        }
    }
}
