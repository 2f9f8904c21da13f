package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.s3.StoredObject.ContentHeaders;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Multipart uploads in the store: one key per upload, {@code (bucket, key, uploadId)}, and one
 * per part, {@code (uploadId, partNumber)}, so both list as range scans. Thread-safe: the store
 * is, and this class keeps no state of its own.
 */
final class UploadStore {

    static final String UPLOADS = "s3.uploads";
    static final String PARTS = "s3.parts";
    static final String COMPLETED = "s3.completed-uploads";

    /**
     * An upload in progress: what CreateMultipartUpload said about the object to be.
     *
     * @param checksumType {@code COMPOSITE} or {@code FULL_OBJECT} when a checksum algorithm is set
     * @param websiteRedirect the object's {@code x-amz-website-redirect-location}, or null
     * @param encryption the object's encryption; null for SSE-S3 (and uploads from before it was kept)
     * @param acl the object's ACL (see {@link WriteAcl#forObject}); null for the default
     */
    record Upload(String bucket, String key, String uploadId, String account, long initiatedMillis, ContentHeaders content,
            Map<String, String> metadata, String checksumAlgorithm, String checksumType, String storageClass, Map<String, String> tags,
            String websiteRedirect, Encryption encryption, ObjectLock lock, Acl acl) {

        Upload {
            requireNonNull(bucket, "bucket is null");
            requireNonNull(key, "key is null");
            requireNonNull(uploadId, "uploadId is null");
        }
    }

    /**
     * A received part.
     *
     * @param etag the part's MD5 in hex, without quotes
     * @param checksum the part's additional checksum (in the upload's algorithm, else the one its
     *     client claimed), base64, or null
     * @param defaultChecksum the part's CRC64NVME, base64, when the upload has no checksum algorithm:
     *     S3 gives the object such an upload completes its default full-object CRC64NVME, combined
     *     from these; else null (also for parts stored before Stratus kept them)
     */
    record Part(int partNumber, String bodyId, long size, String etag, long lastModifiedMillis, String checksum, String defaultChecksum) {}

    private final Store store;

    UploadStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    Store store() {
        return store;
    }

    private static byte[] uploadKey(String bucket, String key, String uploadId) {
        return Key.builder().add(bucket).add(key).add(uploadId).build();
    }

    private static byte[] partKey(String uploadId, int partNumber) {
        return Key.builder().add(uploadId).add(partNumber).build();
    }

    static Upload read(StoreReader reader, String bucket, String key, String uploadId) {
        byte[] value = reader.get(UPLOADS, uploadKey(bucket, key, uploadId));
        return value == null ? null : S3Json.decode(value, Upload.class);
    }

    static void write(Transaction txn, Upload upload) {
        txn.put(UPLOADS, uploadKey(upload.bucket(), upload.key(), upload.uploadId()), S3Json.encode(upload));
    }

    static void remove(Transaction txn, Upload upload) {
        txn.delete(UPLOADS, uploadKey(upload.bucket(), upload.key(), upload.uploadId()));
    }

    /**
     * What a completed upload answered, kept a while so that a completion sent again (an SDK
     * retrying after a lost answer) gets the same answer, as S3 gives it.
     *
     * @param completedMillis when it completed; the record goes {@link MultipartOperations#COMPLETION_KEPT} later
     * @param etag the object's ETag, quoted
     * @param encryption the object's encryption, null for SSE-S3
     */
    record Completion(String bucket, String key, String uploadId, long completedMillis, String versionId, String etag, String checksumAlgorithm,
            String checksum, String checksumType, Encryption encryption) {}

    static Completion readCompletion(StoreReader reader, String bucket, String key, String uploadId) {
        byte[] value = reader.get(COMPLETED, uploadKey(bucket, key, uploadId));
        return value == null ? null : S3Json.decode(value, Completion.class);
    }

    static void writeCompletion(Transaction txn, Completion completion) {
        txn.put(COMPLETED, uploadKey(completion.bucket(), completion.key(), completion.uploadId()), S3Json.encode(completion));
    }

    /** Forgets the completions older than {@code before} (epoch millis); how many. */
    int forgetCompletions(long before) {
        List<byte[]> old = new ArrayList<>();
        try (Scan scan = store.scan(COMPLETED, KeyRange.all())) {
            while (scan.hasNext()) {
                io.stratus.storage.Entry entry = scan.next();
                if (S3Json.decode(entry.value(), Completion.class).completedMillis() < before) {
                    old.add(entry.key());
                }
            }
        }
        old.forEach(key -> store.delete(COMPLETED, key));
        return old.size();
    }

