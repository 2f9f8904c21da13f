package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.OperationGuard;
import io.stratus.protocol.policy.AccessRequest;
import io.stratus.protocol.policy.Decision;
import io.stratus.protocol.policy.PolicyCache;
import io.stratus.protocol.policy.PolicyDocument;
import io.stratus.protocol.policy.PolicyException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Who may call an S3 operation on a bucket: the bucket policy, read as AWS reads it for a caller
 * whose identity policies allow everything (Stratus has none). The owner's account may do what
 * the policy does not explicitly deny; another account needs the policy's allow — and none at
 * all when the policy is public and the bucket's Block Public Access restricts public buckets.
 * The bucket policy's own operations stay with the owner, whatever the policy says, as S3 keeps
 * them for the owner's root user. A caller let in from another account acts in the owner's
 * account, as with S3's default {@code BucketOwnerEnforced} ownership, where the bucket owner owns
 * every object. Safe for concurrent use.
 */
final class BucketAccess implements OperationGuard {

    /** Not about an existing bucket (or, for preflights and browser forms, checked on their own terms). */
    private static final Set<String> UNGUARDED = Set.of("ListBuckets", "CreateBucket", "PreflightBucket", "PreflightObject", "PostObject");
    private static final Set<String> POLICY_OPERATIONS = Set.of("GetBucketPolicy", "PutBucketPolicy", "DeleteBucketPolicy");
    /** S3's action names where they differ from the operation's. */
    private static final Map<String, String> ACTIONS = Map.ofEntries(
            Map.entry("HeadBucket", "ListBucket"), Map.entry("ListObjects", "ListBucket"), Map.entry("ListObjectsV2", "ListBucket"),
            Map.entry("ListObjectVersions", "ListBucketVersions"), Map.entry("DeleteObjects", "DeleteObject"), Map.entry("HeadObject", "GetObject"),
            Map.entry("CreateMultipartUpload", "PutObject"), Map.entry("UploadPart", "PutObject"),
            Map.entry("CompleteMultipartUpload", "PutObject"), Map.entry("ListParts", "ListMultipartUploadParts"),
            Map.entry("ListMultipartUploads", "ListBucketMultipartUploads"), Map.entry("DeleteBucketTagging", "PutBucketTagging"),
            Map.entry("PutBucketNotificationConfiguration", "PutBucketNotification"),
            Map.entry("GetBucketNotificationConfiguration", "GetBucketNotification"),
            Map.entry("PutBucketLifecycleConfiguration", "PutLifecycleConfiguration"),
            Map.entry("GetBucketLifecycleConfiguration", "GetLifecycleConfiguration"), Map.entry("DeleteBucketLifecycle", "PutLifecycleConfiguration"),
            Map.entry("PutBucketCors", "PutBucketCORS"), Map.entry("GetBucketCors", "GetBucketCORS"), Map.entry("DeleteBucketCors", "PutBucketCORS"),
            Map.entry("PutBucketEncryption", "PutEncryptionConfiguration"), Map.entry("GetBucketEncryption", "GetEncryptionConfiguration"),
            Map.entry("DeleteBucketEncryption", "PutEncryptionConfiguration"), Map.entry("DeleteBucketOwnershipControls", "PutBucketOwnershipControls"),
            Map.entry("PutPublicAccessBlock", "PutBucketPublicAccessBlock"), Map.entry("GetPublicAccessBlock", "GetBucketPublicAccessBlock"),
            Map.entry("DeletePublicAccessBlock", "PutBucketPublicAccessBlock"),
            Map.entry("PutObjectLockConfiguration", "PutBucketObjectLockConfiguration"),
            Map.entry("GetObjectLockConfiguration", "GetBucketObjectLockConfiguration"),
            Map.entry("PutBucketAccelerateConfiguration", "PutAccelerateConfiguration"),
            Map.entry("GetBucketAccelerateConfiguration", "GetAccelerateConfiguration"),
            Map.entry("PutBucketInventoryConfiguration", "PutInventoryConfiguration"),
            Map.entry("DeleteBucketInventoryConfiguration", "PutInventoryConfiguration"),
            Map.entry("GetBucketInventoryConfiguration", "GetInventoryConfiguration"),
            Map.entry("ListBucketInventoryConfigurations", "GetInventoryConfiguration"));
    /** Actions that take a {@code Version} form when the request names a version. */
    private static final Set<String> VERSIONED = Set.of("GetObject", "DeleteObject", "GetObjectAcl", "PutObjectAcl", "GetObjectTagging",
            "PutObjectTagging", "DeleteObjectTagging", "GetObjectAttributes");

