package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.RequestContext;
import io.stratus.protocol.auth.ChecksumAlgorithm;
import io.stratus.s3.ObjectModel.DeleteError;
import io.stratus.s3.ObjectModel.DeleteObjectRequest;
import io.stratus.s3.ObjectModel.DeleteObjectsRequest;
import io.stratus.s3.ObjectModel.DeleteObjectsResponse;
import io.stratus.s3.ObjectModel.DeletedObject;
import io.stratus.s3.ObjectModel.ObjectIdentifier;
import io.stratus.s3.ObjectModel.DeleteObjectResponse;
import io.stratus.s3.ObjectModel.GetObjectRequest;
import io.stratus.s3.ObjectModel.GetObjectResponse;
import io.stratus.s3.ObjectModel.PutObjectRequest;
import io.stratus.s3.ObjectModel.PutObjectResponse;
import io.stratus.s3.StoredObject.ContentHeaders;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * PutObject, GetObject, HeadObject and DeleteObject. A body is received into a temp file and
 * checked before any metadata changes; the metadata then changes in one transaction that also
 * evaluates conditional writes; the body it replaced is removed only after that commit. So a
 * failed upload leaves nothing behind, and a reader holding the old body reads it to the end.
 * Thread-safe.
 */
final class ObjectOperations {

    private static final int MAX_DELETES = 1000;

    private final ObjectStore objects;
    private final BodyStore bodies;
    private final Clock clock;
    private final Notifier notifier;
    private final Replicator replicator;
    private final BucketLocks locks;
    private final Expirations expirations;
    /** The last version stamp handed out: microseconds, kept unique and increasing. */
    private final java.util.concurrent.atomic.AtomicLong stamps = new java.util.concurrent.atomic.AtomicLong();

