package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.s3.BucketModel.BucketEntry;
import io.stratus.s3.BucketModel.BucketRequest;
import io.stratus.s3.BucketModel.CreateBucketRequest;
import io.stratus.s3.BucketModel.CreateBucketResponse;
import io.stratus.s3.BucketModel.GetBucketLocationResponse;
import io.stratus.s3.BucketModel.HeadBucketResponse;
import io.stratus.s3.BucketModel.ListBucketsRequest;
import io.stratus.s3.BucketModel.ListBucketsResponse;
import io.stratus.s3.BucketModel.NoOutput;
import io.stratus.s3.BucketModel.Owner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** CreateBucket, HeadBucket, ListBuckets, DeleteBucket and GetBucketLocation. Thread-safe. */
final class BucketOperations {

    static final String US_EAST_1 = "us-east-1";
    /** S3's oldest LocationConstraint, still accepted: an alias of eu-west-1. */
    private static final String EU = "EU";
    private static final int MAX_BUCKETS = 10_000;
    /** The regions a LocationConstraint may name (AWS's commercial regions). */
    static final Set<String> REGIONS = Set.of(
            "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-south-1", "ap-south-2",
            "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
            "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
            "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1", "il-central-1", "me-south-1",
            "me-central-1", "mx-central-1", "sa-east-1");

    private final BucketStore buckets;
    private final Clock clock;
    private final MultipartOperations uploads;

    BucketOperations(BucketStore buckets, MultipartOperations uploads, Clock clock) {
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.uploads = requireNonNull(uploads, "uploads is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    CreateBucketResponse createBucket(RequestContext context, CreateBucketRequest request) {
        String name = request.bucket();
        BucketNames.check(name);
        String constraint = request.configuration() == null ? null : request.configuration().locationConstraint();
        String region = region(context, constraint);
        String ownership = request.objectOwnership();
        if (ownership != null && !Set.of("BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced").contains(ownership)) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Invalid x-amz-object-ownership header: %s", ownership);
        }
        Acl acl = new WriteAcl(request.acl(), request.grants()).forNewBucket(ownership, context.accountId());
        buckets.store().transaction(txn -> {
            Bucket existing = BucketStore.read(txn, name);
            if (existing != null && !existing.account().equals(context.accountId())) {
                throw new AwsException(S3Errors.BUCKET_ALREADY_EXISTS,
                        "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
                        java.util.Map.of("BucketName", name), null);
            }
            if (existing != null) {
                // As on AWS, us-east-1 answers a repeated create of one's own bucket there with success.
                if (existing.region().equals(US_EAST_1) && region.equals(US_EAST_1)) {
                    return null;
                }
                throw new AwsException(S3Errors.BUCKET_ALREADY_OWNED_BY_YOU,
                        "Your previous request to create the named bucket succeeded and you already own it.", java.util.Map.of("BucketName", name), null);
            }
            // A bucket made with Object Lock has versioning enabled from the start, for good.
            boolean objectLock = Boolean.TRUE.equals(request.objectLockEnabled());
            BucketStore.write(txn, new Bucket(name, context.accountId(), region, clock.millis(), objectLock ? "Enabled" : null,
                    EU.equals(constraint) ? EU : null, null, objectLock,
                    ownership != null && !ownership.equals(WriteAcl.ENFORCED)));
            if (objectLock) {
                BucketStore.putConfig(txn, name, ObjectLockOperations.CONFIG, S3Json.encode(ObjectLockOperations.Configuration.ENABLED));
            }
            if (ownership != null) {
                BucketStore.putConfig(txn, name, BucketConfig.OWNERSHIP_CONTROLS.subresource(), ("<OwnershipControls xmlns=\"" + S3Service.XML_NAMESPACE
                        + "\"><Rule><ObjectOwnership>" + ownership + "</ObjectOwnership></Rule></OwnershipControls>").getBytes(StandardCharsets.UTF_8));
            }
            if (acl != null) {
                BucketStore.putConfig(txn, name, AclOperations.CONFIG, S3Json.encode(acl));
            }
            return null;
        });
        return new CreateBucketResponse("/" + name);
    }

