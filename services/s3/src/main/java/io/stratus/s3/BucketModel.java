package io.stratus.s3;

import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpPrefixHeaders;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.protocol.traits.XmlMemberName;
import io.stratus.protocol.traits.XmlName;
import java.time.Instant;
import java.util.List;

/** The request and response records of S3's bucket operations, named as AWS's model names them. */
final class BucketModel {

    private BucketModel() {}

    record BucketRequest(@HttpLabel("Bucket") String bucket) implements BucketAddressed {}

    record NoOutput() {}

    record CreateBucketConfiguration(String locationConstraint) {}

    record CreateBucketRequest(
            @HttpLabel("Bucket") String bucket,
            @HttpHeader("x-amz-acl") String acl,
            @HttpPrefixHeaders("x-amz-grant-") java.util.Map<String, String> grants,
            @HttpHeader("x-amz-object-ownership") String objectOwnership,
            @HttpHeader("x-amz-bucket-object-lock-enabled") Boolean objectLockEnabled,
            @HttpPayload CreateBucketConfiguration configuration) implements BucketAddressed {}

    record CreateBucketResponse(@HttpHeader("Location") String location) {}

    record HeadBucketResponse(@HttpHeader("x-amz-bucket-region") String bucketRegion) {}

    record ListBucketsRequest(
            @HttpQuery("max-buckets") Integer maxBuckets,
            @HttpQuery("continuation-token") String continuationToken,
            @HttpQuery("prefix") String prefix,
            @HttpQuery("bucket-region") String bucketRegion) {}

    record Owner(@XmlName("ID") String id, String displayName) {}

    record BucketEntry(String name, Instant creationDate, String bucketRegion) {}

    @XmlName("ListAllMyBucketsResult")
    record ListBucketsResponse(Owner owner, @XmlMemberName("Bucket") List<BucketEntry> buckets, String continuationToken, String prefix) {}

    /** GetBucketLocation's body is one element with text, not a structure: written as is. */
    record GetBucketLocationResponse(@HttpHeader("Content-Type") String contentType, @HttpPayload String document) {}
}
