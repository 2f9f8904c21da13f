package io.stratus.protocol.auth;

import io.stratus.core.AwsErrorCode;

/**
 * The S3-only authentication codes that {@link io.stratus.core.CommonErrors} does not carry.
 * S3 answers signature problems with its own codes; every other service uses the common ones.
 */
public enum SigV4Errors implements AwsErrorCode {
    /** S3's answer for an unknown access key (other services: {@code InvalidClientTokenId}). */
    INVALID_ACCESS_KEY_ID("InvalidAccessKeyId", 403),
    /** S3's answer for an {@code Authorization} header it cannot parse. */
    AUTHORIZATION_HEADER_MALFORMED("AuthorizationHeaderMalformed", 400),
    /** S3's answer for two authentication mechanisms in one request, among others. */
    INVALID_ARGUMENT("InvalidArgument", 400),
    /** S3's answer for an aws-chunked trailer that is missing or not well formed. */
    MALFORMED_TRAILER("MalformedTrailerError", 400);

    private final String code;
    private final int httpStatus;

    SigV4Errors(String code, int httpStatus) {
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
