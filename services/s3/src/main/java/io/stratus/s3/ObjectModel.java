package io.stratus.s3;

import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpPrefixHeaders;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.protocol.traits.HttpResponseCode;
import io.stratus.protocol.traits.XmlFlattened;
import io.stratus.protocol.traits.XmlName;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The request and response records of S3's object operations. PutObject and CopyObject share a
 * URI and method and differ only by the {@code x-amz-copy-source} header, so one request record
 * carries both; the handler answers with the response record of the operation it ran.
 */
final class ObjectModel {

    private ObjectModel() {}

    record PutObjectRequest(
            @HttpLabel("Bucket") String bucket,
            @HttpLabel("Key") String key,
            @HttpHeader("Content-Length") Long contentLength,
            @HttpHeader("Transfer-Encoding") String transferEncoding,
            @HttpHeader("Content-MD5") String contentMd5,
            @HttpHeader("Content-Type") String contentType,
            @HttpHeader("Content-Encoding") String contentEncoding,
            @HttpHeader("Content-Disposition") String contentDisposition,
            @HttpHeader("Content-Language") String contentLanguage,
            @HttpHeader("Cache-Control") String cacheControl,
            @HttpHeader("Expires") String expires,
            @HttpHeader("x-amz-content-sha256") String contentSha256,
            @HttpHeader("x-amz-sdk-checksum-algorithm") String sdkChecksumAlgorithm,
            @HttpHeader("x-amz-trailer") String trailer,
            @HttpPrefixHeaders("x-amz-checksum-") Map<String, String> checksums,
            @HttpHeader("If-Match") String ifMatch,
            @HttpHeader("If-None-Match") String ifNoneMatch,
            @HttpHeader("x-amz-storage-class") String storageClass,
            @HttpHeader("x-amz-tagging") String tagging,
            @HttpPrefixHeaders("x-amz-meta-") Map<String, String> metadata,
            @HttpHeader("x-amz-website-redirect-location") String websiteRedirectLocation,
            @HttpPrefixHeaders("x-amz-server-side-encryption") Map<String, String> encryption,
            @HttpPrefixHeaders("x-amz-copy-source-server-side-encryption-customer-") Map<String, String> copySourceCustomerKey,
            @HttpHeader("x-amz-acl") String acl,
            @HttpPrefixHeaders("x-amz-grant-") Map<String, String> grants,
            @HttpHeader("x-amz-copy-source") String copySource,
            @HttpHeader("x-amz-checksum-algorithm") String copyChecksumAlgorithm,
            @HttpHeader("x-amz-metadata-directive") String metadataDirective,
            @HttpHeader("x-amz-tagging-directive") String taggingDirective,
            @HttpHeader("x-amz-copy-source-if-match") String copySourceIfMatch,
            @HttpHeader("x-amz-copy-source-if-none-match") String copySourceIfNoneMatch,
            @HttpHeader("x-amz-copy-source-if-modified-since") String copySourceIfModifiedSince,
            @HttpHeader("x-amz-copy-source-if-unmodified-since") String copySourceIfUnmodifiedSince,
            @HttpHeader("x-amz-object-lock-mode") String objectLockMode,
            @HttpHeader("x-amz-object-lock-retain-until-date") String objectLockRetainUntilDate,
            @HttpHeader("x-amz-object-lock-legal-hold") String objectLockLegalHold,
            @HttpPayload InputStream body) implements ObjectAddressed {}

    record PutObjectResponse(
            @HttpHeader("ETag") String etag,
            @HttpHeader("x-amz-version-id") String versionId,
            @HttpHeader("x-amz-expiration") String expiration,
            @HttpPrefixHeaders("x-amz-server-side-encryption") Map<String, String> encryption,
            @HttpPrefixHeaders("x-amz-checksum-") Map<String, String> checksums) {}

    record CopyObjectResult(@XmlName("ETag") String etag, Instant lastModified, String checksumType,
            @XmlName("ChecksumCRC32") String checksumCrc32, @XmlName("ChecksumCRC32C") String checksumCrc32c,
            @XmlName("ChecksumCRC64NVME") String checksumCrc64nvme, @XmlName("ChecksumSHA1") String checksumSha1,
            @XmlName("ChecksumSHA256") String checksumSha256) {}

    record CopyObjectResponse(
            @HttpHeader("x-amz-version-id") String versionId,
            @HttpHeader("x-amz-expiration") String expiration,
            @HttpHeader("x-amz-copy-source-version-id") String copySourceVersionId,
            @HttpPrefixHeaders("x-amz-server-side-encryption") Map<String, String> encryption,
            @HttpPayload CopyObjectResult result) {}

