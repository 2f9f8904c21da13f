package io.stratus.lambda;

import io.stratus.core.AwsErrorCode;

/** The error codes Lambda answers with. */
public enum LambdaErrors implements AwsErrorCode {
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 404),
    RESOURCE_CONFLICT("ResourceConflictException", 409),
    PROVISIONED_CONCURRENCY_CONFIG_NOT_FOUND("ProvisionedConcurrencyConfigNotFoundException", 404),
    CODE_SIGNING_CONFIG_NOT_FOUND("CodeSigningConfigNotFoundException", 404),
    CODE_VERIFICATION_FAILED("CodeVerificationFailedException", 400),
    INVALID_PARAMETER_VALUE("InvalidParameterValueException", 400),
    INVALID_REQUEST_CONTENT("InvalidRequestContentException", 400),
    VALIDATION("ValidationException", 400),
    REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLargeException", 413),
    TOO_MANY_REQUESTS("TooManyRequestsException", 429),
    RECURSIVE_INVOCATION("RecursiveInvocationException", 400),
    PRECONDITION_FAILED("PreconditionFailedException", 412),
    ACCESS_DENIED("AccessDeniedException", 403),
    SERVICE("ServiceException", 500);

    private final String code;
    private final int httpStatus;

    LambdaErrors(String code, int httpStatus) {
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
}
