package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.protocol.auth.ChecksumAlgorithm;
import io.stratus.s3.ObjectModel.CopyObjectResponse;
import io.stratus.s3.ObjectModel.CopyObjectResult;
import io.stratus.s3.ObjectModel.PutObjectRequest;
import io.stratus.s3.StoredObject.ContentHeaders;
import java.time.Instant;
import java.util.Map;

/**
 * CopyObject: the new object's body is a hard link to the source's (bodies never change), so a
 * copy costs no bytes whatever its size (an inline source's few bytes are copied into the copy's
 * record's transaction). S3 makes a copy in one action, whether its source was uploaded whole or
 * in parts, so the copy is an object uploaded whole: its ETag is the MD5 of its bytes and its
 * checksum is of its whole content ({@code FULL_OBJECT}) — the source's own when it already is
 * such a checksum of the algorithm asked for. A multipart source's ETag ({@code <md5 of part
 * MD5s>-N}) and composite checksum ({@code <checksum of part checksums>-N}) cannot serve, so the
 * source's body is read once, streamed, for what must be computed. Thread-safe.
 */
final class CopyOperations {

    private final ObjectStore objects;
    private final BodyStore bodies;
    private final ObjectOperations writer;
    private final BucketAccess access;

    CopyOperations(ObjectStore objects, BodyStore bodies, ObjectOperations writer, BucketAccess access) {
        this.objects = requireNonNull(objects, "objects is null");
        this.bodies = requireNonNull(bodies, "bodies is null");
        this.writer = requireNonNull(writer, "writer is null");
        this.access = requireNonNull(access, "access is null");
    }

    CopyObjectResponse copyObject(RequestContext context, PutObjectRequest request) {
        ObjectKeys.check(request.key());
        Bucket bucket = BucketStore.require(objects.store(), context, request.bucket());
        // As on S3, a copy never has its source's ACL: the one its request gives, else private.
        Acl acl = new WriteAcl(request.acl(), request.grants()).forObject(objects.store(), bucket, context);
        CopySource source = CopySource.parse(request.copySource());
        boolean replaceMetadata = directive(request.metadataDirective(), "metadata");
        boolean replaceTags = directive(request.taggingDirective(), "tagging");
        if (replaceMetadata) {
            ObjectKeys.checkMetadata(request.metadata());
        }
        String storageClass = ObjectKeys.storageClass(request.storageClass());
        // S3 keeps a redirect with its object alone: a copy has the one its request gives, whatever the directive.
        String websiteRedirect = ObjectKeys.websiteRedirect(request.websiteRedirectLocation());
        // As S3 does, a copy is encrypted as its request asks, else by its bucket's default, never as its source was.
        Encryption encryption = Encryption.forWrite(request.encryption(), objects.store(), bucket);
        // A copy has the lock its request gives (else its bucket's default), never its source's, as S3 does.
        ObjectLock lock = writer.requestedLock(bucket, request, true);
        ChecksumAlgorithm requestedChecksum = request.copyChecksumAlgorithm() == null ? null : ClaimedChecksum.algorithm(request.copyChecksumAlgorithm());
        // A copy onto itself may change the object's checksum algorithm (S3's way to change it in place). A source that names
        // a version is S3's way to restore an older one as the key's current version, so it is allowed without a change.
        if (source.bucket().equals(request.bucket()) && source.key().equals(request.key()) && source.versionId() == null && !replaceMetadata
                && storageClass == null && requestedChecksum == null && websiteRedirect == null
                && request.encryption() == null) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "This copy request is illegal because it is trying to copy an object to itself without "
                    + "changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }
        // An inline source body read right after its record may be gone by then: read both again.
        Copied copied = BodyStore.reading(() -> copyBody(context, request, source, requestedChecksum));
        StoredObject original = copied.original();
        ContentHeaders content = replaceMetadata
                ? new ContentHeaders(request.contentType() == null ? "binary/octet-stream" : request.contentType(), request.contentEncoding(),
                        request.contentDisposition(), request.contentLanguage(), request.cacheControl(), request.expires())
                : original.content();
        Map<String, String> metadata = replaceMetadata ? request.metadata() : original.metadata();
        Map<String, String> tags = replaceTags ? ObjectKeys.tagsFromHeader(request.tagging()) : original.tags();
        StoredObject copy = new StoredObject(request.key(), null, copied.bodyId(), original.size(), copied.etag(), writer.nowSeconds(), content,
                metadata, copied.algorithm().name(), copied.checksum(), null, null, storageClass, tags, false, null,
                websiteRedirect, null, encryption, lock, null, acl);
        StoredObject stored = writer.store(context, request.bucket(), copy, copied.inline(),
                new ObjectOperations.WriteCondition(request.ifMatch(), request.ifNoneMatch()), "Copy");
        return new CopyObjectResponse(stored.versionId(), writer.expiration(request.bucket(), stored), original.versionId(),
                Encryption.headers(encryption), result(copy));
    }

