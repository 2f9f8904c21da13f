package io.stratus.kinesis;

import io.stratus.core.AwsErrorCode;
import io.stratus.core.AwsException;

/** The error codes Kinesis Data Streams answers with (all of them 400, as on AWS). */
public enum KinesisErrors implements AwsErrorCode {
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 400),
    RESOURCE_IN_USE("ResourceInUseException", 400),
    INVALID_ARGUMENT("InvalidArgumentException", 400),
    LIMIT_EXCEEDED("LimitExceededException", 400),
    EXPIRED_ITERATOR("ExpiredIteratorException", 400),
    VALIDATION("ValidationException", 400),
    ACCESS_DENIED("AccessDeniedException", 400);

    private final String code;
    private final int httpStatus;

    KinesisErrors(String code, int httpStatus) {
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

    static AwsException invalidArgument(String message, Object... args) {
        return AwsException.of(INVALID_ARGUMENT, message, args);
    }

    /** AWS's message for a member that breaks its constraint: {@code 1 validation error detected: Value '…' at '…' failed to satisfy constraint: …}. */
    static AwsException validation(Object value, String member, String constraint) {
        return AwsException.of(VALIDATION, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint);
    }
}
