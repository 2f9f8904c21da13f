package io.stratus.s3;

import io.stratus.core.AwsException;
import io.stratus.protocol.QueryString;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Rules for object keys, storage classes and tag sets that several operations share. Stateless. */
final class ObjectKeys {

    static final int MAX_KEY_BYTES = 1024;
    /** The largest body one PutObject or UploadPart takes. */
    static final long MAX_UPLOAD_BYTES = 5L * 1024 * 1024 * 1024;
    private static final int MAX_OBJECT_TAGS = 10;
    /** The most user metadata an object may have, in bytes of UTF-8 names and values. */
    static final int MAX_METADATA_BYTES = 2048;
    /** The longest {@code x-amz-website-redirect-location}, in characters. */
    private static final int MAX_REDIRECT_LENGTH = 2048;
    private static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
            "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE");

    private ObjectKeys() {}

    /**
     * Checks the declared size of an uploaded body: S3 needs one (a length or a chunked body) and
     * takes at most 5 GiB in one request.
     *
     * @throws AwsException {@code MissingContentLength} (411) or {@code EntityTooLarge}
     */
    static void checkLength(Long contentLength, String transferEncoding) {
        if (contentLength == null && (transferEncoding == null || !transferEncoding.toLowerCase(java.util.Locale.ROOT).contains("chunked"))) {
            throw AwsException.of(S3Errors.MISSING_CONTENT_LENGTH, "You must provide the Content-Length HTTP header.");
        }
        if (contentLength != null && contentLength > MAX_UPLOAD_BYTES) {
            throw new AwsException(S3Errors.ENTITY_TOO_LARGE, "Your proposed upload exceeds the maximum allowed size",
                    Map.of("ProposedSize", contentLength.toString(), "MaxSizeAllowed", Long.toString(MAX_UPLOAD_BYTES)), null);
        }
    }

    /** @throws AwsException {@code KeyTooLongError} for a key over 1024 bytes of UTF-8 */
    static void check(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new AwsException(S3Errors.KEY_TOO_LONG, "Your key is too long",
                    Map.of("Size", Integer.toString(key.getBytes(StandardCharsets.UTF_8).length), "MaxSizeAllowed", Integer.toString(MAX_KEY_BYTES)), null);
        }
    }

    /**
     * Checks user metadata ({@code x-amz-meta-*}) against S3's limit: 2 KB, counted as the UTF-8
     * bytes of every name (without the prefix) and value.
     *
     * @throws AwsException {@code MetadataTooLarge}, with the {@code Size} sent and the {@code MaxSizeAllowed}
     */
    static void checkMetadata(Map<String, String> metadata) {
        if (metadata == null) {
            return;
        }
        int size = 0;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            size += entry.getKey().getBytes(StandardCharsets.UTF_8).length;
            size += entry.getValue() == null ? 0 : entry.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (size > MAX_METADATA_BYTES) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("Size", Integer.toString(size));
            details.put("MaxSizeAllowed", Integer.toString(MAX_METADATA_BYTES));
            throw new AwsException(S3Errors.METADATA_TOO_LARGE, "Your metadata headers exceed the maximum allowed metadata size.", details, null);
        }
    }

    /**
     * An {@code x-amz-website-redirect-location} as S3 takes it: a path in the bucket's website
     * ({@code /…}) or a URL ({@code http://…}, {@code https://…}), of at most 2 KB.
     *
     * @return the value to keep, or null when none was given
     * @throws AwsException {@code InvalidRedirectLocation}
     */
    static String websiteRedirect(String location) {
        if (location == null) {
            return null;
        }
        if (!location.startsWith("/") && !location.startsWith("http://") && !location.startsWith("https://")) {
            throw AwsException.of(S3Errors.INVALID_REDIRECT_LOCATION, "The website redirect location must have a prefix of 'http://' or 'https://' or '/'.");
        }
        if (location.length() > MAX_REDIRECT_LENGTH) {
            throw AwsException.of(S3Errors.INVALID_REDIRECT_LOCATION, "The length of website redirect location cannot exceed 2,048 characters.");
        }
        return location;
    }

    static AwsException noSuchKey(String key) {
        return new AwsException(S3Errors.NO_SUCH_KEY, "The specified key does not exist.", Map.of("Key", key), null);
    }

    /** The storage class to keep: STANDARD when absent, which S3 does not echo back. */
    static String storageClass(String requested) {
        if (requested == null || requested.equals("STANDARD")) {
            return null;
        }
        if (!STORAGE_CLASSES.contains(requested)) {
            throw AwsException.of(S3Errors.INVALID_STORAGE_CLASS, "The storage class you specified is not valid");
        }
        return requested;
    }

    /**
     * The tags of an {@code x-amz-tagging} header ({@code k1=v1&k2=v2}).
     *
     * @throws AwsException {@code InvalidArgument} for a tag key given twice, as S3 answers it
     */
    static Map<String, String> tagsFromHeader(String header) {
        if (header == null || header.isEmpty()) {
            return Map.of();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        QueryString.parse(header).asMap().forEach((key, values) -> {
            if (values.size() > 1) {
                throw S3Errors.invalidArgument("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters "
                        + "without tag name duplicates.", "x-amz-tagging", header);
            }
            tags.put(key, values.getFirst());
        });
        checkTags(tags, true);
        return tags;
    }

    /** @throws AwsException {@code InvalidTag} for a tag set S3 refuses */
    static void checkTags(Map<String, String> tags, boolean object) {
        if (object && tags.size() > MAX_OBJECT_TAGS) {
            throw AwsException.of(S3Errors.INVALID_TAG, "Object tags cannot be greater than %d", MAX_OBJECT_TAGS);
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().isEmpty() || tag.getKey().length() > 128) {
                throw AwsException.of(S3Errors.INVALID_TAG, "The TagKey you have provided is invalid");
            }
            if (tag.getValue().length() > 256) {
                throw AwsException.of(S3Errors.INVALID_TAG, "The TagValue you have provided is invalid");
            }
            if (tag.getKey().startsWith("aws:")) {
                throw AwsException.of(S3Errors.INVALID_TAG, "Your TagKey cannot be prefixed with aws:");
            }
        }
    }

    /** A tag list as sent in XML, as a map; a key given twice is refused. */
    static Map<String, String> tagMap(List<Tagging.Tag> tags, boolean object) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Tagging.Tag tag : tags == null ? List.<Tagging.Tag>of() : tags) {
            if (tag.key() == null || tag.value() == null) {
                throw new AwsException(io.stratus.core.CommonErrors.MALFORMED_XML,
                        "The XML you provided was not well-formed or did not validate against our published schema");
            }
            if (map.put(tag.key(), tag.value()) != null) {
                throw AwsException.of(S3Errors.INVALID_TAG, "Cannot provide multiple Tags with the same key");
            }
        }
        checkTags(map, object);
        return map;
    }

    /**
     * An object's URL as S3 answers it in a {@code Location}: under the host the request was sent
     * to, path-style or, when that host names the bucket, virtual-hosted; a path without a host.
     */
    static String url(String host, String bucket, String key) {
        String path = "/" + urlEncode(key).replace("%2F", "/");
        if (host == null || !host.startsWith(bucket + ".")) {
            path = "/" + urlEncode(bucket) + path;
        }
        return host == null ? path : "http://" + host + path;
    }

    private static String urlEncode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