    /**
     * The source as read, and the copy's body: a hard link to a file body, a new inline body with
     * the bytes of an inline one (written with the copy's record); its ETag and checksum.
     */
    private record Copied(StoredObject original, String etag, ChecksumAlgorithm algorithm, String checksum, String bodyId, byte[] inline) {}

    private Copied copyBody(RequestContext context, PutObjectRequest request, CopySource source, ChecksumAlgorithm requestedChecksum) {
        StoredObject original = source.read(objects.store(), context, access);
        RestoreOperations.checkCopySource(original, writer.nowMillis());
        Encryption.checkRead(original.encryption(), request.copySourceCustomerKey());
        CopySource.checkConditions(new Preconditions(request.copySourceIfMatch(), request.copySourceIfNoneMatch(),
                request.copySourceIfModifiedSince(), request.copySourceIfUnmodifiedSince()), original);
        // The one asked for, else the source's, else S3's default for an object without one.
        ChecksumAlgorithm algorithm = requestedChecksum != null ? requestedChecksum
                : original.checksumAlgorithm() != null ? ChecksumAlgorithm.valueOf(original.checksumAlgorithm()) : ChecksumAlgorithm.CRC64NVME;
        // What must be computed from the body is computed in one read of it.
        boolean keepsChecksum = algorithm.name().equals(original.checksumAlgorithm()) && original.checksum() != null
                && !original.checksum().contains("-");
        boolean keepsEtag = original.partsCount() == null && !original.etag().contains("-");
        String etag = original.etag();
        String checksum = keepsChecksum ? original.checksum() : null;
        if (!keepsEtag) {
            BodyStore.Digested digested = bodies.digest(original.bodyId(), keepsChecksum ? null : algorithm);
            etag = digested.md5Hex();
            checksum = keepsChecksum ? checksum : digested.checksum();
        } else if (!keepsChecksum) {
            checksum = bodies.checksum(original.bodyId(), algorithm);
        }
        if (BodyStore.isInline(original.bodyId())) {
            return new Copied(original, etag, algorithm, checksum, BodyStore.newInlineId(), bodies.inlineBytes(original.bodyId()));
        }
        return new Copied(original, etag, algorithm, checksum, bodies.copy(original.bodyId()), null);
    }

    static CopyObjectResult result(StoredObject object) {
        String algorithm = object.listedChecksumAlgorithm() == null ? "" : object.listedChecksumAlgorithm();
        String value = object.checksum();
        return new CopyObjectResult(object.quotedEtag(), Instant.ofEpochMilli(object.lastModifiedMillis()), object.checksumType(),
                algorithm.equals("CRC32") ? value : null, algorithm.equals("CRC32C") ? value : null,
                algorithm.equals("CRC64NVME") ? value : null, algorithm.equals("SHA1") ? value : null,
                algorithm.equals("SHA256") ? value : null);
    }

    /** Whether a {@code COPY} / {@code REPLACE} directive says replace. */
    private static boolean directive(String value, String what) {
        if (value == null || value.equals("COPY")) {
            return false;
        }
        if (value.equals("REPLACE")) {
            return true;
        }
        throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Unknown %s directive.", what);
    }
}