    ObjectOperations(ObjectStore objects, BodyStore bodies, Clock clock, Notifier notifier, Replicator replicator, BucketLocks locks,
            Expirations expirations) {
        this.objects = requireNonNull(objects, "objects is null");
        this.locks = requireNonNull(locks, "locks is null");
        this.expirations = requireNonNull(expirations, "expirations is null");
        this.bodies = requireNonNull(bodies, "bodies is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.notifier = requireNonNull(notifier, "notifier is null");
        this.replicator = requireNonNull(replicator, "replicator is null");
    }

    /**
     * Records, in the transaction that made it, that an object was made ({@code Put},
     * {@code CompleteMultipartUpload}, …) for the bucket's notification destinations; call
     * {@link #announced()} after the commit.
     */
    void created(Transaction txn, RequestContext context, String bucket, StoredObject stored, String how) {
        notifier.created(txn, context, bucket, stored, how);
    }

    /** Sends what the last committed transactions announced, and replicates what they staged. */
    void announced() {
        notifier.wake();
        replicator.wake();
    }

    /** A new version as it is written: staged for replication, and so {@code PENDING}, when a rule of the bucket selects it. */
    StoredObject replicating(Transaction txn, Bucket bucket, StoredObject version) {
        return replicator.stage(txn, bucket, version);
    }

    PutObjectResponse putObject(RequestContext context, PutObjectRequest request) {
        String bucket = request.bucket();
        String key = request.key();
        ObjectKeys.check(key);
        Bucket found = BucketStore.require(objects.store(), context, bucket);
        Acl acl = new WriteAcl(request.acl(), request.grants()).forObject(objects.store(), found, context);
        ObjectKeys.checkLength(request.contentLength(), request.transferEncoding());
        ObjectKeys.checkMetadata(request.metadata());
        byte[] contentMd5 = request.contentMd5() == null ? null : Digests.contentMd5(request.contentMd5());
        String storageClass = ObjectKeys.storageClass(request.storageClass());
        String websiteRedirect = ObjectKeys.websiteRedirect(request.websiteRedirectLocation());
        Encryption encryption = Encryption.forWrite(request.encryption(), objects.store(), found);
        Map<String, String> tags = ObjectKeys.tagsFromHeader(request.tagging());
        Optional<ClaimedChecksum> claimed = ClaimedChecksum.of(request.sdkChecksumAlgorithm(), request.trailer(), request.checksums());
        Optional<String> signedSha256 = Optional.ofNullable(request.contentSha256()).filter(Digests::isSha256Hex);
        ObjectLock lock = requestedLock(found, request, contentMd5 != null || claimed.isPresent());

        BodyStore.Received received = receiveObject(request.body(), contentMd5, signedSha256, claimed);
        ContentHeaders content = new ContentHeaders(request.contentType() == null ? "binary/octet-stream" : request.contentType(),
                request.contentEncoding(), request.contentDisposition(), request.contentLanguage(), request.cacheControl(), request.expires());
        String bodyId = bodies.commit(received);
        StoredObject object = new StoredObject(key, null, bodyId, received.size(), received.md5Hex(), nowSeconds(), content,
                request.metadata(), ClaimedChecksum.orDefault(claimed).name(), received.checksum(ClaimedChecksum.orDefault(claimed)), null, null,
                storageClass, tags, false, null, websiteRedirect, null, encryption, lock, null, acl);
        StoredObject stored = store(context, bucket, object, received.inline(), new WriteCondition(request.ifMatch(), request.ifNoneMatch()), "Put");
        return new PutObjectResponse(object.quotedEtag(), stored.versionId(), expiration(bucket, stored), Encryption.headers(encryption),
                ClaimedChecksum.headers(object.checksumAlgorithm(), object.checksum(), true));
    }

    /**
     * The lock a PutObject or CopyObject asks for with its {@code x-amz-object-lock-*} headers (see
     * {@link ObjectLock#forWrite}), or null for none (the bucket's default retention then applies, see
     * {@link #newVersion}). As S3, such a write must prove its body's integrity: a {@code Content-MD5} or
     * an {@code x-amz-checksum-*} ({@code integrity}).
     */
    ObjectLock requestedLock(Bucket bucket, PutObjectRequest request, boolean integrity) {
        if (!ObjectLock.requested(request.objectLockMode(), request.objectLockRetainUntilDate(), request.objectLockLegalHold())) {
            return null;
        }
        ObjectLock lock = ObjectLock.forWrite(request.objectLockMode(), request.objectLockRetainUntilDate(), request.objectLockLegalHold(),
                ObjectLockOperations.configuration(objects.store(), bucket.name()), clock.millis());
        if (!integrity) {
            throw AwsException.of(S3Errors.INVALID_REQUEST,
                    "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters");
        }
        return lock;
    }

    /** The {@code x-amz-expiration} header for an object just written, its key's current version; null when no lifecycle rule expires it. */
    String expiration(String bucket, StoredObject written) {
        return expirations.header(bucket, written);
    }

    /**
     * Receives a part's body into a file, checksummed in the algorithm claimed and in {@code also},
     * and checks every digest the client claimed; nothing is left behind if one fails.
     */
    BodyStore.Received receive(InputStream body, byte[] contentMd5, Optional<String> signedSha256, Optional<ClaimedChecksum> claimed,
            Set<ChecksumAlgorithm> also) {
        Set<ChecksumAlgorithm> algorithms = EnumSet.noneOf(ChecksumAlgorithm.class);
        algorithms.addAll(also);
        claimed.ifPresent(c -> algorithms.add(c.algorithm()));
        return receive(body, contentMd5, signedSha256, claimed, algorithms, BodyStore.NO_INLINE);
    }

    /**
     * Receives an object's whole body (PutObject, PostObject): inline when small enough (see
     * {@link BodyStore}), its checksum the one claimed or else S3's default
     * ({@link ClaimedChecksum#orDefault}); every digest the client claimed is checked.
     */
    BodyStore.Received receiveObject(InputStream body, byte[] contentMd5, Optional<String> signedSha256, Optional<ClaimedChecksum> claimed) {
        return receive(body, contentMd5, signedSha256, claimed, Set.of(ClaimedChecksum.orDefault(claimed)), BodyStore.INLINE_MAX_BYTES);
    }

    /**
     * Receives a body (inline when it ends within {@code inlineMax} bytes), checksummed with
     * {@code algorithms}, and checks every digest the client claimed; nothing is left behind if one fails.
     */
    private BodyStore.Received receive(InputStream body, byte[] contentMd5, Optional<String> signedSha256, Optional<ClaimedChecksum> claimed,
            Set<ChecksumAlgorithm> algorithms, int inlineMax) {
        BodyStore.Received received = bodies.receive(body, signedSha256.isPresent(), algorithms, inlineMax);
        try {
            if (signedSha256.isPresent() && !signedSha256.get().equalsIgnoreCase(received.sha256())) {
                throw AwsException.of(CommonErrors.X_AMZ_CONTENT_SHA256_MISMATCH, "The provided 'x-amz-content-sha256' header does not match what was computed.");
            }
            if (contentMd5 != null && !MessageDigest.isEqual(contentMd5, received.md5())) {
                throw AwsException.of(CommonErrors.BAD_DIGEST, "The Content-MD5 you specified did not match what we received.");
            }
            claimed.ifPresent(c -> c.verify(received.checksum(c.algorithm())));
            return received;
        } catch (RuntimeException e) {
            bodies.discard(received);
            throw e;
        }
    }

    /**
     * A PutObject's or CopyObject's conditional-write headers.
     *
     * @param ifMatch write only over an object with this ETag
     * @param ifNoneMatch {@code *}: write only if no object has the key
     */
    record WriteCondition(String ifMatch, String ifNoneMatch) {

        static final WriteCondition NONE = new WriteCondition(null, null);

        /** S3 writes only under {@code If-None-Match: *}: another value is a condition it does not implement, whether or not the key exists. */
        WriteCondition {
            if (ifNoneMatch != null && !ifNoneMatch.trim().equals("*")) {
                throw new AwsException(CommonErrors.NOT_IMPLEMENTED, "A header you provided implies functionality that is not implemented",
                        Map.of("Header", "If-None-Match"), null);
            }
        }

        void check(StoredObject existing, String key) {
            if (ifNoneMatch != null && existing != null) {
                throw preconditionFailed("If-None-Match");
            }
            if (ifMatch != null) {
                if (existing == null) {
                    throw ObjectKeys.noSuchKey(key);
                }
                if (!Preconditions.matches(ifMatch, existing.etag())) {
                    throw preconditionFailed("If-Match");
                }
            }
        }
    }

    /**
     * Makes {@code object} the key's current version, if the bucket still exists and the
     * condition holds, with a version id as the bucket's versioning says, and announces it as
     * {@code ObjectCreated:<how>}; removes the bodies of versions no longer kept. On failure the
     * new body is removed.
     *
     * @param inline the bytes of the object's body when it is inline (written in the same transaction), else null
     * @return the object as stored, with its version
     */
    StoredObject store(RequestContext context, String bucket, StoredObject object, byte[] inline, WriteCondition condition, String how) {
        Stored stored;
        try {
            // The bucket is read outside the transaction, under the bucket's lock (see BucketLocks):
            // writes into one bucket then share their commits' syncs.
            stored = locks.shared(bucket, () -> objects.store().transaction(txn -> {
                Bucket found = BucketStore.require(objects.store(), context, bucket);
                StoredObject existing = ObjectStore.read(txn, bucket, object.key());
                condition.check(existing == null || existing.deleteMarker() ? null : existing, object.key());
                StoredObject versioned = replicator.stage(txn, found, newVersion(txn, found, object));
                if (inline != null) {
                    bodies.writeInline(txn, object.bodyId(), inline);
                }
                Stored written = new Stored(versioned, Versions.putCurrent(txn, found, versioned));
                bodies.dropInline(txn, written.dropped());
                notifier.created(txn, context, bucket, versioned, how);
                return written;
            }));
        } catch (RuntimeException e) {
            if (object.bodyId() != null) {
                bodies.delete(object.bodyId());
            }
            throw e;
        }
        announced();
        removeBodies(stored.dropped());
        return stored.object();
    }

    private record Stored(StoredObject object, List<StoredObject> dropped) {}

    /**
     * A new object as the bucket keeps it: with its version id (see {@link #withNewVersion}) and,
     * when it asks for no lock of its own, the bucket's default Object Lock retention.
     */
    StoredObject newVersion(StoreReader reader, Bucket bucket, StoredObject object) {
        StoredObject locked = object;
        if (object.lock() == null && bucket.objectLock()) {
            ObjectLockOperations.Configuration configuration = ObjectLockOperations.configuration(reader, bucket.name());
            ObjectLock defaults = configuration == null ? null : configuration.defaultLock(clock.millis());
            locked = defaults == null ? object : object.withLock(defaults);
        }
        return withNewVersion(bucket, locked);
    }

    /** The object with the version id the bucket gives a new write: a fresh one when versioning is enabled, else "null". */
    StoredObject withNewVersion(Bucket bucket, StoredObject object) {
        long stamp = stamps.updateAndGet(previous -> Math.max(previous + 1, clock.millis() * 1000));
        return object.withVersion(bucket.versioningEnabled() ? Versions.newId(stamp) : null, stamp);
    }

    void removeBodies(List<StoredObject> versions) {
        versions.stream().map(StoredObject::bodyId).filter(java.util.Objects::nonNull).forEach(bodies::delete);
    }

    GetObjectResponse getObject(RequestContext context, GetObjectRequest request) {
        return read(context, request, true);
    }

    GetObjectResponse headObject(RequestContext context, GetObjectRequest request) {
        return read(context, request, false);
    }

    private GetObjectResponse read(RequestContext context, GetObjectRequest request, boolean withBody) {
        // An inline body read right after its record may be gone by then: read both again.
        return withBody ? BodyStore.reading(() -> readOnce(context, request, true)) : readOnce(context, request, false);
    }

    private GetObjectResponse readOnce(RequestContext context, GetObjectRequest request, boolean withBody) {
        StoredObject object = Versions.find(objects.store(), context, request.bucket(), request.key(), request.versionId());
        if (object.deleteMarker()) {
            throw Versions.deleteMarkerNotAllowed(object, withBody ? "GET" : "HEAD");
        }
        Encryption.checkRead(object.encryption(), request.customerKey());
        long now = clock.millis();
        if (withBody) {
            RestoreOperations.checkReadable(object, now);
        }
        Preconditions conditions = new Preconditions(request.ifMatch(), request.ifNoneMatch(), request.ifModifiedSince(), request.ifUnmodifiedSince());
        switch (conditions.evaluate(object)) {
            case FAILED -> throw preconditionFailed(conditions.decidedBy(Preconditions.Outcome.FAILED));
            case NOT_MODIFIED -> {
                return new GetObjectResponse(304, null, null, object.quotedEtag(), Instant.ofEpochMilli(object.lastModifiedMillis()), null, null,
                        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
            }
            case PROCEED -> {
            }
        }
        if (request.partNumber() != null && request.range() != null) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "Cannot specify both Range header and partNumber query parameter");
        }
        Optional<ByteRange> range = partRange(request.partNumber(), object).or(() -> ByteRange.parse(request.range(), object.size()));
        long offset = range.map(ByteRange::first).orElse(0L);
        long length = range.map(ByteRange::length).orElse(object.size());
        ContentHeaders content = object.content();
        Map<String, String> checksums = "ENABLED".equalsIgnoreCase(request.checksumMode()) ? checksumHeaders(object, request.partNumber(), range) : null;
        InputStream body = withBody ? bodies.open(object.bodyId(), object.size(), offset, length) : null;
        return new GetObjectResponse(
                range.isPresent() ? 206 : 200,
                length,
                override(request.responseContentType(), content.contentType()),
                object.quotedEtag(),
                Instant.ofEpochMilli(object.lastModifiedMillis()),
                "bytes",
                range.map(r -> r.contentRange(object.size())).orElse(null),
                override(request.responseCacheControl(), content.cacheControl()),
                override(request.responseContentDisposition(), content.contentDisposition()),
                override(request.responseContentEncoding(), content.contentEncoding()),
                override(request.responseContentLanguage(), content.contentLanguage()),
                override(request.responseExpires(), content.expires()),
                object.versionId(),
                readExpiration(request, object),
                object.storageClass(),
                object.websiteRedirect(),
                RestoreOperations.header(object, now),
                object.replicationStatus(),
                object.tags().isEmpty() ? null : object.tags().size(),
                request.partNumber() != null ? object.partsCount() : null,
                Encryption.headers(object.encryption()),
                checksums,
                object.metadata().isEmpty() ? null : object.metadata(),
                ObjectLock.headers(object.lock()),
                body);
    }

