package io.stratus.s3;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.storage.StoreReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The ACL a write carries — a canned ACL ({@code x-amz-acl}, a POST form's {@code acl} field) and
 * {@code x-amz-grant-*} headers — held against the bucket's Object Ownership. Under
 * {@code BucketOwnerEnforced}, S3's default since 2023, ACLs are disabled: S3 takes a write with
 * no ACL or with one that gives only the bucket owner full control, and refuses any other. Under
 * {@code ObjectWriter} and {@code BucketOwnerPreferred} (and with no ownership controls at all) the
 * ACL is the object's, and the writer's account owns the object — the bucket owner's when it is
 * preferred and the write gives it {@code bucket-owner-full-control}.
 *
 * @param canned the canned ACL, or null
 * @param grants the {@code x-amz-grant-*} headers by the name after the prefix ({@code read},
 *     {@code full-control}, …); none when null
 */
record WriteAcl(String canned, Map<String, String> grants) {

    static final String ENFORCED = "BucketOwnerEnforced";
    static final String PREFERRED = "BucketOwnerPreferred";
    static final String OBJECT_WRITER = "ObjectWriter";
    /** Canned ACLs that, on a bucket, give only its owner access (S3 ignores the two object ones there). */
    private static final Set<String> OWNER_ONLY_BUCKET_ACLS = Set.of("private", "bucket-owner-read", "bucket-owner-full-control");

    WriteAcl {
        grants = grants == null ? Map.of() : Map.copyOf(grants);
    }

    /** Whether the write carries an ACL at all. */
    boolean given() {
        return canned != null || !grants.isEmpty();
    }

    /**
     * The ACL an object write (PutObject, CopyObject, CreateMultipartUpload, PostObject) gives its
     * object. Into a bucket that enforces ownership, {@code bucket-owner-full-control}, and
     * {@code private} from the bucket owner's own account (whose sole grant is then to the bucket
     * owner), are what S3 takes.
     *
     * @return the object's ACL; null for the default (its bucket owner's full control)
     * @throws AwsException {@code AccessControlListNotSupported} for another ACL on a bucket that
     *     enforces ownership; {@code AccessDenied} for a public ACL while the bucket blocks public
     *     ACLs; {@code InvalidRequest} for a canned ACL together with grant headers
     */
    Acl forObject(StoreReader reader, Bucket bucket, RequestContext context) {
        // An anonymous writer (let in by a public policy or ACL) owns nothing: its objects are the bucket owner's.
        String writer = context.principal().anonymous() ? bucket.account() : context.principal().accountId();
        if (!given() && writer.equals(bucket.account())) {
            return null; // the common case, whatever the ownership: the owner's own write, private
        }
        String ownership = ownership(reader, bucket);
        if (ownership.equals(ENFORCED)) {
            checkEnforced(bucket, context);
            return null;
        }
        String owner = ownership.equals(PREFERRED) && "bucket-owner-full-control".equals(canned) ? bucket.account() : writer;
        Acl acl = resolve(owner, bucket.account());
        if (acl.grantsPublic() && BucketAccess.blocks(reader, bucket.name(), "BlockPublicAcls")) {
            throw AwsException.of(S3Errors.ACCESS_DENIED, "Access Denied");
        }
        return owner.equals(bucket.account()) && acl.grantsOnlyOwner() ? null : acl;
    }

    private void checkEnforced(Bucket bucket, RequestContext context) {
        if (!given()) {
            return;
        }
        boolean ownerOnly = switch (canned == null ? "" : canned) {
            case "", "bucket-owner-full-control" -> true;
            // The writer's own account: one let in by the bucket policy acts in the owner's account (see BucketAccess).
            case "private" -> context.principal().accountId().equals(bucket.account());
            default -> false;
        };
        if (!ownerOnly || !grantsOnlyOwner(bucket.account())) {
            throw AwsException.of(S3Errors.ACCESS_CONTROL_LIST_NOT_SUPPORTED, "The bucket does not allow ACLs");
        }
    }

    /**
     * The ACL a new bucket gets under the ownership it asks for (null: S3's default,
     * {@code BucketOwnerEnforced}); new buckets block public ACLs, as S3's have since 2023.
     *
     * @return the bucket's ACL; null for the default (its owner's full control)
     * @throws AwsException {@code InvalidBucketAclWithObjectOwnership} for an ACL giving anyone but the
     *     owner access under enforced ownership; {@code InvalidBucketAclWithBlockPublicAccessError}
     *     for a public one
     */
    Acl forNewBucket(String ownership, String account) {
        if (ownership == null || ownership.equals(ENFORCED)) {
            if (canned != null && !OWNER_ONLY_BUCKET_ACLS.contains(canned) || !grantsOnlyOwner(account)) {
                throw AwsException.of(S3Errors.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP,
                        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
            }
            return null;
        }
        Acl acl = resolve(account, account);
        if (acl.grantsPublic()) {
            throw AwsException.of(S3Errors.INVALID_BUCKET_ACL_WITH_BLOCK_PUBLIC_ACCESS,
                    "Bucket cannot have public ACLs set with BlockPublicAccess enabled");
        }
        return acl.grantsOnlyOwner() ? null : acl;
    }

    /**
     * The ACL this write asks for, owned by {@code owner} in a bucket of {@code bucketOwner}: its
     * canned ACL, its grants, or {@code private} when it has neither.
     *
     * @throws AwsException {@code InvalidRequest} for both a canned ACL and grant headers
     */
    Acl resolve(String owner, String bucketOwner) {
        if (canned != null && !grants.isEmpty()) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "Specifying both Canned ACLs and Header Grants is not allowed");
        }
        return canned != null ? Acl.canned(canned, owner, bucketOwner) : !grants.isEmpty() ? Acl.ofHeaders(grants, owner) : Acl.privateTo(owner);
    }

    /** Whether the grants are none, or full control for the account's canonical user alone ({@code id="…"}). */
    private boolean grantsOnlyOwner(String account) {
        if (grants.isEmpty()) {
            return true;
        }
        String owner = BucketOperations.owner(account).id();
        return grants.keySet().equals(Set.of("full-control"))
                && Arrays.stream(grants.get("full-control").split(",")).map(String::trim)
                        .allMatch(grantee -> grantee.equals("id=\"" + owner + "\"") || grantee.equals("id=" + owner));
    }

    /**
     * The bucket's Object Ownership: {@code BucketOwnerEnforced} when never set (S3's default), and
     * {@code ObjectWriter} once its ownership controls are deleted (S3's behaviour before they existed).
     */
    static String ownership(StoreReader reader, Bucket bucket) {
        if (!bucket.acls()) {
            return ENFORCED;
        }
        String document = BucketStore.config(reader, bucket.name(), BucketConfig.OWNERSHIP_CONTROLS.subresource())
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse("");
        return document.contains(PREFERRED) ? PREFERRED : OBJECT_WRITER;
    }
}
