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
 * no ACL or with one that gives only the bucket owner full control, and refuses any other.
 * Under the other settings Stratus takes any ACL and ignores it (it keeps none).
 *
 * @param canned the canned ACL, or null
 * @param grants the {@code x-amz-grant-*} headers by the name after the prefix ({@code read},
 *     {@code full-control}, …); none when null
 */
record WriteAcl(String canned, Map<String, String> grants) {

    static final String ENFORCED = "BucketOwnerEnforced";
    /** Canned ACLs that, on a bucket, give only its owner access (S3 ignores the two object ones there). */
    private static final Set<String> OWNER_ONLY_BUCKET_ACLS = Set.of("private", "bucket-owner-read", "bucket-owner-full-control");

    WriteAcl {
        grants = grants == null ? Map.of() : Map.copyOf(grants);
    }

    /**
     * Checks the ACL of an object write (PutObject, CopyObject, CreateMultipartUpload, PostObject):
     * {@code bucket-owner-full-control}, and {@code private} from the bucket owner's own account
     * (whose sole grant is then to the bucket owner), are what an enforcing bucket takes.
     *
     * @throws AwsException {@code AccessControlListNotSupported} for another ACL on a bucket that enforces ownership
     */
    void checkObjectWrite(StoreReader reader, Bucket bucket, RequestContext context) {
        if (canned == null && grants.isEmpty() || !ownershipEnforced(reader, bucket.name())) {
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
     * Checks the ACL of a CreateBucket against the ownership it asks for (null: S3's default,
     * {@code BucketOwnerEnforced}).
     *
     * @throws AwsException {@code InvalidBucketAclWithObjectOwnership} for an ACL giving anyone but the owner access under enforced ownership
     */
    void checkNewBucket(String ownership, String account) {
        if (ownership != null && !ownership.equals(ENFORCED)) {
            return;
        }
        if (canned != null && !OWNER_ONLY_BUCKET_ACLS.contains(canned) || !grantsOnlyOwner(account)) {
            throw AwsException.of(S3Errors.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP,
                    "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
        }
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

    /** Whether the bucket's Object Ownership is {@code BucketOwnerEnforced}, as it is when never set. */
    static boolean ownershipEnforced(StoreReader reader, String bucket) {
        return BucketStore.config(reader, bucket, BucketConfig.OWNERSHIP_CONTROLS.subresource())
                .map(document -> new String(document, StandardCharsets.UTF_8).contains(ENFORCED))
                .orElse(true);
    }
}