    /**
     * The {@code x-amz-expiration} header of an object read: lifecycle expiration rules expire a
     * key's current version, so a version read by id that is no longer current has none.
     */
    private String readExpiration(GetObjectRequest request, StoredObject object) {
        String header = expirations.header(request.bucket(), object);
        if (header == null || request.versionId() == null) {
            return header;
        }
        StoredObject current = ObjectStore.read(objects.store(), request.bucket(), object.key());
        boolean stillCurrent = current != null && java.util.Objects.equals(current.versionId(), object.versionId()) && current.order() == object.order();
        return stillCurrent ? header : null;
    }

    /**
     * The checksum headers of a GET or HEAD with checksum mode on: the object's checksum when the
     * whole object is read, a part's own when a part of a multipart object is ({@code partNumber}),
     * none for a byte range.
     */
    private static Map<String, String> checksumHeaders(StoredObject object, Integer partNumber, Optional<ByteRange> range) {
        boolean fullObject = object.checksum() != null && !object.checksum().contains("-");
        if (partNumber != null && object.partsCount() != null) {
            List<String> parts = object.partChecksums();
            return parts == null ? null : ClaimedChecksum.headers(object.checksumAlgorithm(), parts.get(partNumber - 1), fullObject);
        }
        // Part 1 of an object uploaded whole is the whole object.
        return range.isPresent() && partNumber == null ? null : ClaimedChecksum.headers(object.checksumAlgorithm(), object.checksum(), fullObject);
    }

