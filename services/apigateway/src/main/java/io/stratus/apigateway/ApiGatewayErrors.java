package io.stratus.apigateway;

import io.stratus.core.AwsErrorCode;

/** The error codes API Gateway's control planes answer with, REST APIs and HTTP APIs alike. */
public enum ApiGatewayErrors implements AwsErrorCode {
    BAD_REQUEST("BadRequestException", 400),
    NOT_FOUND("NotFoundException", 404),
    CONFLICT("ConflictException", 409),
    LIMIT_EXCEEDED("LimitExceededException", 429),
    TOO_MANY_REQUESTS("TooManyRequestsException", 429),
    /** What Stratus answers for a feature of API Gateway it does not have yet: never a fake success. */
    NOT_IMPLEMENTED("NotImplemented", 501);

    private final String code;
    private final int httpStatus;

    ApiGatewayErrors(String code, int httpStatus) {
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
