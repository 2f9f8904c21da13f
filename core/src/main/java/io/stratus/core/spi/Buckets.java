package io.stratus.core.spi;

/**
 * S3 buckets as delivery targets: Lambda's {@code OnFailure} destinations write their records
 * into one as objects. Implemented by the S3 service; {@link Targets} reaches it for
 * {@code arn:aws:s3:::<bucket>} targets.
 *
 * <p>Thread safety: callable from any number of threads at once.
 */
public interface Buckets {

    /** Whether the bucket exists. */
    boolean exists(String bucket);

    /**
     * Writes an object into the bucket as its owner would with PutObject: a new version in a
     * versioned bucket, the bucket's event notifications sent, durable once this returns.
     *
     * @throws io.stratus.core.AwsException S3's {@code NoSuchBucket} when the bucket does not exist
     */
    void put(String bucket, String key, byte[] body, String contentType);
}
