package io.stratus.sts;

import io.stratus.core.AwsErrorCode;

/** The error codes STS answers with. */
public enum StsErrors implements AwsErrorCode {
    VALIDATION_ERROR("ValidationError", 400),
    MALFORMED_POLICY_DOCUMENT("MalformedPolicyDocument", 400),
    PACKED_POLICY_TOO_LARGE("PackedPolicyTooLarge", 400),
    ACCESS_DENIED("AccessDenied", 403);

    private final String code;
    private final int httpStatus;

    StsErrors(String code, int httpStatus) {
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
