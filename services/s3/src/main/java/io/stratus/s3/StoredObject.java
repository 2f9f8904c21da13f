package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * An object's metadata as stored, one store key per object; its bytes are a file of the
 * {@link BodyStore}.
 *
 * @param bodyId the body's file id; null for a delete marker
 * @param etag the entity tag without quotes: the MD5 in hex, or {@code <md5 of part md5s>-<parts>}
 * @param lastModifiedMillis epoch millis, whole seconds as S3 keeps them
 * @param metadata user metadata ({@code x-amz-meta-*}), names lower case without the prefix
 * @param checksumAlgorithm {@code CRC32}, {@code CRC64NVME}, … or null
 * @param checksum the full-object checksum, base64, or null
 * @param partSizes the sizes of a multipart object's parts, in order; null for an object uploaded whole
 * @param partChecksums the checksums of a multipart object's parts in {@code checksumAlgorithm}, base64, in order; null when
 *     its upload had no checksum algorithm (and for records written before they were kept)
 * @param versionId the version id, or null for the "null" version (written while versioning was off or suspended)
 * @param stamp orders the versions of a key, newest highest (microseconds, made unique); null for records
 *     written before stamps existed, which order by their modification time
 * @param websiteRedirect the {@code x-amz-website-redirect-location} the object was written with, or null
 * @param restoredUntilMillis until when (epoch millis) a restored copy of an archived object
 *     ({@code GLACIER}, {@code DEEP_ARCHIVE}) may be read; null when it was never restored
 * @param encryption how the object says it is encrypted; null for SSE-S3 (and records from before it was kept)
 * @param lock the version's Object Lock retention and legal hold; null for none
 * @param replicationStatus {@code PENDING}, {@code COMPLETED} or {@code FAILED} for a version a replication rule copies,
 *     {@code REPLICA} for such a copy; null for any other
 * @param acl the version's ACL, written while its bucket's Object Ownership let ACLs apply; null for
 *     the default, its bucket owner's full control (and always read as that while ownership is enforced)
 */
