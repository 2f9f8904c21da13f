package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.s3.BucketModel.Owner;
import io.stratus.s3.MultipartModel.ListMultipartUploadsRequest;
import io.stratus.s3.MultipartModel.ListMultipartUploadsResponse;
import io.stratus.s3.MultipartModel.ListPartsRequest;
import io.stratus.s3.MultipartModel.ListPartsResponse;
import io.stratus.s3.MultipartModel.PartEntry;
import io.stratus.s3.MultipartModel.UploadEntry;
import io.stratus.s3.UploadStore.Part;
import io.stratus.s3.UploadStore.Upload;
import java.time.Instant;
import java.util.List;

/** ListParts and ListMultipartUploads, as range scans. Thread-safe. */
final class MultipartListing {

    private static final int MAX_ITEMS = 1000;

    private final UploadStore uploads;

    MultipartListing(UploadStore uploads) {
        this.uploads = requireNonNull(uploads, "uploads is null");
    }

    ListPartsResponse listParts(RequestContext context, ListPartsRequest request) {
        Upload upload = MultipartOperations.require(uploads.store(), context, request.bucket(), request.key(), request.uploadId());
        int max = limit(request.maxParts(), "max-parts");
        int marker = request.partNumberMarker() == null ? 0 : request.partNumberMarker();
        List<Part> page = UploadStore.parts(uploads.store(), upload.uploadId(), marker, max + 1);
        // A page of none is untruncated, as the listings answer max-keys=0.
        boolean truncated = max > 0 && page.size() > max;
        List<Part> shown = truncated ? page.subList(0, max) : page;
        String algorithm = upload.checksumAlgorithm();
        List<PartEntry> parts = shown.stream()
                .map(p -> new PartEntry(p.partNumber(), Instant.ofEpochMilli(p.lastModifiedMillis()), "\"" + p.etag() + "\"", p.size(),
                        "CRC32".equals(algorithm) ? p.checksum() : null, "CRC32C".equals(algorithm) ? p.checksum() : null,
                        "CRC64NVME".equals(algorithm) ? p.checksum() : null, "SHA1".equals(algorithm) ? p.checksum() : null,
                        "SHA256".equals(algorithm) ? p.checksum() : null))
                .toList();
        Owner owner = BucketOperations.owner(upload.account());
        return new ListPartsResponse(upload.bucket(), upload.key(), upload.uploadId(), marker,
                shown.isEmpty() ? null : shown.getLast().partNumber(), max, truncated, parts, owner, owner,
                upload.storageClass() == null ? "STANDARD" : upload.storageClass(), algorithm, upload.checksumType());
    }

    ListMultipartUploadsResponse listMultipartUploads(RequestContext context, ListMultipartUploadsRequest request) {
        BucketStore.require(uploads.store(), context, request.bucket());
        if (request.encodingType() != null && !request.encodingType().equals("url")) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request");
        }
        boolean url = request.encodingType() != null;
        int max = limit(request.maxUploads(), "max-uploads");
        String prefix = request.prefix() == null ? "" : request.prefix();
        byte[] after = request.keyMarker() == null || request.keyMarker().isEmpty() ? null
                : UploadStore.after(request.bucket(), request.keyMarker(),
                        request.uploadIdMarker() == null || request.uploadIdMarker().isEmpty() ? null : request.uploadIdMarker());
        String delimiter = request.delimiter() == null || request.delimiter().isEmpty() ? null : request.delimiter();
        UploadStore.Page page = uploads.page(request.bucket(), prefix, delimiter, after, request.keyMarker(), max);
        List<UploadEntry> entries = page.uploads().stream()
                .map(u -> new UploadEntry(ObjectListing.encode(u.key(), url), u.uploadId(), BucketOperations.owner(u.account()),
                        BucketOperations.owner(u.account()), u.storageClass() == null ? "STANDARD" : u.storageClass(),
                        Instant.ofEpochMilli(u.initiatedMillis()), u.checksumAlgorithm(), u.checksumType()))
                .toList();
        boolean truncated = max > 0 && page.truncated();
        // The page ends with a common prefix or an upload.
        Upload last = page.uploads().isEmpty() || page.lastPrefix() != null ? null : page.uploads().getLast();
        String nextKeyMarker = !truncated ? null : last != null ? last.key() : page.lastPrefix();
        return new ListMultipartUploadsResponse(request.bucket(), ObjectListing.encode(request.keyMarker() == null ? "" : request.keyMarker(), url),
                request.uploadIdMarker() == null ? "" : request.uploadIdMarker(), ObjectListing.encode(nextKeyMarker, url),
                truncated && last != null ? last.uploadId() : null, ObjectListing.encode(prefix, url),
                ObjectListing.encode(delimiter, url), max, truncated, entries,
                page.prefixes().stream().map(p -> new ListModel.CommonPrefix(ObjectListing.encode(p, url))).toList(), url ? "url" : null);
    }

    private static int limit(Integer requested, String name) {
        if (requested == null) {
            return MAX_ITEMS;
        }
        if (requested < 0) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Argument %s must be an integer between 0 and 2147483647", name);
        }
        return Math.min(requested, MAX_ITEMS);
    }
}