    /** Actions whose requests have the object's tags as {@code s3:ExistingObjectTag/<key>} (not PutObject's or DeleteObject's, as in S3). */
    private static final Set<String> EXISTING_TAG_ACTIONS = Set.of("GetObject", "GetObjectAcl", "GetObjectTagging", "GetObjectAttributes",
            "PutObjectAcl", "PutObjectTagging", "DeleteObjectTagging", "RestoreObject", "GetObjectRetention", "PutObjectRetention",
            "GetObjectLegalHold", "PutObjectLegalHold");

    /** What an ACL must grant on a bucket for each action it can allow there, by S3's mapping of ACL permissions to actions. */
    private static final Map<String, Acl.Permission> BUCKET_ACL_PERMISSIONS = Map.of("ListBucket", Acl.Permission.READ,
            "ListBucketVersions", Acl.Permission.READ, "ListBucketMultipartUploads", Acl.Permission.READ, "PutObject", Acl.Permission.WRITE,
            "DeleteObject", Acl.Permission.WRITE, "DeleteObjectVersion", Acl.Permission.WRITE, "GetBucketAcl", Acl.Permission.READ_ACP,
            "PutBucketAcl", Acl.Permission.WRITE_ACP);
    /** What an ACL must grant on an object for each action it can allow there. */
    private static final Map<String, Acl.Permission> OBJECT_ACL_PERMISSIONS = Map.of("GetObject", Acl.Permission.READ,
            "GetObjectVersion", Acl.Permission.READ, "GetObjectAcl", Acl.Permission.READ_ACP, "GetObjectVersionAcl", Acl.Permission.READ_ACP,
            "PutObjectAcl", Acl.Permission.WRITE_ACP, "PutObjectVersionAcl", Acl.Permission.WRITE_ACP);

    private static final String EXPECTED_OWNER = "x-amz-expected-bucket-owner";
    private static final String SOURCE_EXPECTED_OWNER = "x-amz-source-expected-bucket-owner";
    private static final String REQUEST_PAYER = "x-amz-request-payer";

    /** The service principal that delivers server access logs. */
    static final String LOG_DELIVERY = "logging.s3.amazonaws.com";
    static final String S3_SERVICE = "s3.amazonaws.com";

    private final BucketStore buckets;
    private final PolicyCache policies = new PolicyCache(256);

    BucketAccess(BucketStore buckets) {
        this.buckets = requireNonNull(buckets, "buckets is null");
    }