    record GetObjectRequest(
            @HttpLabel("Bucket") String bucket,
            @HttpLabel("Key") String key,
            @HttpQuery("versionId") String versionId,
            @HttpQuery("partNumber") Integer partNumber,
            @HttpHeader("Range") String range,
            @HttpHeader("If-Match") String ifMatch,
            @HttpHeader("If-None-Match") String ifNoneMatch,
            @HttpHeader("If-Modified-Since") String ifModifiedSince,
            @HttpHeader("If-Unmodified-Since") String ifUnmodifiedSince,
            @HttpHeader("x-amz-checksum-mode") String checksumMode,
            @HttpPrefixHeaders("x-amz-server-side-encryption-customer-") Map<String, String> customerKey,
            @HttpQuery("response-content-type") String responseContentType,
            @HttpQuery("response-content-language") String responseContentLanguage,
            @HttpQuery("response-expires") String responseExpires,
            @HttpQuery("response-cache-control") String responseCacheControl,
            @HttpQuery("response-content-disposition") String responseContentDisposition,
            @HttpQuery("response-content-encoding") String responseContentEncoding) implements ObjectAddressed {}

    /** GetObject's and HeadObject's answer; HeadObject's has no body. */
    record GetObjectResponse(
            @HttpResponseCode Integer status,
            @HttpHeader("Content-Length") Long contentLength,
            @HttpHeader("Content-Type") String contentType,
            @HttpHeader("ETag") String etag,
            @HttpHeader("Last-Modified") Instant lastModified,
            @HttpHeader("Accept-Ranges") String acceptRanges,
            @HttpHeader("Content-Range") String contentRange,
            @HttpHeader("Cache-Control") String cacheControl,
            @HttpHeader("Content-Disposition") String contentDisposition,
            @HttpHeader("Content-Encoding") String contentEncoding,
            @HttpHeader("Content-Language") String contentLanguage,
            @HttpHeader("Expires") String expires,
            @HttpHeader("x-amz-version-id") String versionId,
            @HttpHeader("x-amz-expiration") String expiration,
            @HttpHeader("x-amz-storage-class") String storageClass,
            @HttpHeader("x-amz-website-redirect-location") String websiteRedirectLocation,
            @HttpHeader("x-amz-restore") String restore,
            @HttpHeader("x-amz-replication-status") String replicationStatus,
            @HttpHeader("x-amz-tagging-count") Integer taggingCount,
            @HttpHeader("x-amz-mp-parts-count") Integer partsCount,
            @HttpPrefixHeaders("x-amz-server-side-encryption") Map<String, String> encryption,
            @HttpPrefixHeaders("x-amz-checksum-") Map<String, String> checksums,
            @HttpPrefixHeaders("x-amz-meta-") Map<String, String> metadata,
            @HttpPrefixHeaders("x-amz-object-lock-") Map<String, String> objectLock,
            @HttpPayload InputStream body) {}

    record DeleteObjectRequest(
            @HttpLabel("Bucket") String bucket,
            @HttpLabel("Key") String key,
            @HttpQuery("versionId") String versionId,
            @HttpHeader("If-Match") String ifMatch,
            @HttpHeader("x-amz-bypass-governance-retention") Boolean bypassGovernanceRetention) implements ObjectAddressed {}

    record DeleteObjectResponse(
            @HttpHeader("x-amz-delete-marker") Boolean deleteMarker,
            @HttpHeader("x-amz-version-id") String versionId) {}

    /**
     * One key of a DeleteObjects, with the conditions on its current object that must hold for it
     * to be deleted: its {@code ETag} ({@code *}: that there is one) and, which AWS documents for
     * directory buckets, its {@code LastModifiedTime} and {@code Size}.
     */
    record ObjectIdentifier(String key, String versionId, @XmlName("ETag") String etag, Instant lastModifiedTime, Long size) {}

    record Delete(@XmlFlattened @XmlName("Object") List<ObjectIdentifier> objects, Boolean quiet) {}

    record DeleteObjectsRequest(@HttpLabel("Bucket") String bucket,
            @HttpHeader("x-amz-bypass-governance-retention") Boolean bypassGovernanceRetention, @HttpPayload Delete delete)
            implements BucketAddressed {}

    record DeletedObject(String key, String versionId, Boolean deleteMarker, String deleteMarkerVersionId) {}

    record DeleteError(String key, String versionId, String code, String message) {}

    @XmlName("DeleteResult")
    record DeleteObjectsResponse(
            @XmlFlattened @XmlName("Deleted") List<DeletedObject> deleted,
            @XmlFlattened @XmlName("Error") List<DeleteError> errors) {}
}
