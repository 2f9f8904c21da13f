package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import io.stratus.protocol.auth.ChecksumAlgorithm;
import io.stratus.s3.MultipartModel.CompleteMultipartUploadRequest;
import io.stratus.s3.MultipartModel.CompleteMultipartUploadResponse;
import io.stratus.s3.MultipartModel.CompletedPart;
import io.stratus.s3.MultipartModel.CopyPartResult;
import io.stratus.s3.MultipartModel.CreateMultipartUploadRequest;
import io.stratus.s3.MultipartModel.CreateMultipartUploadResponse;
import io.stratus.s3.MultipartModel.UploadPartCopyResponse;
import io.stratus.s3.MultipartModel.UploadPartRequest;
import io.stratus.s3.MultipartModel.UploadPartResponse;
import io.stratus.s3.MultipartModel.UploadRequest;
import io.stratus.s3.MultipartModel.AbortMultipartUploadResponse;
import io.stratus.s3.StoredObject.ContentHeaders;
import io.stratus.s3.UploadStore.Part;
import io.stratus.s3.UploadStore.Upload;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload and
 * AbortMultipartUpload. Parts are bodies of their own; completion makes their files, as they are,
 * the object's body (see {@link BodyStore#join}), copying nothing. Parts no longer referenced (replaced,
 * left out of the completion, aborted) are removed after the commit that dropped them, so a
 * part uploaded concurrently with a completion or an abort never leaves a stray file.
 * Thread-safe.
 */
final class MultipartOperations {

    static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    /** How long a completed upload answers a completion sent again with its first answer. */
    static final java.time.Duration COMPLETION_KEPT = java.time.Duration.ofHours(1);
    private static final int MAX_PART_NUMBER = 10_000;

    private final UploadStore uploads;
    private final BodyStore bodies;
    private final ObjectOperations objects;
    private final BucketAccess access;

    MultipartOperations(UploadStore uploads, BodyStore bodies, ObjectOperations objects, BucketAccess access) {
        this.uploads = requireNonNull(uploads, "uploads is null");
        this.bodies = requireNonNull(bodies, "bodies is null");
        this.objects = requireNonNull(objects, "objects is null");
        this.access = requireNonNull(access, "access is null");
    }

    CreateMultipartUploadResponse createMultipartUpload(RequestContext context, CreateMultipartUploadRequest request) {
        ObjectKeys.check(request.key());
        Bucket bucket = BucketStore.require(uploads.store(), context, request.bucket());
        Acl acl = new WriteAcl(request.acl(), request.grants()).forObject(uploads.store(), bucket, context);
        ObjectKeys.checkMetadata(request.metadata());
        Encryption encryption = Encryption.forWrite(request.encryption(), uploads.store(), bucket);
        String algorithm = request.checksumAlgorithm() == null ? null : ClaimedChecksum.algorithm(request.checksumAlgorithm()).name();
        String type = checksumType(algorithm, request.checksumType());
        // The object gets the lock its upload asked for when it is completed (else its bucket's default then).
        ObjectLock lock = ObjectLock.requested(request.objectLockMode(), request.objectLockRetainUntilDate(), request.objectLockLegalHold())
                ? ObjectLock.forWrite(request.objectLockMode(), request.objectLockRetainUntilDate(), request.objectLockLegalHold(),
                        ObjectLockOperations.configuration(uploads.store(), bucket.name()), objects.nowMillis())
                : null;
        Upload upload = new Upload(request.bucket(), request.key(), Ids.lowerAlphanumeric(32), context.accountId(), objects.nowSeconds(),
                new ContentHeaders(request.contentType() == null ? "binary/octet-stream" : request.contentType(), request.contentEncoding(),
                        request.contentDisposition(), request.contentLanguage(), request.cacheControl(), request.expires()),
                request.metadata(), algorithm, type, ObjectKeys.storageClass(request.storageClass()), ObjectKeys.tagsFromHeader(request.tagging()),
                ObjectKeys.websiteRedirect(request.websiteRedirectLocation()), encryption, lock, acl);
        uploads.store().transaction(txn -> {
            BucketStore.require(txn, context, request.bucket());
            UploadStore.write(txn, upload);
            return null;
        });
        return new CreateMultipartUploadResponse(algorithm, type, Encryption.headers(encryption), request.bucket(), request.key(), upload.uploadId());
    }