    @Override
    public RequestContext check(String operation, RequestContext context, Object input, HttpRequest request) {
        boolean anonymous = context.principal().anonymous();
        if (anonymous && (operation.equals("ListBuckets") || operation.equals("CreateBucket") || !(input instanceof BucketAddressed))) {
            throw denied(); // nobody's buckets to list, nobody to own a new one
        }
        if (UNGUARDED.contains(operation) || !(input instanceof BucketAddressed addressed)) {
            return context;
        }
        Bucket bucket = BucketStore.read(buckets.store(), addressed.bucket());
        if (bucket == null) {
            return context; // the operation answers NoSuchBucket
        }
        // The caller's word on whose bucket it means to use, checked before anything else, for the owner too.
        expectOwner(request.header(EXPECTED_OWNER), bucket);
        if (request.header(SOURCE_EXPECTED_OWNER).isPresent() && request.header("x-amz-copy-source").isPresent()) {
            expectOwner(request.header(SOURCE_EXPECTED_OWNER),
                    BucketStore.read(buckets.store(), CopySource.parse(request.header("x-amz-copy-source").get()).bucket()));
        }
        boolean owner = bucket.account().equals(context.accountId());
        if (!owner && !operation.startsWith("Preflight") && requesterPays(bucket)
                && (anonymous || !request.header(REQUEST_PAYER).map(payer -> payer.equalsIgnoreCase("requester")).orElse(false))) {
            throw denied(); // another account's request must accept the charges of a Requester Pays bucket; nobody cannot
        }
        if (POLICY_OPERATIONS.contains(operation)) {
            if (!owner) {
                throw denied();
            }
            return context;
        }
        PolicyDocument policy = policy(bucket);
        // An object another account wrote may be closed even to the bucket's owner, where ACLs apply.
        boolean objectAcl = bucket.acls() && input instanceof ObjectAddressed && OBJECT_ACL_PERMISSIONS.containsKey(action(operation, input));
        if (owner && policy == null && !objectAcl) {
            return context; // the common case: nothing could deny the owner
        }
        if (!owner && policy != null && policy.isPublic() && blocks(bucket, "RestrictPublicBuckets")) {
            throw denied();
        }
        // A DeleteObjects goes on: it answers each key the caller may not delete in its response (see deniedDeletes), as S3 does
        // — unless nothing could let an anonymous caller delete anything here (no public policy, no ACLs).
        if (operation.equals("DeleteObjects") && anonymous && (policy == null || !policy.isPublic()) && !bucket.acls()) {
            throw denied();
        }
        if (!operation.equals("DeleteObjects")) {
            Map<String, List<String>> keys = S3ConditionKeys.of(context, input);
            if (input instanceof ObjectAddressed object && EXISTING_TAG_ACTIONS.contains(ACTIONS.getOrDefault(operation, operation))
                    && policy != null && policy.testsKey(S3ConditionKeys.EXISTING_TAG)) {
                keys.putAll(S3ConditionKeys.existingTags(existingTags(bucket, object)));
            }
            for (String resource : resources(bucket.name(), operation, input)) {
                AccessRequest asked = AccessRequest.of(context, "s3:" + action(operation, input), resource, keys);
                ObjectAddressed object = input instanceof ObjectAddressed addressedObject ? addressedObject : null;
                if (!permitted(policy, bucket, context, asked, object == null ? null : object.key(), object == null ? null : object.versionId())) {
                    throw denied();
                }
                // Deleting or shortening what a GOVERNANCE retention keeps takes a permission of its own.
                if (bypassesGovernance(input) && !PolicyDocument.permits(policy, bucket.account(),
                        AccessRequest.of(context, "s3:BypassGovernanceRetention", resource, keys))) {
                    throw denied();
                }
            }
        }
        return owner ? context
                : context.inAccount(bucket.account());
    }

    /**
     * Checks a browser form's upload as S3 authorizes it, as a PutObject of {@code key}: the bucket
     * policy, for the caller the form's signature proves (an owner's or another account's, which
     * needs the policy's allow), with the form's fields that S3 names as condition keys. Returns the
     * context the write acts in: the bucket owner's, as {@link #check} gives it.
     */
    RequestContext checkPost(RequestContext caller, Bucket bucket, String key, Map<String, String> fields) {
        boolean owner = bucket.account().equals(caller.accountId());
        PolicyDocument policy = policy(bucket);
        if (owner && policy == null) {
            return caller;
        }
        if (!owner && (policy == null && !bucket.acls() || policy != null && policy.isPublic() && blocks(bucket, "RestrictPublicBuckets"))) {
            throw denied();
        }
        AccessRequest request = AccessRequest.of(caller, "s3:PutObject", "arn:aws:s3:::" + bucket.name() + "/" + key,
                S3ConditionKeys.ofForm(caller, fields));
        if (!permitted(policy, bucket, caller, request, null, null)) {
            throw denied();
        }
        return owner ? caller : caller.inAccount(bucket.account());
    }

    /**
     * Which keys of a DeleteObjects the caller may not delete ({@code s3:DeleteObject}, or
     * {@code s3:DeleteObjectVersion} for a key with a version id): S3 answers each of them with an
     * {@code AccessDenied} error of its own in the response and deletes the rest; with
     * {@code bypassGovernance}, a version also needs {@code s3:BypassGovernanceRetention}. {@code context}
     * may be the one {@link #check} gave (its principal is the caller's).
     */
    Predicate<ObjectModel.ObjectIdentifier> deniedDeletes(RequestContext context, String bucketName, boolean bypassGovernance) {
        Bucket bucket = BucketStore.read(buckets.store(), bucketName);
        if (bucket == null) {
            return target -> false; // the operation answers NoSuchBucket
        }
        PolicyDocument policy = policy(bucket);
        if (bucket.account().equals(context.principal().accountId()) && policy == null) {
            return target -> false;
        }
        return target -> {
            String resource = "arn:aws:s3:::" + bucketName + "/" + target.key();
            return !permitted(policy, bucket, context, AccessRequest.of(context,
                    target.versionId() != null ? "s3:DeleteObjectVersion" : "s3:DeleteObject", resource, Map.of()), null, null)
                    || bypassGovernance && target.versionId() != null && !PolicyDocument.permits(policy, bucket.account(),
                            AccessRequest.of(context, "s3:BypassGovernanceRetention", resource, Map.of()));
        };
    }

