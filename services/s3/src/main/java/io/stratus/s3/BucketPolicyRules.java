package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.protocol.policy.PolicyRules;
import io.stratus.protocol.policy.Wildcards;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a bucket policy may name, as S3 checks it on PutBucketPolicy: S3's actions (each applying to
 * buckets, to objects, or to neither, like {@code s3:ListAllMyBuckets}), and resources of this
 * bucket — its ARN, or objects in it ({@code arn:aws:s3:::bucket/…}). Immutable.
 */
final class BucketPolicyRules implements PolicyRules {

    private enum Applies { BUCKET, OBJECT, NEITHER }

    private static final String[] OBJECT_ACTIONS = {
        "AbortMultipartUpload", "BypassGovernanceRetention", "DeleteObject", "DeleteObjectTagging", "DeleteObjectVersion",
        "DeleteObjectVersionTagging", "GetObject", "GetObjectAcl", "GetObjectAttributes", "GetObjectLegalHold", "GetObjectRetention",
        "GetObjectTagging", "GetObjectTorrent", "GetObjectVersion", "GetObjectVersionAcl", "GetObjectVersionAttributes",
        "GetObjectVersionForReplication", "GetObjectVersionTagging", "GetObjectVersionTorrent", "InitiateReplication",
        "ListMultipartUploadParts", "ObjectOwnerOverrideToBucketOwner", "PutObject", "PutObjectAcl", "PutObjectLegalHold",
        "PutObjectRetention", "PutObjectTagging", "PutObjectVersionAcl", "PutObjectVersionTagging", "ReplicateDelete",
        "ReplicateObject", "ReplicateTags", "RestoreObject"};
    private static final String[] BUCKET_ACTIONS = {
        "CreateBucket", "DeleteBucket", "DeleteBucketOwnershipControls", "DeleteBucketPolicy", "DeleteBucketWebsite",
        "GetAccelerateConfiguration", "GetAnalyticsConfiguration", "GetBucketAcl", "GetBucketCORS", "GetBucketLocation",
        "GetBucketLogging", "GetBucketNotification", "GetBucketObjectLockConfiguration", "GetBucketOwnershipControls",
        "GetBucketPolicy", "GetBucketPolicyStatus", "GetBucketPublicAccessBlock", "GetBucketRequestPayment", "GetBucketTagging",
        "GetBucketVersioning", "GetBucketWebsite", "GetEncryptionConfiguration", "GetIntelligentTieringConfiguration",
        "GetInventoryConfiguration", "GetLifecycleConfiguration", "GetMetricsConfiguration", "GetReplicationConfiguration",
        "ListBucket", "ListBucketMultipartUploads", "ListBucketVersions", "PutAccelerateConfiguration", "PutAnalyticsConfiguration",
        "PutBucketAcl", "PutBucketCORS", "PutBucketLogging", "PutBucketNotification", "PutBucketObjectLockConfiguration",
        "PutBucketOwnershipControls", "PutBucketPolicy", "PutBucketPublicAccessBlock", "PutBucketRequestPayment", "PutBucketTagging",
        "PutBucketVersioning", "PutBucketWebsite", "PutEncryptionConfiguration", "PutIntelligentTieringConfiguration",
        "PutInventoryConfiguration", "PutLifecycleConfiguration", "PutMetricsConfiguration", "PutReplicationConfiguration",
        "GetBucketMetadataTableConfiguration", "CreateBucketMetadataTableConfiguration", "DeleteBucketMetadataTableConfiguration",
        "PutBucketAbac", "GetBucketAbac"};
    /** S3's actions on the account, access points, jobs and the like: valid names, but for no bucket or object. */
    private static final String[] OTHER_ACTIONS = {
        "ListAllMyBuckets", "ListAccessPoints", "ListAccessPointsForObjectLambda", "ListJobs", "ListStorageLensConfigurations",
        "CreateAccessPoint", "DeleteAccessPoint", "GetAccessPoint", "GetAccessPointPolicy", "PutAccessPointPolicy",
        "GetAccountPublicAccessBlock", "PutAccountPublicAccessBlock", "CreateJob", "DescribeJob", "UpdateJobPriority",
        "UpdateJobStatus", "GetStorageLensConfiguration", "PutStorageLensConfiguration", "CreateMultiRegionAccessPoint",
        "ListMultiRegionAccessPoints", "CreateSession", "ListAllMyDirectoryBuckets"};

    /** Every action by its name ({@code s3:GetObject}), with what it applies to. */
    private static final Map<String, Applies> ACTIONS = Stream.of(
                    Stream.of(OBJECT_ACTIONS).map(a -> Map.entry("s3:" + a, Applies.OBJECT)),
                    Stream.of(BUCKET_ACTIONS).map(a -> Map.entry("s3:" + a, Applies.BUCKET)),
                    Stream.of(OTHER_ACTIONS).map(a -> Map.entry("s3:" + a, Applies.NEITHER)))
            .flatMap(s -> s)
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    private final String bucketArn;

    BucketPolicyRules(String bucket) {
        this.bucketArn = "arn:aws:s3:::" + requireNonNull(bucket, "bucket is null");
    }

    @Override
    public boolean validAction(String action) {
        return ACTIONS.keySet().stream().anyMatch(known -> Wildcards.matches(action, known, true));
    }

    /** An S3 ARN that names this bucket or objects in it, wildcards included ({@code *} alone names no bucket: S3 refuses it). */
    @Override
    public boolean validResource(String resource) {
        return resource.startsWith("arn:") && (namesBucket(resource) || namesObjects(resource));
    }

    @Override
    public boolean applies(String action, String resource) {
        boolean bucket = namesBucket(resource);
        boolean objects = namesObjects(resource);
        return ACTIONS.entrySet().stream().anyMatch(known -> (known.getValue() == Applies.BUCKET && bucket
                || known.getValue() == Applies.OBJECT && objects) && Wildcards.matches(action, known.getKey(), true));
    }

    private boolean namesBucket(String resource) {
        return Wildcards.matches(resource, bucketArn, false);
    }

    /** Whether the resource names objects of the bucket: under its ARN, or a pattern that also matches an object's. */
    private boolean namesObjects(String resource) {
        return resource.startsWith(bucketArn + "/") || Wildcards.matches(resource, bucketArn + "/key", false);
    }
}
