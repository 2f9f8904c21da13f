package io.stratus.events;

import io.stratus.core.AwsErrorCode;
import io.stratus.core.AwsException;

/** The error codes EventBridge answers with, as named in its model; all but InternalException are 400s. */
public enum EventsErrors implements AwsErrorCode {
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 400),
    RESOURCE_ALREADY_EXISTS("ResourceAlreadyExistsException", 400),
    VALIDATION("ValidationException", 400),
    INVALID_EVENT_PATTERN("InvalidEventPatternException", 400),
    LIMIT_EXCEEDED("LimitExceededException", 400),
    CONCURRENT_MODIFICATION("ConcurrentModificationException", 400),
    POLICY_LENGTH_EXCEEDED("PolicyLengthExceededException", 400),
    ACCESS_DENIED("AccessDeniedException", 400),
    INTERNAL("InternalException", 500);

    private final String code;
    private final int httpStatus;

    EventsErrors(String code, int httpStatus) {
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

    static AwsException validation(String format, Object... args) {
        return AwsException.of(VALIDATION, format, args);
    }

    static AwsException busNotFound(String bus) {
        return AwsException.of(RESOURCE_NOT_FOUND, "Event bus %s does not exist.", bus);
    }

    static AwsException ruleNotFound(String rule, String bus) {
        return AwsException.of(RESOURCE_NOT_FOUND, "Rule %s does not exist on EventBus %s.", rule, bus);
    }

    /** AWS's wording for a member that breaks its model's constraint. */
    static AwsException constraint(String member, Object value, String constraint) {
        return AwsException.of(VALIDATION, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint);
    }
}
