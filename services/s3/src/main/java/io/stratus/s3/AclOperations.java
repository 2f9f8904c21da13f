package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.RequestContext;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.s3.BucketConfigOperations.ConfigDocument;
import java.nio.charset.StandardCharsets;

/**
 * ACLs as S3 has them since 2023, when buckets enforce bucket-owner ownership: reading one
 * answers the owner's FULL_CONTROL; changing one is {@code AccessControlListNotSupported} while
 * the bucket enforces ownership, and not implemented otherwise. Thread-safe.
 */
final class AclOperations {

    record ObjectAclRequest(@HttpLabel("Bucket") String bucket, @HttpLabel("Key") String key, @HttpQuery("versionId") String versionId,
            @HttpHeader("x-amz-acl") String cannedAcl) implements ObjectAddressed {}

    record BucketAclRequest(@HttpLabel("Bucket") String bucket, @HttpHeader("x-amz-acl") String cannedAcl) implements BucketAddressed {}

    private final BucketStore buckets;
    private final ObjectStore objects;

    AclOperations(BucketStore buckets, ObjectStore objects) {
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.objects = requireNonNull(objects, "objects is null");
    }

    ConfigDocument getBucketAcl(RequestContext context, BucketAclRequest request) {
        return ownerFullControl(buckets.require(context, request.bucket()));
    }

    ConfigDocument getObjectAcl(RequestContext context, ObjectAclRequest request) {
        Bucket bucket = buckets.require(context, request.bucket());
        StoredObject object = Versions.find(objects.store(), context, request.bucket(), request.key(), request.versionId());
        if (object.deleteMarker()) {
            throw Versions.deleteMarkerNotAllowed(object, "GET");
        }
        return ownerFullControl(bucket);
    }

    BucketConfigOperations.NoContent putBucketAcl(RequestContext context, BucketAclRequest request) {
        refuse(buckets.require(context, request.bucket()));
        return new BucketConfigOperations.NoContent();
    }

    BucketConfigOperations.NoContent putObjectAcl(RequestContext context, ObjectAclRequest request) {
        Bucket bucket = buckets.require(context, request.bucket());
        Versions.find(objects.store(), context, request.bucket(), request.key(), request.versionId());
        refuse(bucket);
        return new BucketConfigOperations.NoContent();
    }

    private void refuse(Bucket bucket) {
        if (WriteAcl.ownershipEnforced(buckets.store(), bucket.name())) {
            throw AwsException.of(S3Errors.ACCESS_CONTROL_LIST_NOT_SUPPORTED, "The bucket does not allow ACLs");
        }
        throw AwsException.of(CommonErrors.NOT_IMPLEMENTED, "Setting ACLs is not implemented in Stratus yet.");
    }

    private static ConfigDocument ownerFullControl(Bucket bucket) {
        BucketModel.Owner owner = BucketOperations.owner(bucket.account());
        String document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<AccessControlPolicy xmlns=\"" + S3Service.XML_NAMESPACE + "\"><Owner><ID>"
                + owner.id() + "</ID><DisplayName>" + owner.displayName() + "</DisplayName></Owner><AccessControlList>"
                + "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>" + owner.id()
                + "</ID><DisplayName>" + owner.displayName() + "</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>"
                + "</AccessControlList></AccessControlPolicy>";
        return new ConfigDocument("application/xml", document.getBytes(StandardCharsets.UTF_8));
    }
}