    /** The tags of the object (or version) a request names; none when there is no such object. */
    private Map<String, String> existingTags(Bucket bucket, ObjectAddressed object) {
        try {
            StoredObject found = object.versionId() == null ? ObjectStore.read(buckets.store(), bucket.name(), object.key())
                    : Versions.version(buckets.store(), bucket, object.key(), object.versionId());
            return found == null || found.deleteMarker() ? Map.of() : found.tags();
        } catch (AwsException e) {
            return Map.of(); // a malformed version id, which the operation answers
        }
    }

    /**
     * Whether anyone at all may {@code action} on {@code resource} — what an S3 website endpoint's
     * anonymous reader needs: the bucket policy's allow for {@code "*"} (conditions such as
     * {@code aws:SourceIp} apply), no Block Public Access restricting the bucket's public policy, and
     * no Requester Pays (which takes no anonymous requests).
     */
    boolean allowsAnyone(RequestContext context, Bucket bucket, String action, String resource) {
        PolicyDocument policy = policy(bucket);
        if (policy == null || policy.isPublic() && blocks(bucket, "RestrictPublicBuckets") || requesterPays(bucket)) {
            return false;
        }
        return policy.evaluate(AccessRequest.anonymous(context, action, resource, Map.of())) == io.stratus.protocol.policy.Decision.ALLOW;
    }

    /**
     * Whether S3's log delivery ({@code logging.s3.amazonaws.com}) may write {@code key} into
     * {@code target} for the server access logs of {@code source}: the target's policy must allow
     * it {@code s3:PutObject}, with {@code aws:SourceArn} the source bucket's ARN and
     * {@code aws:SourceAccount} its owner, as S3's log delivery asks.
     */
    boolean allowsLogDelivery(Bucket target, Bucket source, String key, java.time.Instant now) {
        Decision decision = serviceDelivery(LOG_DELIVERY, target, source, key, now);
        // Or, where ACLs apply, the ACL S3's log delivery group used before bucket policies could name it: log-delivery-write.
        return decision == Decision.ALLOW || decision == Decision.NONE && target.acls()
                && AclOperations.bucketAcl(buckets.store(), target).allowsLogDelivery();
    }

    /**
     * Whether S3 itself ({@code s3.amazonaws.com}) may write an inventory report's {@code key} into
     * {@code target} for {@code source}: the target's policy must allow it {@code s3:PutObject}, with
     * {@code aws:SourceArn} and {@code aws:SourceAccount} the source bucket's, as S3 asks.
     */
    boolean allowsInventoryDelivery(Bucket target, Bucket source, String key, java.time.Instant now) {
        return serviceDelivery(S3_SERVICE, target, source, key, now) == Decision.ALLOW;
    }

    private Decision serviceDelivery(String service, Bucket target, Bucket source, String key, java.time.Instant now) {
        Map<String, List<String>> keys = Map.of("aws:SourceArn", List.of("arn:aws:s3:::" + source.name()),
                "aws:SourceAccount", List.of(source.account()), "aws:SecureTransport", List.of("true"),
                "aws:CurrentTime", List.of(now.toString()), "aws:EpochTime", List.of(Long.toString(now.getEpochSecond())));
        AccessRequest request = new AccessRequest(new io.stratus.protocol.policy.Caller.Service(service), "s3:PutObject",
                "arn:aws:s3:::" + target.name() + "/" + key, keys);
        PolicyDocument policy = policy(target);
        return policy == null ? Decision.NONE : policy.evaluate(request);
    }

    /** Refuses a request whose expected bucket owner (an account id) is not the bucket's, as S3 does: {@code AccessDenied}. */
    private static void expectOwner(java.util.Optional<String> expected, Bucket bucket) {
        if (expected.isPresent() && bucket != null && !expected.get().trim().equals(bucket.account())) {
            throw denied();
        }
    }

