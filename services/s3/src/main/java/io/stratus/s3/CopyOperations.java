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
 * record's transaction) — unless its checksum must be computed (see
 * {@link #checksum}), which reads the source once. Thread-safe.
 */
final class CopyOperations {

    private final ObjectStore objects;
    private final BodyStore bodies;
    private final ObjectOperations writer;

    CopyOperations(ObjectStore objects, BodyStore bodies, ObjectOperations writer) {
        this.objects = requireNonNull(objects, "objects is null");
        this.bodies = requireNonNull(bodies, "bodies is null");
        this.writer = requireNonNull(writer, "writer is null");
    }

    CopyObjectResponse copyObject(RequestContext context, PutObjectRequest request) {
        ObjectKeys.check(request.key());
        Bucket bucket = BucketStore.require(objects.store(), context, request.bucket());
        new WriteAcl(request.acl(), request.grants()).checkObjectWrite(objects.store(), bucket, context);
        CopySource source = CopySource.parse(request.copySource());
        boolean replaceMetadata = directive(request.metadataDirective(), "metadata");
        boolean replaceTags = directive(request.taggingDirective(), "tagging");
        String storageClass = ObjectKeys.storageClass(request.storageClass());
        ChecksumAlgorithm requestedChecksum = request.copyChecksumAlgorithm() == null ? null : ClaimedChecksum.algorithm(request.copyChecksumAlgorithm());
        // A copy onto itself may change the object's checksum algorithm (S3's way to change it in place). A source that names
        // a version is S3's way to restore an older one as the key's current version, so it is allowed without a change.
        if (source.bucket().equals(request.bucket()) && source.key().equals(request.key()) && source.versionId() == null && !replaceMetadata
                && storageClass == null && requestedChecksum == null) {
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
        StoredObject copy = new StoredObject(request.key(), null, copied.bodyId(), original.size(), original.etag(), writer.nowSeconds(), content,
                metadata, copied.algorithm().name(), copied.checksum(), null, null, storageClass, tags, false, null);
        StoredObject stored = writer.store(context, request.bucket(), copy, copied.inline(),
                new ObjectOperations.WriteCondition(request.ifMatch(), request.ifNoneMatch()), "Copy");
        return new CopyObjectResponse(stored.versionId(), writer.expiration(request.bucket(), stored), original.versionId(),
                ObjectOperations.SERVER_SIDE_ENCRYPTION, result(copy));
    }

    /**
     * The source as read, and the copy's body: a hard link to a file body, a new inline body with
     * the bytes of an inline one (written with the copy's record).
     */
    private record Copied(StoredObject original, ChecksumAlgorithm algorithm, String checksum, String bodyId, byte[] inline) {}

    private Copied copyBody(RequestContext context, PutObjectRequest request, CopySource source, ChecksumAlgorithm requestedChecksum) {
        StoredObject original = source.read(objects.store(), context);
        CopySource.checkConditions(new Preconditions(request.copySourceIfMatch(), request.copySourceIfNoneMatch(),
                request.copySourceIfModifiedSince(), request.copySourceIfUnmodifiedSince()), original);
        // The one asked for, else the source's, else S3's default for an object without one.
        ChecksumAlgorithm algorithm = requestedChecksum != null ? requestedChecksum
                : original.checksumAlgorithm() != null ? ChecksumAlgorithm.valueOf(original.checksumAlgorithm()) : ChecksumAlgorithm.CRC64NVME;
        String checksum = checksum(original, algorithm);
        if (BodyStore.isInline(original.bodyId())) {
            return new Copied(original, algorithm, checksum, BodyStore.newInlineId(), bodies.inlineBytes(original.bodyId()));
        }
        return new Copied(original, algorithm, checksum, bodies.copy(original.bodyId()), null);
    }

    /**
     * The copy's checksum. S3 copies an object in one action, whether it was uploaded whole or in
     * parts, so the copy's checksum is always of its whole content ({@code FULL_OBJECT}): the
     * source's own when it already is one of the algorithm asked for, else computed from the body
     * — a multipart source's composite checksum (the checksum of its parts' checksums, {@code -N})
     * changes even though the bytes do not.
     */
    private String checksum(StoredObject source, ChecksumAlgorithm algorithm) {
        if (algorithm.name().equals(source.checksumAlgorithm()) && source.checksum() != null && !source.checksum().contains("-")) {
            return source.checksum();
        }
        return bodies.checksum(source.bodyId(), algorithm);
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
