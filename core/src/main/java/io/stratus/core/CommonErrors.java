package io.stratus.core;

/** Errors every AWS service shares: the edge, the protocols and SigV4 raise these. */
public enum CommonErrors implements AwsErrorCode {
    INTERNAL_FAILURE("InternalFailure", 500),
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503),
    UNKNOWN_OPERATION("UnknownOperationException", 400),
    INVALID_ACTION("InvalidAction", 400),
    MISSING_ACTION("MissingAction", 400),
    SERIALIZATION("SerializationException", 400),
    MALFORMED_QUERY_STRING("MalformedQueryString", 404),
    INVALID_PARAMETER_VALUE("InvalidParameterValue", 400),
    INVALID_ARGUMENT("InvalidArgument", 400),
    MISSING_PARAMETER("MissingParameter", 400),
    VALIDATION("ValidationException", 400),
    VALIDATION_ERROR("ValidationError", 400),
    NOT_IMPLEMENTED("NotImplemented", 501),
    METHOD_NOT_ALLOWED("MethodNotAllowed", 405),
    UNSUPPORTED_MEDIA_TYPE("UnsupportedMediaTypeException", 415),
    REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLargeException", 413, "RequestEntityTooLarge"),
    REQUEST_TIMEOUT("RequestTimeout", 400),
    INCOMPLETE_BODY("IncompleteBody", 400),
    BAD_REQUEST("BadRequest", 400),

    // Authentication (SigV4).
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationToken", 403),
    INCOMPLETE_SIGNATURE("IncompleteSignature", 400),
    INVALID_SIGNATURE("InvalidSignatureException", 400),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403),
    INVALID_CLIENT_TOKEN_ID("InvalidClientTokenId", 403),
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", 400),
    REQUEST_TIME_TOO_SKEWED("RequestTimeTooSkewed", 403),
    ACCESS_DENIED("AccessDenied", 403),
    ACCESS_DENIED_EXCEPTION("AccessDeniedException", 403),
    AUTHORIZATION_QUERY_PARAMETERS_ERROR("AuthorizationQueryParametersError", 400),
    X_AMZ_CONTENT_SHA256_MISMATCH("XAmzContentSHA256Mismatch", 400),
    INVALID_DIGEST("InvalidDigest", 400),
    BAD_DIGEST("BadDigest", 400),
    INVALID_REQUEST("InvalidRequest", 400),
    EXPIRED_TOKEN("ExpiredTokenException", 403, "ExpiredToken"),
    MALFORMED_XML("MalformedXML", 400);

    private final String code;
    private final int httpStatus;
    private final String queryCode;

    CommonErrors(String code, int httpStatus) {
        this(code, httpStatus, code);
    }

    CommonErrors(String code, int httpStatus, String queryCode) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.queryCode = queryCode;
    }

    /** The awsQuery and restXml spelling, where AWS's JSON services spell it differently. */
    @Override
    public String queryCode() {
        return queryCode;
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
