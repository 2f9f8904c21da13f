package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.protocol.traits.XmlMemberName;
import io.stratus.protocol.traits.XmlName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Object and bucket tagging: object tags live in the object's record, bucket tags as a bucket configuration. Thread-safe. */
final class TaggingOperations {

    private static final String BUCKET_TAGS = "tagging";
    private static final int MAX_BUCKET_TAGS = 50;

    record ObjectTaggingRequest(@HttpLabel("Bucket") String bucket, @HttpLabel("Key") String key, @HttpQuery("versionId") String versionId,
            @HttpPayload Tagging tagging) implements ObjectAddressed {}

    @XmlName("Tagging")
    record TaggingResponse(@HttpHeader("x-amz-version-id") String versionId, @XmlMemberName("Tag") List<Tagging.Tag> tagSet) {}

    record VersionResponse(@HttpHeader("x-amz-version-id") String versionId) {}

    record BucketTaggingRequest(@HttpLabel("Bucket") String bucket, @HttpPayload Tagging tagging) implements BucketAddressed {}

    private final ObjectStore objects;
    private final BucketStore buckets;
    private final Notifier notifier;
    private final Replicator replicator;

    TaggingOperations(ObjectStore objects, BucketStore buckets, Notifier notifier, Replicator replicator) {
        this.objects = requireNonNull(objects, "objects is null");
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.notifier = requireNonNull(notifier, "notifier is null");
        this.replicator = requireNonNull(replicator, "replicator is null");
    }

    TaggingResponse getObjectTagging(RequestContext context, ObjectTaggingRequest request) {
        StoredObject object = Versions.find(objects.store(), context, request.bucket(), request.key(), request.versionId());
        if (object.deleteMarker()) {
            throw Versions.deleteMarkerNotAllowed(object, "GET");
        }
        return new TaggingResponse(object.versionId(), tagList(object.tags()));
    }

    VersionResponse putObjectTagging(RequestContext context, ObjectTaggingRequest request) {
        Map<String, String> tags = ObjectKeys.tagMap(request.tagging() == null ? null : request.tagging().tagSet(), true);
        return new VersionResponse(retag(context, request, tags, "PUT"));
    }

    VersionResponse deleteObjectTagging(RequestContext context, ObjectTaggingRequest request) {
        return new VersionResponse(retag(context, request, Map.of(), "DELETE"));
    }

    /**
     * Replaces a version's tags, announced as {@code ObjectTagging:Put} or {@code ObjectTagging:Delete};
     * {@code method} is the request's, which a delete marker's 405 names.
     */
    private String retag(RequestContext context, ObjectTaggingRequest request, Map<String, String> tags, String method) {
        String versionId = objects.store().transaction(txn -> {
            Bucket bucket = BucketStore.require(txn, context, request.bucket());
            StoredObject object = Versions.find(txn, context, request.bucket(), request.key(), request.versionId());
            if (object.deleteMarker()) {
                throw Versions.deleteMarkerNotAllowed(object, method);
            }
            StoredObject retagged = object.withTags(tags);
            Versions.rewrite(txn, bucket, retagged);
            notifier.tagged(txn, context, request.bucket(), object, method.equals("PUT"));
            replicator.stageTags(txn, bucket, object, retagged);
            return object.versionId();
        });
        notifier.wake();
        replicator.wake();
        return versionId;
    }

    TaggingResponse getBucketTagging(RequestContext context, BucketModel.BucketRequest request) {
        buckets.require(context, request.bucket());
        byte[] stored = buckets.config(request.bucket(), BUCKET_TAGS)
                .orElseThrow(() -> new AwsException(S3Errors.NO_SUCH_TAG_SET, "The TagSet does not exist", Map.of("BucketName", request.bucket()), null));
        @SuppressWarnings("unchecked")
        Map<String, String> tags = S3Json.decode(stored, LinkedHashMap.class);
        return new TaggingResponse(null, tagList(tags));
    }

    BucketConfigOperations.NoContent putBucketTagging(RequestContext context, BucketTaggingRequest request) {
        Map<String, String> tags = ObjectKeys.tagMap(request.tagging() == null ? null : request.tagging().tagSet(), false);
        if (tags.size() > MAX_BUCKET_TAGS) {
            throw AwsException.of(S3Errors.INVALID_TAG, "Bucket tag count cannot be greater than %d", MAX_BUCKET_TAGS);
        }
        if (tags.isEmpty()) {
            // An empty TagSet clears the bucket's tags: GetBucketTagging then answers NoSuchTagSet, as on S3.
            buckets.deleteConfig(context, request.bucket(), BUCKET_TAGS);
        } else {
            buckets.putConfig(context, request.bucket(), BUCKET_TAGS, S3Json.encode(tags));
        }
        return new BucketConfigOperations.NoContent();
    }

    BucketConfigOperations.NoContent deleteBucketTagging(RequestContext context, BucketModel.BucketRequest request) {
        buckets.deleteConfig(context, request.bucket(), BUCKET_TAGS);
        return new BucketConfigOperations.NoContent();
    }

    private static List<Tagging.Tag> tagList(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> new Tagging.Tag(e.getKey(), e.getValue())).toList();
    }
}