    /** The region a new bucket goes to, by S3's LocationConstraint rules ({@code EU} is eu-west-1). */
    private static String region(RequestContext context, String constraint) {
        String endpoint = context.region();
        if (constraint == null || constraint.isEmpty()) {
            if (!endpoint.equals(US_EAST_1)) {
                throw AwsException.of(S3Errors.ILLEGAL_LOCATION_CONSTRAINT,
                        "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.");
            }
            return US_EAST_1;
        }
        String region = constraint.equals(EU) ? "eu-west-1" : constraint;
        if (region.equals(US_EAST_1) || !REGIONS.contains(region)) {
            throw AwsException.of(S3Errors.INVALID_LOCATION_CONSTRAINT, "The specified location-constraint is not valid");
        }
        // The us-east-1 endpoint creates buckets in every region; the others only in their own.
        if (!region.equals(endpoint) && !endpoint.equals(US_EAST_1)) {
            throw AwsException.of(S3Errors.ILLEGAL_LOCATION_CONSTRAINT,
                    "The %s location constraint is incompatible for the region specific endpoint this request was sent to.", constraint);
        }
        return region;
    }

    HeadBucketResponse headBucket(RequestContext context, BucketRequest request) {
        return new HeadBucketResponse(buckets.require(context, request.bucket()).region());
    }

    GetBucketLocationResponse getBucketLocation(RequestContext context, BucketRequest request) {
        Bucket bucket = buckets.require(context, request.bucket());
        // us-east-1 buckets answer an empty LocationConstraint, as on AWS, and EU buckets the alias they were created with.
        String location = bucket.locationConstraint() != null ? bucket.locationConstraint() : bucket.region().equals(US_EAST_1) ? "" : bucket.region();
        return new GetBucketLocationResponse("application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<LocationConstraint xmlns=\"" + S3Service.XML_NAMESPACE + "\">" + location + "</LocationConstraint>");
    }

    ListBucketsResponse listBuckets(RequestContext context, ListBucketsRequest request) {
        int max = request.maxBuckets() == null ? MAX_BUCKETS : request.maxBuckets();
        if (max < 1 || max > MAX_BUCKETS) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Argument max-buckets must be an integer between 1 and %d.", MAX_BUCKETS);
        }
        String after = request.continuationToken() == null ? null : ObjectListing.decodeToken(request.continuationToken());
        String prefix = request.prefix() == null ? "" : request.prefix();
        List<Bucket> page = buckets.list(context.accountId(), prefix, after, max + 1).stream()
                .filter(b -> request.bucketRegion() == null || b.region().equals(request.bucketRegion()))
                .toList();
        boolean more = page.size() > max;
        List<Bucket> shown = more ? page.subList(0, max) : page;
        List<BucketEntry> entries = shown.stream()
                .map(b -> new BucketEntry(b.name(), Instant.ofEpochMilli(b.createdMillis()), b.region()))
                .toList();
        // Tokens as ListObjectsV2 makes them: one Stratus did not make is InvalidArgument.
        String token = more ? ObjectListing.encodeToken(shown.getLast().name()) : null;
        return new ListBucketsResponse(owner(context.accountId()), entries, token, request.prefix());
    }

    NoOutput deleteBucket(RequestContext context, BucketRequest request) {
        String name = request.bucket();
        Bucket bucket = buckets.locks().exclusive(name, () -> buckets.store().transaction(txn -> {
            Bucket found = BucketStore.require(txn, context, name);
            if (!ObjectStore.isEmpty(txn, name) || Versions.hasVersions(txn, name)) {
                throw new AwsException(S3Errors.BUCKET_NOT_EMPTY, "The bucket you tried to delete is not empty", java.util.Map.of("BucketName", name), null);
            }
            BucketStore.remove(txn, found);
            return found;
        }));
        uploads.abortAll(bucket.name());
        return new NoOutput();
    }

    /** The owner S3 reports: a canonical user id derived from the account. */
    static Owner owner(String account) {
        return new Owner(Digests.sha256Hex(("stratus-canonical-user:" + account).getBytes(StandardCharsets.UTF_8)), account);
    }
}