record StoredObject(
        String key,
        String versionId,
        String bodyId,
        long size,
        String etag,
        long lastModifiedMillis,
        ContentHeaders content,
        Map<String, String> metadata,
        String checksumAlgorithm,
        String checksum,
        List<Long> partSizes,
        List<String> partChecksums,
        String storageClass,
        Map<String, String> tags,
        boolean deleteMarker,
        Long stamp,
        String websiteRedirect,
        Long restoredUntilMillis,
        Encryption encryption,
        ObjectLock lock,
        String replicationStatus,
        Acl acl) {

    StoredObject {
        requireNonNull(key, "key is null");
        content = content == null ? ContentHeaders.NONE : content;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        partSizes = partSizes == null ? null : List.copyOf(partSizes);
        partChecksums = partChecksums == null ? null : List.copyOf(partChecksums);
    }

    /** A version with the default ACL. */
    StoredObject(String key, String versionId, String bodyId, long size, String etag, long lastModifiedMillis, ContentHeaders content,
            Map<String, String> metadata, String checksumAlgorithm, String checksum, List<Long> partSizes, List<String> partChecksums,
            String storageClass, Map<String, String> tags, boolean deleteMarker, Long stamp, String websiteRedirect, Long restoredUntilMillis,
            Encryption encryption, ObjectLock lock, String replicationStatus) {
        this(key, versionId, bodyId, size, etag, lastModifiedMillis, content, metadata, checksumAlgorithm, checksum, partSizes, partChecksums,
                storageClass, tags, deleteMarker, stamp, websiteRedirect, restoredUntilMillis, encryption, lock, replicationStatus, null);
    }

    /** A version no replication rule has seen, with the default ACL. */
    StoredObject(String key, String versionId, String bodyId, long size, String etag, long lastModifiedMillis, ContentHeaders content,
            Map<String, String> metadata, String checksumAlgorithm, String checksum, List<Long> partSizes, List<String> partChecksums,
            String storageClass, Map<String, String> tags, boolean deleteMarker, Long stamp, String websiteRedirect, Long restoredUntilMillis,
            Encryption encryption, ObjectLock lock) {
        this(key, versionId, bodyId, size, etag, lastModifiedMillis, content, metadata, checksumAlgorithm, checksum, partSizes, partChecksums,
                storageClass, tags, deleteMarker, stamp, websiteRedirect, restoredUntilMillis, encryption, lock, null, null);
    }

    /** The number of parts of a multipart object, else null. */
    Integer partsCount() {
        return partSizes == null ? null : partSizes.size();
    }

    /** The bytes of part {@code number} (1-based) of a multipart object. */
    ByteRange partRange(int number) {
        long first = 0;
        for (int i = 0; i < number - 1; i++) {
            first += partSizes.get(i);
        }
        return new ByteRange(first, first + partSizes.get(number - 1) - 1);
    }

    /** The algorithm of the object's checksum as listings name it; null when it has none. */
    String listedChecksumAlgorithm() {
        return checksumAlgorithm == null || checksum == null ? null : checksumAlgorithm;
    }

    /**
     * The type of the object's checksum: {@code COMPOSITE} for a multipart upload's checksum of its
     * parts' checksums ({@code <value>-<parts>}), else {@code FULL_OBJECT}; null when it has none.
     */
    String checksumType() {
        return listedChecksumAlgorithm() == null ? null : checksum.contains("-") ? "COMPOSITE" : "FULL_OBJECT";
    }

    /** The ETag as S3 sends it, quoted. */
    String quotedEtag() {
        return "\"" + etag + "\"";
    }

    StoredObject withTags(Map<String, String> newTags) {
        return new StoredObject(key, versionId, bodyId, size, etag, lastModifiedMillis, content, metadata, checksumAlgorithm, checksum,
                partSizes, partChecksums, storageClass, newTags, deleteMarker, stamp, websiteRedirect,
                restoredUntilMillis, encryption, lock, replicationStatus, acl);
    }

    StoredObject withVersion(String newVersionId, long newStamp) {
        return new StoredObject(key, newVersionId, bodyId, size, etag, lastModifiedMillis, content, metadata, checksumAlgorithm, checksum,
                partSizes, partChecksums, storageClass, tags, deleteMarker, newStamp, websiteRedirect,
                restoredUntilMillis, encryption, lock, replicationStatus, acl);
    }

    StoredObject withStorageClass(String newStorageClass) {
        return new StoredObject(key, versionId, bodyId, size, etag, lastModifiedMillis, content, metadata, checksumAlgorithm, checksum,
                partSizes, partChecksums, newStorageClass, tags, deleteMarker, stamp, websiteRedirect, restoredUntilMillis, encryption, lock, replicationStatus, acl);
    }

    StoredObject withLock(ObjectLock newLock) {
        return new StoredObject(key, versionId, bodyId, size, etag, lastModifiedMillis, content, metadata, checksumAlgorithm, checksum,
                partSizes, partChecksums, storageClass, tags, deleteMarker, stamp, websiteRedirect, restoredUntilMillis, encryption, newLock, replicationStatus, acl);
    }

    StoredObject withReplicationStatus(String status) {
        return new StoredObject(key, versionId, bodyId, size, etag, lastModifiedMillis, content, metadata, checksumAlgorithm, checksum,
                partSizes, partChecksums, storageClass, tags, deleteMarker, stamp, websiteRedirect, restoredUntilMillis, encryption, lock, status, acl);
    }

    /** A replica of this version: its own body, and the class and lock its destination gives it. */
    StoredObject asReplica(String newBodyId, String newStorageClass, ObjectLock newLock) {
        return new StoredObject(key, versionId, newBodyId, size, etag, lastModifiedMillis, content, metadata, checksumAlgorithm, checksum,
                partSizes, partChecksums, newStorageClass, tags, deleteMarker, stamp, websiteRedirect, null, encryption, newLock,
                deleteMarker ? null : "REPLICA", acl);
    }

    StoredObject withAcl(Acl newAcl) {
        return new StoredObject(key, versionId, bodyId, size, etag, lastModifiedMillis, content, metadata, checksumAlgorithm, checksum,
                partSizes, partChecksums, storageClass, tags, deleteMarker, stamp, websiteRedirect, restoredUntilMillis, encryption, lock,
                replicationStatus, newAcl);
    }

    /** The object with a restored copy readable until {@code untilMillis}. */
    StoredObject withRestoredUntil(long untilMillis) {
        return new StoredObject(key, versionId, bodyId, size, etag, lastModifiedMillis, content, metadata, checksumAlgorithm, checksum,
                partSizes, partChecksums, storageClass, tags, deleteMarker, stamp, websiteRedirect, untilMillis, encryption, lock, replicationStatus, acl);
    }

    /**
     * Whether the object is in an archive storage class, whose bytes cannot be read without a
     * restore ({@code GLACIER_IR} and the others can).
     */
    boolean archived() {
        return "GLACIER".equals(storageClass) || "DEEP_ARCHIVE".equals(storageClass);
    }

    /** Whether a restored copy of the object may be read at {@code nowMillis}. */
    boolean restoredAt(long nowMillis) {
        return restoredUntilMillis != null && nowMillis < restoredUntilMillis;
    }

    /** A delete marker for {@code key}. */
    static StoredObject deleteMarker(String key, long lastModifiedMillis) {
        return new StoredObject(key, null, null, 0, "", lastModifiedMillis, null, null, null, null, null, null, null, null, true, null, null, null, null, null);
    }

    /** The order of this version among the key's versions. */
    long order() {
        return stamp != null ? stamp : lastModifiedMillis * 1000;
    }

    /**
     * The content headers stored with an object and returned on GET and HEAD.
     *
     * @param expires the {@code Expires} header as sent
     */
    record ContentHeaders(String contentType, String contentEncoding, String contentDisposition, String contentLanguage,
            String cacheControl, String expires) {

        static final ContentHeaders NONE = new ContentHeaders(null, null, null, null, null, null);
    }
}
