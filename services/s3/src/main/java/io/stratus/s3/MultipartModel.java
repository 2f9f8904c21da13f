package io.stratus.s3;

import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpPrefixHeaders;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.protocol.traits.XmlFlattened;
import io.stratus.protocol.traits.XmlName;
import io.stratus.s3.BucketModel.Owner;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The request and response records of S3's multipart operations. UploadPart and UploadPartCopy
 * share a URI and method and differ only by {@code x-amz-copy-source}, so one request record
 * carries both.
 */
final class MultipartModel {

    private MultipartModel() {}

    record CreateMultipartUploadRequest(
            @HttpLabel("Bucket") String bucket,
            @HttpLabel("Key") String key,
            @HttpHeader("Content-Type") String contentType,
            @HttpHeader("Content-Encoding") String contentEncoding,
            @HttpHeader("Content-Disposition") String contentDisposition,
            @HttpHeader("Content-Language") String contentLanguage,
            @HttpHeader("Cache-Control") String cacheControl,
            @HttpHeader("Expires") String expires,
            @HttpHeader("x-amz-checksum-algorithm") String checksumAlgorithm,
            @HttpHeader("x-amz-checksum-type") String checksumType,
            @HttpHeader("x-amz-storage-class") String storageClass,
            @HttpHeader("x-amz-tagging") String tagging,
            @HttpPrefixHeaders("x-amz-meta-") Map<String, String> metadata,
            @HttpHeader("x-amz-website-redirect-location") String websiteRedirectLocation,
            @HttpPrefixHeaders("x-amz-server-side-encryption") Map<String, String> encryption,
            @HttpHeader("x-amz-acl") String acl,
            @HttpPrefixHeaders("x-amz-grant-") Map<String, String> grants,
            @HttpHeader("x-amz-object-lock-mode") String objectLockMode,
            @HttpHeader("x-amz-object-lock-retain-until-date") String objectLockRetainUntilDate,
            @HttpHeader("x-amz-object-lock-legal-hold") String objectLockLegalHold) implements ObjectAddressed {}

    @XmlName("InitiateMultipartUploadResult")
    record CreateMultipartUploadResponse(
            @HttpHeader("x-amz-checksum-algorithm") String checksumAlgorithmHeader,
            @HttpHeader("x-amz-checksum-type") String checksumTypeHeader,
            @HttpPrefixHeaders("x-amz-server-side-encryption") Map<String, String> encryption,
            String bucket, String key, String uploadId) {}

    record UploadPartRequest(
            @HttpLabel("Bucket") String bucket,
            @HttpLabel("Key") String key,
            @HttpQuery("partNumber") Integer partNumber,
            @HttpQuery("uploadId") String uploadId,
            @HttpHeader("Content-Length") Long contentLength,
            @HttpHeader("Transfer-Encoding") String transferEncoding,
            @HttpHeader("Content-MD5") String contentMd5,
            @HttpHeader("x-amz-content-sha256") String contentSha256,
            @HttpHeader("x-amz-sdk-checksum-algorithm") String sdkChecksumAlgorithm,
            @HttpHeader("x-amz-trailer") String trailer,
            @HttpPrefixHeaders("x-amz-checksum-") Map<String, String> checksums,
            @HttpHeader("x-amz-copy-source") String copySource,
            @HttpHeader("x-amz-copy-source-range") String copySourceRange,
            @HttpPrefixHeaders("x-amz-server-side-encryption-customer-") Map<String, String> customerKey,
            @HttpPrefixHeaders("x-amz-copy-source-server-side-encryption-customer-") Map<String, String> copySourceCustomerKey,
            @HttpHeader("x-amz-copy-source-if-match") String copySourceIfMatch,
            @HttpHeader("x-amz-copy-source-if-none-match") String copySourceIfNoneMatch,
            @HttpHeader("x-amz-copy-source-if-modified-since") String copySourceIfModifiedSince,
            @HttpHeader("x-amz-copy-source-if-unmodified-since") String copySourceIfUnmodifiedSince,
            @HttpPayload InputStream body) implements ObjectAddressed {}

    record UploadPartResponse(
            @HttpHeader("ETag") String etag,
            @HttpPrefixHeaders("x-amz-server-side-encryption") Map<String, String> encryption,
            @HttpPrefixHeaders("x-amz-checksum-") Map<String, String> checksums) {}

    record CopyPartResult(@XmlName("ETag") String etag, Instant lastModified,
            @XmlName("ChecksumCRC32") String checksumCrc32, @XmlName("ChecksumCRC32C") String checksumCrc32c,
            @XmlName("ChecksumCRC64NVME") String checksumCrc64nvme, @XmlName("ChecksumSHA1") String checksumSha1,
            @XmlName("ChecksumSHA256") String checksumSha256) {}

