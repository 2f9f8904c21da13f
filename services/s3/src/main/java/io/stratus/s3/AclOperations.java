package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpPrefixHeaders;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.s3.BucketConfigOperations.ConfigDocument;
import io.stratus.storage.StoreReader;
import java.util.Map;

/**
 * Get/PutBucketAcl and Get/PutObjectAcl. While a bucket enforces bucket-owner ownership (S3's
 * default since 2023) ACLs are disabled: they read as the owner's {@code FULL_CONTROL} and
 * changing one is {@code AccessControlListNotSupported}. Under the other ownerships the bucket and
 * each object version have an ACL of their own (see {@link Acl}), which {@link BucketAccess}
 * enforces. Thread-safe.
 */
final class AclOperations {

    /** The bucket configuration holding a bucket's ACL, absent for the default. */
    static final String CONFIG = "acl";

    record ObjectAclRequest(@HttpLabel("Bucket") String bucket, @HttpLabel("Key") String key, @HttpQuery("versionId") String versionId,
            @HttpHeader("x-amz-acl") String cannedAcl, @HttpPrefixHeaders("x-amz-grant-") Map<String, String> grants,
            @HttpPayload byte[] document) implements ObjectAddressed {}

    record BucketAclRequest(@HttpLabel("Bucket") String bucket, @HttpHeader("x-amz-acl") String cannedAcl,
            @HttpPrefixHeaders("x-amz-grant-") Map<String, String> grants, @HttpPayload byte[] document) implements BucketAddressed {}

    /** PutObjectAcl's answer: the version it changed. */
    record PutObjectAclResponse(@HttpHeader("x-amz-version-id") String versionId) {}

    private final BucketStore buckets;
    private final ObjectStore objects;
    private final Notifier notifier;

    AclOperations(BucketStore buckets, ObjectStore objects, Notifier notifier) {
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.objects = requireNonNull(objects, "objects is null");
        this.notifier = requireNonNull(notifier, "notifier is null");
    }

    ConfigDocument getBucketAcl(RequestContext context, BucketAclRequest request) {
        Bucket bucket = buckets.require(context, request.bucket());
        return document(bucketAcl(buckets.store(), bucket));
    }

    ConfigDocument getObjectAcl(RequestContext context, ObjectAclRequest request) {
        Bucket bucket = buckets.require(context, request.bucket());
        StoredObject object = Versions.find(objects.store(), context, request.bucket(), request.key(), request.versionId());
        if (object.deleteMarker()) {
            throw Versions.deleteMarkerNotAllowed(object, "GET");
        }
        return document(objectAcl(bucket, object));
    }

    BucketConfigOperations.NoContent putBucketAcl(RequestContext context, BucketAclRequest request) {
        Bucket bucket = buckets.require(context, request.bucket());
        Acl acl = requested(request.cannedAcl(), request.grants(), request.document(), bucket.account(), bucket.account());
        buckets.store().transaction(txn -> {
            Bucket current = BucketStore.require(txn, context, request.bucket());
            checkSettable(txn, current, acl);
            if (acl.grantsOnlyOwner()) {
                BucketStore.deleteConfig(txn, current.name(), CONFIG);
            } else {
                BucketStore.putConfig(txn, current.name(), CONFIG, S3Json.encode(acl));
            }
            return null;
        });
        return new BucketConfigOperations.NoContent();
    }

    PutObjectAclResponse putObjectAcl(RequestContext context, ObjectAclRequest request) {
        Bucket found = buckets.require(context, request.bucket());
        StoredObject named = Versions.find(objects.store(), context, request.bucket(), request.key(), request.versionId());
        String owner = named.acl() != null ? named.acl().owner() : found.account();
        Acl acl = requested(request.cannedAcl(), request.grants(), request.document(), owner, found.account());
        String versionId = objects.store().transaction(txn -> {
            Bucket bucket = BucketStore.require(txn, context, request.bucket());
            StoredObject object = Versions.find(txn, context, request.bucket(), request.key(), request.versionId());
            if (object.deleteMarker()) {
                throw Versions.deleteMarkerNotAllowed(object, "PUT");
            }
            String currentOwner = object.acl() != null ? object.acl().owner() : bucket.account();
            if (!currentOwner.equals(acl.owner())) {
                throw AwsException.of(S3Errors.OPERATION_ABORTED,
                        "A conflicting conditional operation is currently in progress against this resource. Please try again.");
            }
            checkSettable(txn, bucket, acl);
            Versions.rewrite(txn, bucket, object.withAcl(acl.owner().equals(bucket.account()) && acl.grantsOnlyOwner() ? null : acl));
            notifier.aclChanged(txn, context, bucket.name(), object);
            return object.versionId();
        });
        notifier.wake();
        return new PutObjectAclResponse(versionId);
    }

    /**
     * Refuses an ACL the bucket cannot take: any at all while it enforces ownership, a public one
     * while it blocks public ACLs.
     */
    private static void checkSettable(StoreReader reader, Bucket bucket, Acl acl) {
        if (!bucket.acls()) {
            throw AwsException.of(S3Errors.ACCESS_CONTROL_LIST_NOT_SUPPORTED, "The bucket does not allow ACLs");
        }
        if (acl.grantsPublic() && BucketAccess.blocks(reader, bucket.name(), "BlockPublicAcls")) {
            throw AwsException.of(S3Errors.ACCESS_DENIED, "Access Denied");
        }
    }

    /**
     * The ACL a Put*Acl asks for, in exactly one of S3's three forms: a canned ACL, grant headers,
     * or an {@code AccessControlPolicy} document.
     *
     * @throws AwsException {@code UnexpectedContent} for a document beside headers,
     *     {@code MissingSecurityHeader} for none of the three
     */
    private static Acl requested(String canned, Map<String, String> grants, byte[] document, String owner, String bucketOwner) {
        WriteAcl headers = new WriteAcl(canned, grants);
        boolean body = document != null && document.length > 0;
        if (body && headers.given()) {
            throw AwsException.of(S3Errors.UNEXPECTED_CONTENT, "This request does not support content");
        }
        if (body) {
            return Acl.parse(document, owner);
        }
        if (!headers.given()) {
            throw new AwsException(S3Errors.MISSING_SECURITY_HEADER, "Your request was missing a required header",
                    Map.of("MissingHeaderName", "x-amz-acl"), null);
        }
        return headers.resolve(owner, bucketOwner);
    }

    /** The bucket's ACL: its owner's full control while it enforces ownership or was never given another. */
    static Acl bucketAcl(StoreReader reader, Bucket bucket) {
        if (!bucket.acls()) {
            return Acl.privateTo(bucket.account());
        }
        return BucketStore.config(reader, bucket.name(), CONFIG).map(bytes -> S3Json.decode(bytes, Acl.class))
                .orElseGet(() -> Acl.privateTo(bucket.account()));
    }

    /** A version's ACL: its bucket owner's full control while the bucket enforces ownership or the version has none of its own. */
    static Acl objectAcl(Bucket bucket, StoredObject object) {
        if (object.acl() == null || !bucket.acls()) {
            return Acl.privateTo(bucket.account());
        }
        return object.acl();
    }

    private static ConfigDocument document(Acl acl) {
        return new ConfigDocument("application/xml", acl.document());
    }
}
