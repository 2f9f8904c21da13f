package io.stratus.s3;

import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.protocol.traits.XmlFlattened;
import io.stratus.protocol.traits.XmlName;
import io.stratus.s3.BucketModel.Owner;
import java.time.Instant;
import java.util.List;

/** The request and response records of ListObjects (v1) and ListObjectsV2. */
final class ListModel {

    private ListModel() {}

    record ListObjectsRequest(
            @HttpLabel("Bucket") String bucket,
            @HttpQuery("prefix") String prefix,
            @HttpQuery("delimiter") String delimiter,
            @HttpQuery("marker") String marker,
            @HttpQuery("max-keys") Integer maxKeys,
            @HttpQuery("encoding-type") String encodingType) implements BucketAddressed {}

    record ListObjectsV2Request(
            @HttpLabel("Bucket") String bucket,
            @HttpQuery("prefix") String prefix,
            @HttpQuery("delimiter") String delimiter,
            @HttpQuery("continuation-token") String continuationToken,
            @HttpQuery("start-after") String startAfter,
            @HttpQuery("max-keys") Integer maxKeys,
            @HttpQuery("encoding-type") String encodingType,
            @HttpQuery("fetch-owner") Boolean fetchOwner) implements BucketAddressed {}

    /**
     * One object of a listing, as AWS's {@code Object} type has it.
     *
     * @param checksumAlgorithm a list in AWS's model, flattened in the XML: one element for the one algorithm an object has
     */
    record ObjectEntry(String key, Instant lastModified, @XmlName("ETag") String etag, String checksumAlgorithm, String checksumType, Long size,
            String storageClass, Owner owner) {}

    record CommonPrefix(String prefix) {}

    @XmlName("ListBucketResult")
    record ListObjectsResponse(String name, String prefix, String marker, String nextMarker, Integer maxKeys, String delimiter,
            Boolean isTruncated, String encodingType,
            @XmlFlattened @XmlName("Contents") List<ObjectEntry> contents,
            @XmlFlattened @XmlName("CommonPrefixes") List<CommonPrefix> commonPrefixes) {}

    @XmlName("ListBucketResult")
    record ListObjectsV2Response(String name, String prefix, Integer maxKeys, Integer keyCount, String delimiter, Boolean isTruncated,
            String continuationToken, String nextContinuationToken, String startAfter, String encodingType,
            @XmlFlattened @XmlName("Contents") List<ObjectEntry> contents,
            @XmlFlattened @XmlName("CommonPrefixes") List<CommonPrefix> commonPrefixes) {}
}