    record UploadPartCopyResponse(
            @HttpHeader("x-amz-copy-source-version-id") String copySourceVersionId,
            @HttpPrefixHeaders("x-amz-server-side-encryption") Map<String, String> encryption,
            @HttpPayload CopyPartResult result) {}

    record CompletedPart(Integer partNumber, @XmlName("ETag") String etag,
            @XmlName("ChecksumCRC32") String checksumCrc32, @XmlName("ChecksumCRC32C") String checksumCrc32c,
            @XmlName("ChecksumCRC64NVME") String checksumCrc64nvme, @XmlName("ChecksumSHA1") String checksumSha1,
            @XmlName("ChecksumSHA256") String checksumSha256) {}

    record CompletedMultipartUpload(@XmlFlattened @XmlName("Part") List<CompletedPart> parts) {}

    record CompleteMultipartUploadRequest(
            @HttpLabel("Bucket") String bucket,
            @HttpLabel("Key") String key,
            @HttpQuery("uploadId") String uploadId,
            @HttpHeader("If-Match") String ifMatch,
            @HttpHeader("If-None-Match") String ifNoneMatch,
            @HttpPrefixHeaders("x-amz-checksum-") Map<String, String> checksums,
            @HttpHeader("Host") String host,
            @HttpPayload CompletedMultipartUpload multipartUpload) implements ObjectAddressed {}

    @XmlName("CompleteMultipartUploadResult")
    record CompleteMultipartUploadResponse(
            @HttpPrefixHeaders("x-amz-server-side-encryption") Map<String, String> encryption,
            @HttpHeader("x-amz-version-id") String versionId,
            @HttpHeader("x-amz-expiration") String expiration,
            String location, String bucket, String key, @XmlName("ETag") String etag,
            @XmlName("ChecksumCRC32") String checksumCrc32, @XmlName("ChecksumCRC32C") String checksumCrc32c,
            @XmlName("ChecksumCRC64NVME") String checksumCrc64nvme, @XmlName("ChecksumSHA1") String checksumSha1,
            @XmlName("ChecksumSHA256") String checksumSha256, String checksumType) {}

    record UploadRequest(@HttpLabel("Bucket") String bucket, @HttpLabel("Key") String key, @HttpQuery("uploadId") String uploadId) implements ObjectAddressed {}

    record AbortMultipartUploadResponse() {}

    record ListPartsRequest(
            @HttpLabel("Bucket") String bucket,
            @HttpLabel("Key") String key,
            @HttpQuery("uploadId") String uploadId,
            @HttpQuery("max-parts") Integer maxParts,
            @HttpQuery("part-number-marker") Integer partNumberMarker) implements ObjectAddressed {}

    record PartEntry(Integer partNumber, Instant lastModified, @XmlName("ETag") String etag, Long size,
            @XmlName("ChecksumCRC32") String checksumCrc32, @XmlName("ChecksumCRC32C") String checksumCrc32c,
            @XmlName("ChecksumCRC64NVME") String checksumCrc64nvme, @XmlName("ChecksumSHA1") String checksumSha1,
            @XmlName("ChecksumSHA256") String checksumSha256) {}

    @XmlName("ListPartsResult")
    record ListPartsResponse(String bucket, String key, String uploadId, Integer partNumberMarker, Integer nextPartNumberMarker,
            Integer maxParts, Boolean isTruncated, @XmlFlattened @XmlName("Part") List<PartEntry> parts, Owner initiator, Owner owner,
            String storageClass, String checksumAlgorithm, String checksumType) {}

    record ListMultipartUploadsRequest(
            @HttpLabel("Bucket") String bucket,
            @HttpQuery("prefix") String prefix,
            @HttpQuery("key-marker") String keyMarker,
            @HttpQuery("upload-id-marker") String uploadIdMarker,
            @HttpQuery("max-uploads") Integer maxUploads,
            @HttpQuery("delimiter") String delimiter,
            @HttpQuery("encoding-type") String encodingType) implements BucketAddressed {}

    record UploadEntry(String key, String uploadId, Owner initiator, Owner owner, String storageClass, Instant initiated,
            String checksumAlgorithm, String checksumType) {}

    @XmlName("ListMultipartUploadsResult")
    record ListMultipartUploadsResponse(String bucket, String keyMarker, String uploadIdMarker, String nextKeyMarker,
            String nextUploadIdMarker, String prefix, String delimiter, Integer maxUploads, Boolean isTruncated,
            @XmlFlattened @XmlName("Upload") List<UploadEntry> uploads,
            @XmlFlattened @XmlName("CommonPrefixes") List<ListModel.CommonPrefix> commonPrefixes, String encodingType) {}
}