    /**
     * Says {@code x-amz-request-charged: requester} on a successful answer to a request that accepted
     * the charges ({@code x-amz-request-payer: requester}) of a Requester Pays bucket, as S3 does.
     */
    void chargeRequester(HttpRequest request, io.stratus.protocol.HttpResponse response) {
        if (response.status() >= 300 || !request.header(REQUEST_PAYER).map(payer -> payer.equalsIgnoreCase("requester")).orElse(false)) {
            return;
        }
        String name = BucketNames.ofPath(request.path());
        Bucket bucket = name == null ? null : BucketStore.read(buckets.store(), name);
        if (bucket != null && requesterPays(bucket)) {
            response.header("x-amz-request-charged", "requester");
        }
    }

    /**
     * Whether the bucket's owner lets {@code asked} through: no explicit deny in the bucket policy,
     * and the policy's allow, the owner's own account, or — where the bucket's Object Ownership lets
     * ACLs apply — a grant of the bucket's ACL (or the object's, for an object's action on
     * {@code key}). An object another account owns is that account's to share: its ACL alone lets
     * anyone else in, the bucket's owner included (the bucket policy speaks only for the owner's objects).
     *
     * @param key the object an object's action names, or null
     */
    private boolean permitted(PolicyDocument policy, Bucket bucket, RequestContext context, AccessRequest asked, String key, String versionId) {
        Decision decision = policy == null ? Decision.NONE : policy.evaluate(asked);
        if (decision == Decision.DENY) {
            return false;
        }
        // An anonymous caller is no account: only grants to everyone (AllUsers) let it in.
        String caller = context.principal().anonymous() ? null : context.principal().accountId();
        String action = asked.action().substring("s3:".length());
        Acl.Permission objectPermission = bucket.acls() && key != null ? OBJECT_ACL_PERMISSIONS.get(action) : null;
        if (objectPermission != null) {
            StoredObject object = namedObject(bucket, key, versionId);
            Acl acl = object == null ? null : AclOperations.objectAcl(bucket, object);
            if (acl != null && !acl.owner().equals(bucket.account())) {
                return acl.owner().equals(caller) || acl.allows(caller, objectPermission, blocks(bucket, "IgnorePublicAcls"));
            }
            return decision == Decision.ALLOW || bucket.account().equals(caller)
                    || acl != null && acl.allows(caller, objectPermission, blocks(bucket, "IgnorePublicAcls"));
        }
        if (decision == Decision.ALLOW || bucket.account().equals(caller)) {
            return true;
        }
        Acl.Permission bucketPermission = bucket.acls() ? BUCKET_ACL_PERMISSIONS.get(action) : null;
        return bucketPermission != null
                && AclOperations.bucketAcl(buckets.store(), bucket).allows(caller, bucketPermission, blocks(bucket, "IgnorePublicAcls"));
    }

    /** The object (or version) a request names; null when there is none (the operation answers that) or it is a delete marker. */
    private StoredObject namedObject(Bucket bucket, String key, String versionId) {
        try {
            StoredObject found = versionId == null ? ObjectStore.read(buckets.store(), bucket.name(), key)
                    : Versions.version(buckets.store(), bucket, key, versionId);
            return found == null || found.deleteMarker() ? null : found;
        } catch (AwsException e) {
            return null; // a malformed version id, which the operation answers
        }
    }

    /**
     * Whether the caller of a CopyObject or UploadPartCopy may read its source, as S3 decides it: the
     * source bucket's policy, for the caller's own principal (one another account's destination
     * bucket let in still reads as itself), must let it {@code s3:GetObject} the source object
     * ({@code s3:GetObjectVersion} for a version) — its owner's account unless the policy denies it,
     * another account only with the policy's allow (and never a public policy's, while the bucket
     * restricts public buckets, or from a Requester Pays bucket).
     *
     * @throws AwsException {@code AccessDenied}
     */
    void checkCopySource(RequestContext context, Bucket source, String key, String versionId) {
        RequestContext caller = context.inAccount(context.principal().accountId());
        boolean owner = source.account().equals(caller.accountId());
        PolicyDocument policy = policy(source);
        if (owner && policy == null && !source.acls()) {
            return;
        }
        if (!owner && (requesterPays(source) || policy != null && policy.isPublic() && blocks(source, "RestrictPublicBuckets"))) {
            throw denied();
        }
        String action = versionId == null ? "s3:GetObject" : "s3:GetObjectVersion";
        AccessRequest asked = AccessRequest.of(caller, action, "arn:aws:s3:::" + source.name() + "/" + key, S3ConditionKeys.of(caller, null));
        if (!permitted(policy, source, caller, asked, key, versionId)) {
            throw denied();
        }
    }

