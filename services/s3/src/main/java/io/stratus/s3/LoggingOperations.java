package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.s3.BucketConfigOperations.ConfigDocument;
import io.stratus.s3.BucketConfigOperations.ConfigRequest;
import io.stratus.s3.BucketConfigOperations.NoContent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PutBucketLogging and GetBucketLogging: a bucket's server access logging ({@link BucketLogging}),
 * checked as S3 checks it and stored as sent; {@link AccessLogs} writes the logs. Thread-safe.
 */
final class LoggingOperations {

    static final String SUBRESOURCE = "logging";
    private static final String DISABLED = "<BucketLoggingStatus xmlns=\"" + S3Service.XML_NAMESPACE + "\"/>";

    private final BucketStore buckets;
    private final BucketAccess access;
    private final Clock clock;

    LoggingOperations(BucketStore buckets, BucketAccess access, Clock clock) {
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.access = requireNonNull(access, "access is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Enables logging into a target bucket, or disables it with a status that has no
     * {@code LoggingEnabled}. The target must exist, belong to the source's owner, be in its
     * region, take no target grants (refused when its ownership is enforced, not implemented otherwise), not be a Requester Pays bucket, keep no
     * Object Lock default retention, and let S3's log delivery write there by its bucket policy.
     */
    NoContent put(RequestContext context, ConfigRequest request) {
        Bucket source = buckets.require(context, request.bucket());
        byte[] document = request.document() == null ? new byte[0] : request.document();
        BucketLogging logging = BucketLogging.parse(document);
        if (logging != null) {
            check(source, logging);
        }
        buckets.putConfig(context, request.bucket(), SUBRESOURCE, document);
        return new NoContent();
    }

    ConfigDocument get(RequestContext context, BucketModel.BucketRequest request) {
        buckets.require(context, request.bucket());
        byte[] document = buckets.config(request.bucket(), SUBRESOURCE).orElse(DISABLED.getBytes(StandardCharsets.UTF_8));
        return new ConfigDocument("application/xml", document);
    }

    private void check(Bucket source, BucketLogging logging) {
        Bucket target = BucketStore.read(buckets.store(), logging.targetBucket());
        if (target == null) {
            throw invalidTarget(logging, "The target bucket for logging does not exist");
        }
        if (!target.account().equals(source.account())) {
            throw invalidTarget(logging, "The owner for the bucket to be logged and the target bucket must be the same.");
        }
        if (!target.region().equals(source.region())) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("SourceBucketLocation", source.region());
            details.put("TargetBucketLocation", target.region());
            throw new AwsException(S3Errors.CROSS_LOCATION_LOGGING_PROHIBITTED, "Cross S3 location logging not allowed. ", details, null);
        }
        if (logging.hasGrants() && !target.acls()) {
            throw AwsException.of(S3Errors.ACCESS_CONTROL_LIST_NOT_SUPPORTED, "Target grants not allowed for bucket owner enforced buckets");
        }
        if (logging.hasGrants()) {
            throw AwsException.of(io.stratus.core.CommonErrors.NOT_IMPLEMENTED, "Target grants are not implemented in Stratus yet.");
        }
        if (access.requesterPays(target)) {
            throw invalidTarget(logging, "The target bucket for logging must not be a Requester Pays bucket");
        }
        ObjectLockOperations.Configuration lock = target.objectLock() ? ObjectLockOperations.configuration(buckets.store(), target.name()) : null;
        if (lock != null && lock.mode() != null) {
            throw invalidTarget(logging, "The target bucket for logging must not have an Object Lock default retention period");
        }
        if (!access.allowsLogDelivery(target, source, logging.targetPrefix(), clock.instant())) {
            throw invalidTarget(logging, "You must either provide the necessary permissions to the logging service using a bucket policy "
                    + "or give the log-delivery group WRITE and READ_ACP permissions to the target bucket");
        }
    }

    private static AwsException invalidTarget(BucketLogging logging, String message) {
        return new AwsException(S3Errors.INVALID_TARGET_BUCKET_FOR_LOGGING, message, Map.of("TargetBucket", logging.targetBucket()), null);
    }
}
