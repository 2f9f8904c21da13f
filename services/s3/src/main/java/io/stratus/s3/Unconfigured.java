package io.stratus.s3;

/**
 * Bucket subresources Stratus cannot configure yet (their PUT is {@code NotImplemented}), so a
 * GET truthfully answers what S3 answers for a bucket without that configuration: an empty or
 * default document, or S3's "not found" error. Infrastructure tools read all of them.
 *
 * @param document the answer, or null when the answer is {@code error}
 */
enum Unconfigured {
    REPLICATION("replication", "GetBucketReplication", null, S3Errors.REPLICATION_CONFIGURATION_NOT_FOUND, "The replication configuration was not found");

    private final String subresource;
    private final String operation;
    private final String document;
    private final S3Errors error;
    private final String errorMessage;

    Unconfigured(String subresource, String operation, String document, S3Errors error, String errorMessage) {
        this.subresource = subresource;
        this.operation = operation;
        this.document = document;
        this.error = error;
        this.errorMessage = errorMessage;
    }

    String subresource() {
        return subresource;
    }

    String operation() {
        return operation;
    }

    String document() {
        return document;
    }

    /** The "not configured" error, when there is no document. */
    S3Errors error() {
        return error;
    }

    String errorMessage() {
        return errorMessage;
    }
}
