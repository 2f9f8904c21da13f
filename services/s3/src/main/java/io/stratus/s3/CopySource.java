package io.stratus.s3;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.protocol.QueryString;
import io.stratus.storage.StoreReader;

/**
 * The object an {@code x-amz-copy-source} header names: {@code [/]bucket/key[?versionId=id]},
 * URL-encoded.
 */
record CopySource(String bucket, String key, String versionId) {

    static CopySource parse(String header) {
        String value = header.trim();
        String versionId = null;
        int q = value.indexOf('?');
        if (q >= 0) {
            versionId = QueryString.parse(value.substring(q + 1)).first("versionId").orElse(null);
            value = value.substring(0, q);
        }
        value = QueryString.decodePath(value);
        if (value.startsWith("/")) {
            value = value.substring(1);
        }
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
        }
        return new CopySource(value.substring(0, slash), value.substring(slash + 1), versionId);
    }

    /**
     * The source object, once the caller may read it ({@link BucketAccess#checkCopySource}: its own
     * bucket, or another account's whose policy lets it).
     */
    StoredObject read(StoreReader reader, RequestContext context, BucketAccess access) {
        Bucket found = BucketStore.read(reader, bucket);
        if (found == null) {
            throw BucketStore.noSuchBucket(bucket);
        }
        access.checkCopySource(context, found, key, versionId);
        StoredObject object = Versions.find(reader, context.inAccount(found.account()), bucket, key, versionId);
        if (object.deleteMarker()) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "The source of a copy request may not specifically refer to a delete marker by version id.");
        }
        return object;
    }

    /** Evaluates the {@code x-amz-copy-source-if-*} headers: any that fails is 412, naming that header. */
    static void checkConditions(Preconditions conditions, StoredObject source) {
        Preconditions.Outcome outcome = conditions.evaluate(source);
        if (outcome != Preconditions.Outcome.PROCEED) {
            throw ObjectOperations.preconditionFailed("x-amz-copy-source-" + conditions.decidedBy(outcome));
        }
    }
}