    static Part readPart(StoreReader reader, String uploadId, int partNumber) {
        byte[] value = reader.get(PARTS, partKey(uploadId, partNumber));
        return value == null ? null : S3Json.decode(value, Part.class);
    }

    static void writePart(Transaction txn, String uploadId, Part part) {
        txn.put(PARTS, partKey(uploadId, part.partNumber()), S3Json.encode(part));
    }

    static void removePart(Transaction txn, String uploadId, int partNumber) {
        txn.delete(PARTS, partKey(uploadId, partNumber));
    }

    /** The upload's parts after {@code afterPart}, in part order; at most {@code limit}. */
    static List<Part> parts(StoreReader reader, String uploadId, int afterPart, int limit) {
        List<Part> parts = new ArrayList<>();
        byte[] start = partKey(uploadId, afterPart + 1);
        KeyRange all = KeyRange.prefix(Key.builder().add(uploadId).build());
        try (Scan scan = reader.scan(PARTS, new KeyRange(start, all.end()))) {
            while (scan.hasNext() && parts.size() < limit) {
                parts.add(S3Json.decode(scan.next().value(), Part.class));
            }
        }
        return parts;
    }

    /** The bucket's uploads whose keys start with {@code prefix}, in key then upload id order. */
    List<Upload> uploads(String bucket, String prefix, byte[] startAfter, int limit) {
        return page(bucket, prefix, null, startAfter, null, limit).uploads();
    }

    /** One page of uploads and, with a delimiter, the common prefixes their keys roll up into. */
    record Page(List<Upload> uploads, List<String> prefixes, boolean truncated, String lastPrefix) {}

    /**
     * Up to {@code limit} uploads and common prefixes, in key order, from {@code start} on.
     *
     * @param keyMarker common prefixes up to this key were on earlier pages, or null
     */
    Page page(String bucket, String prefix, String delimiter, byte[] start, String keyMarker, int limit) {
        KeyRange range = KeyRange.prefix(Key.builder().add(bucket).buildPrefix(prefix));
        byte[] from = start != null && Key.ORDER.compare(start, range.start()) > 0 ? start : range.start();
        byte[] marker = keyMarker == null ? null : keyMarker.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<Upload> uploads = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String lastPrefix = null;
        boolean truncated = false;
        try (io.stratus.storage.Snapshot snapshot = store.snapshot()) {
            scanning:
            while (range.end() == null || Key.ORDER.compare(from, range.end()) < 0) {
                try (Scan scan = snapshot.scan(UPLOADS, new KeyRange(from, range.end()))) {
                    while (scan.hasNext()) {
                        Upload upload = S3Json.decode(scan.next().value(), Upload.class);
                        int cut = delimiter == null ? -1 : upload.key().indexOf(delimiter, prefix.length());
                        if (cut >= 0) {
                            String common = upload.key().substring(0, cut + delimiter.length());
                            boolean seen = marker != null
                                    && java.util.Arrays.compareUnsigned(common.getBytes(java.nio.charset.StandardCharsets.UTF_8), marker) <= 0;
                            if (!seen) {
                                if (uploads.size() + prefixes.size() == limit) {
                                    truncated = true;
                                    break scanning;
                                }
                                prefixes.add(common);
                                lastPrefix = common;
                            }
                            from = Key.prefixEnd(Key.builder().add(bucket).buildPrefix(common));
                            if (from == null) {
                                break scanning;
                            }
                            continue scanning;
                        }
                        if (uploads.size() + prefixes.size() == limit) {
                            truncated = true;
                            break scanning;
                        }
                        uploads.add(upload);
                        lastPrefix = null;
                    }
                }
                break;
            }
        }
        return new Page(uploads, prefixes, truncated, lastPrefix);
    }

    /** The first store key after the upload {@code (bucket, key, uploadId)}, or after every upload of the key when uploadId is null. */
    static byte[] after(String bucket, String key, String uploadId) {
        if (uploadId == null) {
            return Key.prefixEnd(Key.builder().add(bucket).add(key).build());
        }
        byte[] exact = uploadKey(bucket, key, uploadId);
        return java.util.Arrays.copyOf(exact, exact.length + 1);
    }
}
