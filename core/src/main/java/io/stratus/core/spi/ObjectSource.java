package io.stratus.core.spi;

import java.io.InputStream;

/**
 * Read-only access to S3 objects, for services that take their input from a bucket (Lambda's
 * function code and layers given as {@code S3Bucket}/{@code S3Key}). Implemented by the S3 service
 * with the same errors as its GetObject; the server hands it to the services that need it.
 *
 * <p>Thread safety: callable from any number of threads at once; each stream belongs to its caller.
 */
public interface ObjectSource {

    /**
     * Opens an object's bytes, as the account would read them with GetObject.
     *
     * @param accountId the account reading (its own buckets only)
     * @param bucket the bucket
     * @param key the object's key
     * @param versionId the version to read, or null for the current one
     * @return the whole body; the caller closes it
     * @throws io.stratus.core.AwsException with S3's code and message as GetObject answers them:
     *     {@code NoSuchBucket}, {@code NoSuchKey}, {@code NoSuchVersion}, {@code AccessDenied}
     */
    InputStream open(String accountId, String bucket, String key, String versionId);
}
