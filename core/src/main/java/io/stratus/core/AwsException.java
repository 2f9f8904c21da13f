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
        super(message, cause, false, false);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
        this.details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(details, "details is null")));
        this.structuredDetails = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(structuredDetails, "structuredDetails is null")));
    }

    public static AwsException of(AwsErrorCode errorCode, String format, Object... args) {
        return new AwsException(errorCode, args.length == 0 ? format : String.format(format, args));
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
}
