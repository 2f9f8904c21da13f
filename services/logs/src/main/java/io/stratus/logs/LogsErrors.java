package io.stratus.logs;

import io.stratus.core.AwsErrorCode;
import io.stratus.core.AwsException;

/** The error codes CloudWatch Logs answers with, as named in its model, with their HTTP statuses. */
public enum LogsErrors implements AwsErrorCode {
    INVALID_PARAMETER("InvalidParameterException", 400),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 400),
    RESOURCE_ALREADY_EXISTS("ResourceAlreadyExistsException", 400),
    LIMIT_EXCEEDED("LimitExceededException", 400),
    MALFORMED_QUERY("MalformedQueryException", 400),
    VALIDATION("ValidationException", 400);

    private final String code;
    private final int httpStatus;

    LogsErrors(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public int httpStatus() {
        return httpStatus;
    }

    static AwsException invalidParameter(String format, Object... args) {
        return AwsException.of(INVALID_PARAMETER, format, args);
    }

    static AwsException groupNotFound() {
        return AwsException.of(RESOURCE_NOT_FOUND, "The specified log group does not exist.");
    }

    static AwsException streamNotFound() {
        return AwsException.of(RESOURCE_NOT_FOUND, "The specified log stream does not exist.");
    }

    /** AWS's wording for a member that breaks its model's constraint. */
    static AwsException constraint(String member, Object value, String constraint) {
        return AwsException.of(INVALID_PARAMETER, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint);
    }
}
