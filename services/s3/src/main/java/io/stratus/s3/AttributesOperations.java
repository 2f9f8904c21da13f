package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.protocol.traits.XmlFlattened;
import io.stratus.protocol.traits.XmlName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** GetObjectAttributes: an object's metadata without its body, as much of it as the caller asks for. Thread-safe. */
final class AttributesOperations {

    private static final Set<String> ATTRIBUTES = Set.of("ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize");

    record GetObjectAttributesRequest(
            @HttpLabel("Bucket") String bucket,
            @HttpLabel("Key") String key,
            @HttpQuery("versionId") String versionId,
            @HttpHeader("x-amz-max-parts") Integer maxParts,
            @HttpHeader("x-amz-part-number-marker") Integer partNumberMarker,
            @HttpHeader("x-amz-object-attributes") List<String> objectAttributes) implements ObjectAddressed {}

    record Checksum(@XmlName("ChecksumCRC32") String checksumCrc32, @XmlName("ChecksumCRC32C") String checksumCrc32c,
            @XmlName("ChecksumCRC64NVME") String checksumCrc64nvme, @XmlName("ChecksumSHA1") String checksumSha1,
            @XmlName("ChecksumSHA256") String checksumSha256, String checksumType) {}

    record ObjectPart(Integer partNumber, Long size,
            @XmlName("ChecksumCRC32") String checksumCrc32, @XmlName("ChecksumCRC32C") String checksumCrc32c,
            @XmlName("ChecksumCRC64NVME") String checksumCrc64nvme, @XmlName("ChecksumSHA1") String checksumSha1,
            @XmlName("ChecksumSHA256") String checksumSha256) {

        /** A part, with its checksum when its upload had a checksum algorithm. */
        static ObjectPart of(int number, long size, String algorithm, String checksum) {
            String named = checksum == null ? "" : algorithm;
            return new ObjectPart(number, size, named.equals("CRC32") ? checksum : null, named.equals("CRC32C") ? checksum : null,
                    named.equals("CRC64NVME") ? checksum : null, named.equals("SHA1") ? checksum : null, named.equals("SHA256") ? checksum : null);
        }
    }

    record ObjectParts(@XmlName("PartsCount") Integer totalPartsCount, Integer partNumberMarker, Integer nextPartNumberMarker, Integer maxParts,
            Boolean isTruncated, @XmlFlattened @XmlName("Part") List<ObjectPart> parts) {}

    @XmlName("GetObjectAttributesResponse")
    record GetObjectAttributesResponse(
            @HttpHeader("Last-Modified") Instant lastModified,
            @HttpHeader("x-amz-version-id") String versionIdHeader,
            @XmlName("ETag") String etag,
            Checksum checksum,
            ObjectParts objectParts,
            String storageClass,
            Long objectSize) {}

    private final ObjectStore objects;

    AttributesOperations(ObjectStore objects) {
        this.objects = requireNonNull(objects, "objects is null");
    }

    GetObjectAttributesResponse getObjectAttributes(RequestContext context, GetObjectAttributesRequest request) {
        List<String> wanted = request.objectAttributes() == null ? List.of() : request.objectAttributes();
        if (wanted.isEmpty() || !ATTRIBUTES.containsAll(wanted)) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Invalid attribute name specified.");
        }
        StoredObject object = Versions.find(objects.store(), context, request.bucket(), request.key(), request.versionId());
        if (object.deleteMarker()) {
            throw Versions.deleteMarkerNotAllowed(object, "GET");
        }
        return new GetObjectAttributesResponse(
                Instant.ofEpochMilli(object.lastModifiedMillis()),
                object.versionId(),
                wanted.contains("ETag") ? object.etag() : null,
                wanted.contains("Checksum") ? checksum(object) : null,
                wanted.contains("ObjectParts") ? parts(object, request.maxParts(), request.partNumberMarker()) : null,
                wanted.contains("StorageClass") ? (object.storageClass() == null ? "STANDARD" : object.storageClass()) : null,
                wanted.contains("ObjectSize") ? object.size() : null);
    }

    private static Checksum checksum(StoredObject object) {
        String algorithm = object.checksumAlgorithm();
        String value = object.checksum();
        if (algorithm == null || value == null) {
            return null;
        }
        String type = value.contains("-") ? "COMPOSITE" : "FULL_OBJECT";
        // S3 lists a composite checksum here without the part count HeadObject shows after it ("-N").
        String listed = value.contains("-") ? value.substring(0, value.indexOf('-')) : value;
        return new Checksum("CRC32".equals(algorithm) ? listed : null, "CRC32C".equals(algorithm) ? listed : null,
                "CRC64NVME".equals(algorithm) ? listed : null, "SHA1".equals(algorithm) ? listed : null,
                "SHA256".equals(algorithm) ? listed : null, type);
    }

    /** The parts of a multipart object, with their checksums when it has them; an object uploaded whole has none to list. */
    private static ObjectParts parts(StoredObject object, Integer maxParts, Integer marker) {
        if (object.partSizes() == null) {
            return null;
        }
        int max = maxParts == null ? 1000 : Math.max(0, Math.min(maxParts, 1000));
        int after = marker == null ? 0 : Math.max(0, marker);
        List<ObjectPart> parts = new ArrayList<>();
        for (int number = after + 1; number <= object.partSizes().size() && parts.size() < max; number++) {
            parts.add(ObjectPart.of(number, object.partSizes().get(number - 1), object.checksumAlgorithm(),
                    object.partChecksums() == null ? null : object.partChecksums().get(number - 1)));
        }
        int last = parts.isEmpty() ? after : parts.getLast().partNumber();
        // A page of none is no page: untruncated, as the listings answer max-keys=0.
        boolean truncated = max > 0 && last < object.partSizes().size();
        return new ObjectParts(object.partSizes().size(), after, last, max, truncated, parts);
    }
}
