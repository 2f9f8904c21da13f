package io.stratus.core;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one exception services throw to answer with an AWS error. The protocol layer turns it into
 * the error shape of the protocol the request came in on; services never encode errors themselves.
 */
public final class AwsException extends RuntimeException {

    private final AwsErrorCode errorCode;
    private final Map<String, String> details;
    private final Map<String, Object> structuredDetails;
    private final Map<String, String> headers;

    public AwsException(AwsErrorCode errorCode, String message) {
        this(errorCode, message, Map.of(), null);
    }

    public AwsException(AwsErrorCode errorCode, String message, Throwable cause) {
        this(errorCode, message, Map.of(), cause);
    }

    /**
     * @param details extra members some services add to their errors (S3: {@code Key},
     *     {@code BucketName}), in the order given
     */
    public AwsException(AwsErrorCode errorCode, String message, Map<String, String> details, Throwable cause) {
        this(errorCode, message, details, Map.of(), cause);
    }

    /**
     * @param structuredDetails members that are structures rather than strings (DynamoDB's
     *     {@code Item} and {@code CancellationReasons}), which the JSON protocols serialize into
     *     the error body with Jackson; the XML protocols ignore them
     */
    public AwsException(AwsErrorCode errorCode, String message, Map<String, String> details, Map<String, Object> structuredDetails, Throwable cause) {
        this(errorCode, message, details, structuredDetails, Map.of(), cause);
    }

    private AwsException(AwsErrorCode errorCode, String message, Map<String, String> details, Map<String, Object> structuredDetails,
            Map<String, String> headers, Throwable cause) {
        super(message, cause, false, false);
        this.headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(headers, "headers is null")));
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
        this.details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(details, "details is null")));
        this.structuredDetails = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(structuredDetails, "structuredDetails is null")));
    }

    /**
     * This error with response headers added, for the errors whose protocol answers some beside
     * the body (S3's {@code x-amz-delete-marker} on the 404 of a key whose current version is a
     * delete marker). The REST protocols write them; the others ignore them.
     */
    public AwsException withHeaders(Map<String, String> added) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(requireNonNull(added, "added is null"));
        return new AwsException(errorCode, getMessage(), details, structuredDetails, all, getCause());
    }

    public static AwsException of(AwsErrorCode errorCode, String format, Object... args) {
        return new AwsException(errorCode, args.length == 0 ? format : String.format(format, args));
    }

    /**
     * Whether sending the same request again cannot help: a client-side error (the target is gone,
     * refuses the caller, refuses the request) rather than a throttle or a server-side failure.
     * What a service delivering to another decides its retries by.
     */
    public boolean isPermanent() {
        int status = errorCode.httpStatus();
        String code = errorCode.code();
        return status < 500 && status != 429 && !code.contains("Throttl") && !code.contains("TooManyRequests");
    }

    public AwsErrorCode errorCode() {
        return errorCode;
    }

    public Map<String, String> details() {
        return details;
    }

    public Map<String, Object> structuredDetails() {
        return structuredDetails;
    }

    /** Response headers that go with the error (see {@link #withHeaders}); usually none. */
    public Map<String, String> headers() {
        return headers;
    }
}
