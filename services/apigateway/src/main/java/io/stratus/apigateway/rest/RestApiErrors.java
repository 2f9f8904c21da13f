package io.stratus.apigateway.rest;

import io.stratus.core.AwsErrorCode;

/** The error codes the REST API control plane answers with. */
public enum RestApiErrors implements AwsErrorCode {
    BAD_REQUEST("BadRequestException", 400),
    NOT_FOUND("NotFoundException", 404),
    CONFLICT("ConflictException", 409),
    LIMIT_EXCEEDED("LimitExceededException", 429);

    private final String code;
    private final int httpStatus;

    RestApiErrors(String code, int httpStatus) {
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