    /** Whether the bucket's requesters pay for their requests (its request payment configuration names {@code Requester}). */
    boolean requesterPays(Bucket bucket) {
        return buckets.config(bucket.name(), BucketConfig.REQUEST_PAYMENT.subresource())
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8).contains("Requester</")).orElse(false);
    }

    /** Whether the bucket's policy is public, as S3 judges one (see {@link PolicyDocument#isPublic()}); false without a policy. */
    boolean hasPublicPolicy(Bucket bucket) {
        PolicyDocument policy = policy(bucket);
        return policy != null && policy.isPublic();
    }

    /** The bucket's policy, or null for none. */
    private PolicyDocument policy(Bucket bucket) {
        return policies.get(buckets.config(bucket.name(), BucketConfig.POLICY.subresource())
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse(null));
    }

    /**
     * Checks a bucket policy as PutBucketPolicy takes it: a valid resource policy, and not a public
     * one while the bucket's Block Public Access blocks public policies.
     */
    void checkNewPolicy(RequestContext context, String bucket, byte[] document) {
        PolicyDocument policy;
        try {
            policy = PolicyDocument.parse(new String(document, StandardCharsets.UTF_8)).requirePrincipals().check(new BucketPolicyRules(bucket));
        } catch (PolicyException e) {
            throw AwsException.of(S3Errors.MALFORMED_POLICY, e.getMessage());
        }
        Bucket found = BucketStore.read(buckets.store(), bucket);
        if (found != null && policy.isPublic() && blocks(found, "BlockPublicPolicy")) {
            throw AwsException.of(S3Errors.ACCESS_DENIED, "User: %s is not authorized to perform: s3:PutBucketPolicy on resource: "
                    + "\"arn:aws:s3:::%s\" because public policies are blocked by the BlockPublicPolicy block public access setting.",
                    context.principal().arn(), bucket);
        }
    }

    /** Whether a Block Public Access setting is on for the bucket: S3's default is all on, none once deleted (an empty document). */
    private boolean blocks(Bucket bucket, String setting) {
        return blocks(buckets.config(bucket.name(), BucketConfig.PUBLIC_ACCESS_BLOCK.subresource()).orElse(null), setting);
    }

    /** Whether a Block Public Access setting is on for the bucket, read in {@code reader} (a write's transaction). */
    static boolean blocks(io.stratus.storage.StoreReader reader, String bucket, String setting) {
        return blocks(BucketStore.config(reader, bucket, BucketConfig.PUBLIC_ACCESS_BLOCK.subresource()).orElse(null), setting);
    }

    private static boolean blocks(byte[] configuration, String setting) {
        if (configuration == null) {
            return true;
        }
        return Pattern.compile("<(?:\\w+:)?" + setting + ">\\s*true\\s*</").matcher(new String(configuration, StandardCharsets.UTF_8)).find();
    }

    private static boolean bypassesGovernance(Object input) {
        return input instanceof ObjectModel.DeleteObjectRequest delete && Boolean.TRUE.equals(delete.bypassGovernanceRetention())
                || input instanceof ObjectLockOperations.RetentionRequest retention && Boolean.TRUE.equals(retention.bypassGovernanceRetention());
    }

    private static String action(String operation, Object input) {
        String action = ACTIONS.getOrDefault(operation, operation);
        if (input instanceof ObjectAddressed object && object.versionId() != null && VERSIONED.contains(action)) {
            return action.replace("Object", "ObjectVersion");
        }
        return action;
    }

    /** The ARNs an operation acts on: its object, each object of a DeleteObjects, or the bucket. */
    private static List<String> resources(String bucket, String operation, Object input) {
        if (input instanceof ObjectAddressed object) {
            return List.of("arn:aws:s3:::" + bucket + "/" + object.key());
        }
        if (input instanceof ObjectModel.DeleteObjectsRequest delete && delete.delete() != null && delete.delete().objects() != null) {
            return delete.delete().objects().stream().map(o -> "arn:aws:s3:::" + bucket + "/" + o.key()).toList();
        }
        return List.of("arn:aws:s3:::" + bucket);
    }

    private static AwsException denied() {
        return AwsException.of(S3Errors.ACCESS_DENIED, "Access Denied");
    }
}