    /** A {@code partNumber} GET: part 1 of an object uploaded whole is the whole object. */
    private static Optional<ByteRange> partRange(Integer partNumber, StoredObject object) {
        if (partNumber == null) {
            return Optional.empty();
        }
        if (partNumber < 1 || partNumber > 10_000) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Part number must be an integer between 1 and 10000, inclusive");
        }
        int parts = object.partsCount() == null ? 1 : object.partsCount();
        if (partNumber > parts) {
            throw new AwsException(S3Errors.INVALID_PART_NUMBER, "The requested partnumber is not satisfiable",
                    Map.of("PartNumberRequested", partNumber.toString(), "ActualPartCount", Integer.toString(parts)), null);
        }
        if (object.partsCount() == null) {
            // Part 1 of an object uploaded whole is all of it, answered as a part is: 206 with its Content-Range.
            return object.size() == 0 ? Optional.empty() : Optional.of(new ByteRange(0, object.size() - 1));
        }
        return Optional.of(object.partRange(partNumber));
    }

    DeleteObjectResponse deleteObject(RequestContext context, DeleteObjectRequest request) {
        ObjectKeys.check(request.key());
        Deleted deleted = delete(context, request.bucket(), request.key(), request.versionId(), new DeleteCondition(request.ifMatch(), null, null),
                Boolean.TRUE.equals(request.bypassGovernanceRetention()));
        return new DeleteObjectResponse(deleted.deleteMarker() ? Boolean.TRUE : null, deleted.versionId());
    }

    /**
     * What a delete did.
     *
     * @param deleteMarker whether a delete marker was created, or the version removed was one
     * @param versionId the version removed or the marker's version, as S3 reports it; null in a bucket that never had versioning
     */
    record Deleted(boolean deleteMarker, String versionId) {}

    /**
     * A delete's conditions on the key's current object, evaluated in the delete's transaction:
     * DeleteObject's {@code If-Match}, a DeleteObjects key's {@code ETag}, {@code LastModifiedTime}
     * and {@code Size}. Any condition on a key without a current object is {@code NoSuchKey}, as
     * S3 answers {@code If-Match} there.
     *
     * @param ifMatch the ETag (or {@code *}) the object must have
     * @param lastModified the modification time the object must have
     * @param size the size in bytes the object must have
     */
    record DeleteCondition(String ifMatch, Instant lastModified, Long size) {

        static final DeleteCondition NONE = new DeleteCondition(null, null, null);

        void check(StoredObject current, String key) {
            if (ifMatch == null && lastModified == null && size == null) {
                return;
            }
            if (current == null || current.deleteMarker()) {
                throw ObjectKeys.noSuchKey(key);
            }
            if (ifMatch != null && !Preconditions.matches(ifMatch, current.etag())
                    || lastModified != null && lastModified.toEpochMilli() != current.lastModifiedMillis()
                    || size != null && size != current.size()) {
                throw preconditionFailed("If-Match");
            }
        }
    }

    /**
     * Deletes a key (in a versioned bucket: adds a delete marker) or one version of it for good,
     * if the condition holds. Deleting what is not there succeeds, as on S3.
     */
    Deleted delete(RequestContext context, String bucket, String key, String versionId, DeleteCondition condition, boolean bypassGovernance) {
        return delete(context, bucket, key, versionId, condition, bypassGovernance, false);
    }

    /**
     * A delete by a lifecycle rule: the same as a client's, announced as {@code LifecycleExpiration:*};
     * a version Object Lock protects is kept ({@code AccessDenied}), as S3's lifecycle keeps it.
     */
    Deleted expire(RequestContext context, String bucket, String key, String versionId) {
        return delete(context, bucket, key, versionId, DeleteCondition.NONE, false, true);
    }

    private Deleted delete(RequestContext context, String bucket, String key, String versionId, DeleteCondition condition, boolean bypassGovernance,
            boolean byLifecycle) {
        List<StoredObject> dropped = new ArrayList<>();
        Deleted deleted = objects.store().transaction(txn -> {
            dropped.clear();
            Deleted result = delete(txn, context, bucket, key, versionId, condition, bypassGovernance, byLifecycle, dropped);
            bodies.dropInline(txn, dropped);
            if (!dropped.isEmpty() || result.deleteMarker() && versionId == null) {
                notifier.removed(txn, context, bucket, key, result.versionId(), result.deleteMarker() && versionId == null, byLifecycle);
            }
            return result;
        });
        removeBodies(dropped);
        announced();
        return deleted;
    }

    /**
     * Deletes in {@code txn}, adding what is no longer kept to {@code dropped}. A version that
     * Object Lock protects is not deleted for good ({@code AccessDenied}); a delete marker on top of it
     * is added as ever.
     */
    private Deleted delete(Transaction txn, RequestContext context, String bucket, String key, String versionId, DeleteCondition condition,
            boolean bypassGovernance, boolean byLifecycle, List<StoredObject> dropped) {
        Bucket found = BucketStore.require(txn, context, bucket);
        StoredObject current = ObjectStore.read(txn, bucket, key);
        condition.check(current, key);
        if (versionId != null) {
            StoredObject version = Versions.version(txn, found, key, versionId);
            if (version == null) {
                return new Deleted(false, versionId);
            }
            if (version.lock() != null && version.lock().protects(clock.millis(), bypassGovernance)) {
                throw ObjectLock.protectedVersion();
            }
            Versions.deleteVersion(txn, found, version);
            dropped.add(version);
            return new Deleted(version.deleteMarker(), versionId);
        }
        if (found.versioning() == null) {
            if (current != null) {
                ObjectStore.remove(txn, bucket, key);
                dropped.add(current);
            }
            return new Deleted(false, null);
        }
        StoredObject marker = withNewVersion(found, StoredObject.deleteMarker(key, nowSeconds()));
        if (!byLifecycle) {
            // S3 does not replicate what its lifecycle rules do.
            replicator.stage(txn, found, marker);
        }
        dropped.addAll(Versions.putCurrent(txn, found, marker));
        return new Deleted(true, marker.versionId() == null ? Versions.NULL : marker.versionId());
    }

    /**
     * Deletes each key as DeleteObject would; a key whose delete fails (a condition, say) is an error of its own, the others go on.
     *
     * @param denied the keys the caller may not delete: each is an {@code AccessDenied} error of its own, as S3 answers it
     */
    DeleteObjectsResponse deleteObjects(RequestContext context, DeleteObjectsRequest request, java.util.function.Predicate<ObjectIdentifier> denied) {
        BucketStore.require(objects.store(), context, request.bucket());
        List<ObjectIdentifier> targets = request.delete() == null || request.delete().objects() == null ? List.of() : request.delete().objects();
        if (targets.isEmpty() || targets.size() > MAX_DELETES || targets.stream().anyMatch(t -> t.key() == null)) {
            throw new AwsException(CommonErrors.MALFORMED_XML, "The XML you provided was not well-formed or did not validate against our published schema");
        }
        boolean quiet = Boolean.TRUE.equals(request.delete().quiet());
        List<DeletedObject> deleted = new ArrayList<>();
        List<DeleteError> errors = new ArrayList<>();
        for (ObjectIdentifier target : targets) {
            try {
                ObjectKeys.check(target.key());
                if (denied.test(target)) {
                    throw new AwsException(S3Errors.ACCESS_DENIED, "Access Denied");
                }
                DeleteCondition condition = new DeleteCondition(target.etag(), target.lastModifiedTime(), target.size());
                Deleted result = delete(context, request.bucket(), target.key(), target.versionId(), condition,
                        Boolean.TRUE.equals(request.bypassGovernanceRetention()));
                if (!quiet) {
                    // The marker's version id, whether the delete created the marker or removed it by its id.
                    deleted.add(new DeletedObject(target.key(), target.versionId(), result.deleteMarker() ? Boolean.TRUE : null,
                            result.deleteMarker() ? result.versionId() : null));
                }
            } catch (AwsException e) {
                errors.add(new DeleteError(target.key(), target.versionId(), e.errorCode().code(), e.getMessage()));
            }
        }
        return new DeleteObjectsResponse(deleted, errors);
    }

    /**
     * Moves a version to a colder storage class, as a lifecycle rule does, announced as
     * {@code LifecycleTransition}; nothing when it is gone, was replaced or is as cold already.
     *
     * @param listed the version as the rule's sweep listed it
     */
    void transition(RequestContext context, String bucketName, StoredObject listed, String storageClass) {
        boolean moved = objects.store().transaction(txn -> {
            Bucket bucket = BucketStore.read(txn, bucketName);
            StoredObject now = bucket == null ? null
                    : Versions.version(txn, bucket, listed.key(), listed.versionId() == null ? Versions.NULL : listed.versionId());
            if (now == null || now.deleteMarker() || !java.util.Objects.equals(now.bodyId(), listed.bodyId())
                    || Lifecycle.coldness(storageClass) <= Lifecycle.coldness(now.storageClass())) {
                return false;
            }
            StoredObject colder = now.withStorageClass(storageClass);
            Versions.rewrite(txn, bucket, colder);
            notifier.transitioned(txn, context, bucketName, colder);
            return true;
        });
        if (moved) {
            notifier.wake();
        }
    }

    long nowMillis() {
        return clock.millis();
    }

    long nowSeconds() {
        return clock.millis() / 1000 * 1000;
    }

    static AwsException preconditionFailed(String condition) {
        return new AwsException(S3Errors.PRECONDITION_FAILED, "At least one of the pre-conditions you specified did not hold",
                Map.of("Condition", condition), null);
    }

    private static String override(String requested, String stored) {
        return requested != null ? requested : stored;
    }
}
