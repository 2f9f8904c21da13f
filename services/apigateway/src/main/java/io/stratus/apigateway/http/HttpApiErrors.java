package io.stratus.apigateway.http;

import io.stratus.core.AwsErrorCode;

/** The error codes the HTTP API control plane ({@code apigatewayv2}) answers with. */
public enum HttpApiErrors implements AwsErrorCode {
    NOT_FOUND("NotFoundException", 404),
    BAD_REQUEST("BadRequestException", 400),
    CONFLICT("ConflictException", 409),
    TOO_MANY_REQUESTS("TooManyRequestsException", 429),
    /** What Stratus answers for a feature of API Gateway it does not have yet: never a fake success. */
    NOT_IMPLEMENTED("NotImplemented", 501);

    private final String code;
    private final int httpStatus;

    HttpApiErrors(String code, int httpStatus) {
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