    /** The upload's checksum type: as requested, else S3's default for the algorithm (CRC64NVME has only full-object checksums). */
    private static String checksumType(String algorithm, String requested) {
        if (requested == null) {
            return algorithm == null ? null : algorithm.equals("CRC64NVME") ? "FULL_OBJECT" : "COMPOSITE";
        }
        if (!requested.equals("COMPOSITE") && !requested.equals("FULL_OBJECT")) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "Value for x-amz-checksum-type header is invalid.");
        }
        if (algorithm == null) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
        }
        boolean crc = FullObjectChecksum.supports(ChecksumAlgorithm.valueOf(algorithm));
        if (requested.equals("FULL_OBJECT") && !crc || requested.equals("COMPOSITE") && algorithm.equals("CRC64NVME")) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "The %s checksum type cannot be used with the %s checksum algorithm.",
                    requested, algorithm.toLowerCase(Locale.ROOT));
        }
        return requested;
    }

    /** UploadPart, or UploadPartCopy when the request names a copy source. */
    Record uploadPart(RequestContext context, UploadPartRequest request) {
        int partNumber = partNumber(request.partNumber());
        Upload upload = require(context, request.bucket(), request.key(), request.uploadId());
        Encryption.checkPart(upload.encryption(), request.customerKey());
        if (request.copySource() != null) {
            return uploadPartCopy(context, request, upload, partNumber);
        }
        ObjectKeys.checkLength(request.contentLength(), request.transferEncoding());
        byte[] contentMd5 = request.contentMd5() == null ? null : Digests.contentMd5(request.contentMd5());
        Optional<ClaimedChecksum> claimed = ClaimedChecksum.of(request.sdkChecksumAlgorithm(), request.trailer(), request.checksums())
                .or(() -> Optional.ofNullable(upload.checksumAlgorithm()).map(a -> new ClaimedChecksum(ChecksumAlgorithm.valueOf(a), null)));
        if (upload.checksumAlgorithm() != null && claimed.isPresent() && !claimed.get().algorithm().name().equals(upload.checksumAlgorithm())) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "Checksum Type mismatch occurred, expected checksum Type: %s, actual checksum Type: %s",
                    upload.checksumAlgorithm().toLowerCase(Locale.ROOT), claimed.get().algorithm().name().toLowerCase(Locale.ROOT));
        }
        Optional<String> signedSha256 = Optional.ofNullable(request.contentSha256()).filter(Digests::isSha256Hex);
        BodyStore.Received received = objects.receive(request.body(), contentMd5, signedSha256, claimed, defaultChecksums(upload));
        Part part = part(partNumber, upload, received, claimed.map(ClaimedChecksum::algorithm));
        storePart(context, upload, part);
        return new UploadPartResponse("\"" + part.etag() + "\"", Encryption.headers(upload.encryption()),
                claimed.isPresent() ? Map.of(claimed.get().algorithm().name().toLowerCase(Locale.ROOT), part.checksum()) : null);
    }

    /** What a part of the upload is checksummed in besides its own algorithm: S3's default CRC64NVME when the upload has none. */
    private static Set<ChecksumAlgorithm> defaultChecksums(Upload upload) {
        return upload.checksumAlgorithm() == null ? Set.of(ChecksumAlgorithm.CRC64NVME) : Set.of();
    }

    /** A received part, with its checksum in {@code algorithm} and, for an upload without an algorithm, its CRC64NVME. */
    private Part part(int partNumber, Upload upload, BodyStore.Received received, Optional<ChecksumAlgorithm> algorithm) {
        return new Part(partNumber, bodies.commit(received), received.size(), received.md5Hex(), objects.nowSeconds(),
                algorithm.map(received::checksum).orElse(null),
                upload.checksumAlgorithm() == null ? received.checksum(ChecksumAlgorithm.CRC64NVME) : null);
    }

    private UploadPartCopyResponse uploadPartCopy(RequestContext context, UploadPartRequest request, Upload upload, int partNumber) {
        CopySource source = CopySource.parse(request.copySource());
        BodyStore.Received received = BodyStore.reading(() -> {
            StoredObject original = source.read(uploads.store(), context, access);
            RestoreOperations.checkCopySource(original, objects.nowMillis());
            Encryption.checkRead(original.encryption(), request.copySourceCustomerKey());
            CopySource.checkConditions(new Preconditions(request.copySourceIfMatch(), request.copySourceIfNoneMatch(),
                    request.copySourceIfModifiedSince(), request.copySourceIfUnmodifiedSince()), original);
            ByteRange range = copyRange(request.copySourceRange(), original.size());
            try (var in = bodies.open(original.bodyId(), range.first(), range.length())) {
                return objects.receive(in, null, Optional.empty(), Optional.ofNullable(upload.checksumAlgorithm())
                        .map(a -> new ClaimedChecksum(ChecksumAlgorithm.valueOf(a), null)), defaultChecksums(upload));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Part part = part(partNumber, upload, received, Optional.ofNullable(upload.checksumAlgorithm()).map(ChecksumAlgorithm::valueOf));
        storePart(context, upload, part);
        return new UploadPartCopyResponse(source.versionId(), Encryption.headers(upload.encryption()),
                copyPartResult(part, upload.checksumAlgorithm()));
    }

    /** The copied part's ETag and, when the upload has a checksum algorithm, the part's checksum (of the bytes copied). */
    private static CopyPartResult copyPartResult(Part part, String algorithm) {
        String value = algorithm == null ? null : part.checksum();
        String named = value == null ? "" : algorithm;
        return new CopyPartResult("\"" + part.etag() + "\"", Instant.ofEpochMilli(part.lastModifiedMillis()),
                named.equals("CRC32") ? value : null, named.equals("CRC32C") ? value : null, named.equals("CRC64NVME") ? value : null,
                named.equals("SHA1") ? value : null, named.equals("SHA256") ? value : null);
    }

    /**
     * An {@code x-amz-copy-source-range} ({@code bytes=first-last}), which must lie inside the
     * source; absent, the whole source. A range reaching past the source's end is
     * {@code InvalidArgument}, as S3 answers it (not GetObject's 416).
     */
    private static ByteRange copyRange(String header, long size) {
        if (header == null) {
            return new ByteRange(0, size - 1);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes=(\\d{1,18})-(\\d{1,18})").matcher(header.trim());
        if (!m.matches()) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
        }
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        if (last >= size) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Range specified is not valid for source object of size: %d", size);
        }
        if (last < first) {
            throw AwsException.of(S3Errors.INVALID_RANGE, "The requested range is not satisfiable");
        }
        return new ByteRange(first, last);
    }

    private void storePart(RequestContext context, Upload upload, Part part) {
        Part replaced;
        try {
            replaced = uploads.store().transaction(txn -> {
                require(txn, context, upload.bucket(), upload.key(), upload.uploadId());
                Part existing = UploadStore.readPart(txn, upload.uploadId(), part.partNumber());
                UploadStore.writePart(txn, upload.uploadId(), part);
                return existing;
            });
        } catch (RuntimeException e) {
            bodies.delete(part.bodyId());
            throw e;
        }
        if (replaced != null) {
            bodies.delete(replaced.bodyId());
        }
    }

    CompleteMultipartUploadResponse completeMultipartUpload(RequestContext context, CompleteMultipartUploadRequest request) {
        Upload upload;
        try {
            upload = require(context, request.bucket(), request.key(), request.uploadId());
        } catch (AwsException e) {
            // Completed already: the same answer again, as S3 gives a completion sent twice (an SDK's retry).
            UploadStore.Completion done = e.errorCode() != S3Errors.NO_SUCH_UPLOAD || request.uploadId() == null ? null
                    : UploadStore.readCompletion(uploads.store(), request.bucket(), request.key(), request.uploadId());
            if (done == null) {
                throw e;
            }
            return answer(done, null, request.host());
        }
        List<CompletedPart> requested = request.multipartUpload() == null || request.multipartUpload().parts() == null
                ? List.of() : request.multipartUpload().parts();
        if (requested.isEmpty()) {
            throw new AwsException(CommonErrors.MALFORMED_XML, "The XML you provided was not well-formed or did not validate against our published schema");
        }
        List<Part> parts = validate(upload, requested);
        MessageDigest md5s = Digests.md5();
        parts.forEach(part -> md5s.update(HexFormat.of().parseHex(part.etag())));
        String etag = HexFormat.of().formatHex(md5s.digest()) + "-" + parts.size();
        ObjectChecksum checksum = checksum(upload, parts);
        verifyClaimedChecksum(request.checksums(), checksum);
        // The parts' files become the object's body as they are (see BodyStore.join): nothing is copied.
        String bodyId = BodyStore.join(parts.stream().map(Part::bodyId).toList());
        StoredObject object = new StoredObject(upload.key(), null, bodyId, parts.stream().mapToLong(Part::size).sum(), etag,
                objects.nowSeconds(), upload.content(), upload.metadata(), checksum == null ? null : checksum.algorithm().name(),
                checksum == null ? null : checksum.value(), parts.stream().map(Part::size).toList(),
                checksum == null ? null : checksum.partChecksums(), upload.storageClass(), upload.tags(), false, null,
                upload.websiteRedirect(), null, upload.encryption(), upload.lock(), null, upload.acl());
        ObjectOperations.WriteCondition condition = new ObjectOperations.WriteCondition(request.ifMatch(), request.ifNoneMatch());
        List<StoredObject> dropped = new ArrayList<>();
        // On failure the parts' files still belong to the upload's part records.
        StoredObject stored = uploads.store().transaction(txn -> {
            dropped.clear();
            Bucket bucket = BucketStore.require(txn, context, upload.bucket());
            if (UploadStore.read(txn, upload.bucket(), upload.key(), upload.uploadId()) == null) {
                throw noSuchUpload(upload.uploadId());
            }
            for (Part part : parts) {
                Part current = UploadStore.readPart(txn, upload.uploadId(), part.partNumber());
                if (current == null || !current.bodyId().equals(part.bodyId())) {
                    throw invalidPart(upload.uploadId(), part.partNumber(), part.etag());
                }
                UploadStore.removePart(txn, upload.uploadId(), part.partNumber());
            }
            StoredObject existing = ObjectStore.read(txn, upload.bucket(), upload.key());
            condition.check(existing == null || existing.deleteMarker() ? null : existing, upload.key());
            StoredObject versioned = objects.replicating(txn, bucket, objects.newVersion(txn, bucket, object));
            dropped.addAll(Versions.putCurrent(txn, bucket, versioned));
            bodies.dropInline(txn, dropped);
            UploadStore.remove(txn, upload);
            UploadStore.writeCompletion(txn, completion(upload, versioned, checksum));
            objects.created(txn, context, upload.bucket(), versioned, "CompleteMultipartUpload");
            return versioned;
        });
        // The parts the completion named are the object's body now; the others go.
        removeParts(upload.uploadId());
        objects.announced();
        objects.removeBodies(dropped);
        return answer(completion(upload, stored, checksum), objects.expiration(upload.bucket(), stored), request.host());
    }

    private UploadStore.Completion completion(Upload upload, StoredObject object, ObjectChecksum checksum) {
        return new UploadStore.Completion(upload.bucket(), upload.key(), upload.uploadId(), objects.nowSeconds(), object.versionId(), object.quotedEtag(),
                checksum == null ? null : checksum.algorithm().name(), checksum == null ? null : checksum.value(),
                checksum == null ? null : checksum.type(), upload.encryption());
    }

    /**
     * A completion's answer; {@code expiration} the object's {@code x-amz-expiration}, or null; its
     * {@code Location} under {@code host}, the host the request was sent to.
     */
    private static CompleteMultipartUploadResponse answer(UploadStore.Completion done, String expiration, String host) {
        String algorithm = done.checksumAlgorithm() == null ? "" : done.checksumAlgorithm();
        String value = done.checksum();
        return new CompleteMultipartUploadResponse(Encryption.headers(done.encryption()), done.versionId(), expiration,
                ObjectKeys.url(host, done.bucket(), done.key()), done.bucket(), done.key(), done.etag(),
                algorithm.equals("CRC32") ? value : null, algorithm.equals("CRC32C") ? value : null,
                algorithm.equals("CRC64NVME") ? value : null, algorithm.equals("SHA1") ? value : null,
                algorithm.equals("SHA256") ? value : null, done.checksumType());
    }

    /** Forgets completions older than {@link #COMPLETION_KEPT}, so a completion sent again later is {@code NoSuchUpload}. */
    int forgetOldCompletions() {
        return uploads.forgetCompletions(objects.nowSeconds() - COMPLETION_KEPT.toMillis());
    }

    /**
     * The stored parts a completion names, checked as S3 checks them. An upload with a composite
     * checksum needs each part's checksum in the completion, which must be the part's own.
     */
    private List<Part> validate(Upload upload, List<CompletedPart> requested) {
        boolean composite = upload.checksumAlgorithm() != null && "COMPOSITE".equals(upload.checksumType());
        List<Part> parts = new ArrayList<>();
        int previous = 0;
        for (CompletedPart completed : requested) {
            if (completed.partNumber() == null || completed.etag() == null) {
                throw new AwsException(CommonErrors.MALFORMED_XML, "The XML you provided was not well-formed or did not validate against our published schema");
            }
            if (completed.partNumber() <= previous) {
                throw AwsException.of(S3Errors.INVALID_PART_ORDER, "The list of parts was not in ascending order. Parts must be ordered by part number.");
            }
            previous = completed.partNumber();
            String claimedChecksum = composite ? checksumOf(completed, ChecksumAlgorithm.valueOf(upload.checksumAlgorithm())) : null;
            if (composite && claimedChecksum == null) {
                throw AwsException.of(S3Errors.INVALID_REQUEST, "The upload was created using a %s checksum. The complete request must include the "
                        + "checksum for each part. It was missing for part %d in the request.",
                        upload.checksumAlgorithm().toLowerCase(Locale.ROOT), completed.partNumber());
            }
            String etag = completed.etag().replace("\"", "").trim();
            Part part = UploadStore.readPart(uploads.store(), upload.uploadId(), completed.partNumber());
            if (part == null || !part.etag().equals(etag) || claimedChecksum != null && !claimedChecksum.trim().equals(part.checksum())) {
                throw invalidPart(upload.uploadId(), completed.partNumber(), etag);
            }
            parts.add(part);
        }
        for (int i = 0; i < parts.size() - 1; i++) {
            Part part = parts.get(i);
            if (part.size() < MIN_PART_BYTES) {
                throw new AwsException(S3Errors.ENTITY_TOO_SMALL, "Your proposed upload is smaller than the minimum allowed size",
                        Map.of("ProposedSize", Long.toString(part.size()), "MinSizeAllowed", Long.toString(MIN_PART_BYTES),
                                "PartNumber", Integer.toString(part.partNumber()), "ETag", part.etag()), null);
            }
        }
        return parts;
    }

    /** The checksum in {@code algorithm} a completion gives for a part, or null. */
    private static String checksumOf(CompletedPart completed, ChecksumAlgorithm algorithm) {
        return switch (algorithm) {
            case CRC32 -> completed.checksumCrc32();
            case CRC32C -> completed.checksumCrc32c();
            case CRC64NVME -> completed.checksumCrc64nvme();
            case SHA1 -> completed.checksumSha1();
            case SHA256 -> completed.checksumSha256();
        };
    }

    /**
     * A completed object's checksum.
     *
     * @param type {@code COMPOSITE} or {@code FULL_OBJECT}
     * @param partChecksums each part's checksum in {@code algorithm}, as GetObjectAttributes lists them
     */
    private record ObjectChecksum(ChecksumAlgorithm algorithm, String type, String value, List<String> partChecksums) {}

    /**
     * The completed object's checksum, or null when it has none (a part stored without one):
     * S3's composite one (the checksum of the parts' checksums, with the part count) or the
     * full-object CRC, combined from the parts' CRCs and lengths; for an upload created without
     * an algorithm, S3's default, a full-object CRC64NVME.
     */
    private static ObjectChecksum checksum(Upload upload, List<Part> parts) {
        if (upload.checksumAlgorithm() == null) {
            List<String> crcs = parts.stream().map(Part::defaultChecksum).toList();
            return crcs.contains(null) ? null : new ObjectChecksum(ChecksumAlgorithm.CRC64NVME, "FULL_OBJECT",
                    combine(ChecksumAlgorithm.CRC64NVME, parts, crcs), crcs);
        }
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.valueOf(upload.checksumAlgorithm());
        List<String> checksums = parts.stream().map(Part::checksum).toList();
        if (checksums.contains(null)) {
            return null;
        }
        if ("FULL_OBJECT".equals(upload.checksumType())) {
            return new ObjectChecksum(algorithm, "FULL_OBJECT", combine(algorithm, parts, checksums), checksums);
        }
        ChecksumAlgorithm.Running running = algorithm.start();
        for (String checksum : checksums) {
            byte[] raw = Base64.getDecoder().decode(checksum);
            running.update(raw, 0, raw.length);
        }
        return new ObjectChecksum(algorithm, "COMPOSITE", running.base64() + "-" + parts.size(), checksums);
    }

    private static String combine(ChecksumAlgorithm algorithm, List<Part> parts, List<String> checksums) {
        List<FullObjectChecksum.Piece> pieces = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            pieces.add(new FullObjectChecksum.Piece(checksums.get(i), parts.get(i).size()));
        }
        return FullObjectChecksum.combine(algorithm, pieces);
    }

    /**
     * The checksum a completion's headers claim for the whole object: well formed (one
     * {@code x-amz-checksum-<algorithm>} header of that algorithm's length, else
     * {@code InvalidRequest}), of the object's algorithm, and, for a full-object checksum, the
     * object's ({@code BadDigest}); a composite one S3 checks only by its parts. An
     * {@code x-amz-checksum-type} must be the object's ({@code BadDigest}).
     */
    private static void verifyClaimedChecksum(Map<String, String> headers, ObjectChecksum object) {
        if (headers == null) {
            return;
        }
        String type = headers.get("type");
        if (type != null && (object == null || !type.trim().equals(object.type()))) {
            throw AwsException.of(CommonErrors.BAD_DIGEST, "The checksum type you specified did not match the checksum type of the object.");
        }
        if (object != null && object.type().equals("COMPOSITE")) {
            return;
        }
        Optional<ClaimedChecksum> claimed = ClaimedChecksum.of(null, null, headers);
        if (claimed.isEmpty()) {
            return;
        }
        if (object == null || claimed.get().algorithm() != object.algorithm()) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "Checksum Type mismatch occurred, expected checksum Type: %s, actual checksum Type: %s",
                    object == null ? "null" : object.algorithm().name().toLowerCase(Locale.ROOT),
                    claimed.get().algorithm().name().toLowerCase(Locale.ROOT));
        }
        claimed.get().verify(object.value());
    }

    AbortMultipartUploadResponse abortMultipartUpload(RequestContext context, UploadRequest request) {
        uploads.store().transaction(txn -> {
            Upload upload = require(txn, context, request.bucket(), request.key(), request.uploadId());
            UploadStore.remove(txn, upload);
            return null;
        });
        removeParts(request.uploadId());
        return new AbortMultipartUploadResponse();
    }

    /** Aborts the bucket's uploads under {@code prefix} whose start time {@code expired} accepts (a lifecycle rule's); how many. */
    int abortBegunBefore(String bucket, String prefix, java.util.function.LongPredicate expired) {
        int aborted = 0;
        for (Upload upload : uploads.uploads(bucket, prefix, null, Integer.MAX_VALUE)) {
            if (!expired.test(upload.initiatedMillis())) {
                continue;
            }
            boolean removed = uploads.store().transaction(txn -> {
                if (UploadStore.read(txn, upload.bucket(), upload.key(), upload.uploadId()) == null) {
                    return false;
                }
                UploadStore.remove(txn, upload);
                return true;
            });
            if (removed) {
                removeParts(upload.uploadId());
                aborted++;
            }
        }
        return aborted;
    }

    /** Aborts every upload of a deleted bucket. */
    void abortAll(String bucket) {
        for (Upload upload : uploads.uploads(bucket, "", null, Integer.MAX_VALUE)) {
            uploads.store().transaction(txn -> {
                UploadStore.remove(txn, upload);
                return null;
            });
            removeParts(upload.uploadId());
        }
    }

    /** Removes the parts of an upload that no longer exists, with their bodies. */
    private void removeParts(String uploadId) {
        List<Part> parts;
        do {
            parts = UploadStore.parts(uploads.store(), uploadId, 0, 1000);
            for (Part part : parts) {
                uploads.store().transaction(txn -> {
                    UploadStore.removePart(txn, uploadId, part.partNumber());
                    return null;
                });
                bodies.delete(part.bodyId());
            }
        } while (!parts.isEmpty());
    }

    Upload require(RequestContext context, String bucket, String key, String uploadId) {
        return require(uploads.store(), context, bucket, key, uploadId);
    }

    static Upload require(io.stratus.storage.StoreReader reader, RequestContext context, String bucket, String key, String uploadId) {
        BucketStore.require(reader, context, bucket);
        Upload upload = uploadId == null ? null : UploadStore.read(reader, bucket, key, uploadId);
        if (upload == null) {
            throw noSuchUpload(uploadId);
        }
        return upload;
    }

    private static int partNumber(Integer partNumber) {
        if (partNumber == null || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Part number must be an integer between 1 and 10000, inclusive");
        }
        return partNumber;
    }

    static AwsException noSuchUpload(String uploadId) {
        return new AwsException(S3Errors.NO_SUCH_UPLOAD,
                "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
                Map.of("UploadId", uploadId == null ? "" : uploadId), null);
    }

    private static AwsException invalidPart(String uploadId, int partNumber, String etag) {
        return new AwsException(S3Errors.INVALID_PART, "One or more of the specified parts could not be found.  The part may not have been "
                + "uploaded, or the specified entity tag may not have matched the part's entity tag.",
                Map.of("UploadId", uploadId, "PartNumber", Integer.toString(partNumber), "ETag", etag), null);
    }
}
