package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.s3.BucketModel.Owner;
import io.stratus.s3.ListModel.CommonPrefix;
import io.stratus.s3.ListModel.ListObjectsRequest;
import io.stratus.s3.ListModel.ListObjectsResponse;
import io.stratus.s3.ListModel.ListObjectsV2Request;
import io.stratus.s3.ListModel.ListObjectsV2Response;
import io.stratus.s3.ListModel.ObjectEntry;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Snapshot;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * ListObjects and ListObjectsV2 as range scans over one consistent snapshot: keys in UTF-8 byte
 * order after a marker; with a delimiter, the keys that share a common prefix are rolled up and
 * skipped with one seek past the prefix, so a listing costs what it returns, not what the
 * bucket holds. Thread-safe.
 */
final class ObjectListing {

    private static final int MAX_KEYS = 1000;
    /** The first byte of a continuation token (see {@link #encodeToken}). */
    private static final byte TOKEN_FORMAT = 1;

    private final ObjectStore objects;

    ObjectListing(ObjectStore objects) {
        this.objects = requireNonNull(objects, "objects is null");
    }

    /** One page: objects and common prefixes in key order, and the last item returned. */
    record Page(List<StoredObject> objects, List<String> prefixes, boolean truncated, String last) {}

    ListObjectsResponse listObjects(RequestContext context, ListObjectsRequest request) {
        Bucket bucket = BucketStore.require(objects.store(), context, request.bucket());
        boolean url = encoding(request.encodingType());
        int max = maxKeys(request.maxKeys());
        String prefix = request.prefix() == null ? "" : request.prefix();
        Page page = page(request.bucket(), prefix, emptyToNull(request.delimiter()), emptyToNull(request.marker()), max);
        return new ListObjectsResponse(request.bucket(), encode(prefix, url), encode(request.marker() == null ? "" : request.marker(), url),
                page.truncated() && request.delimiter() != null ? encode(page.last(), url) : null, max, encode(request.delimiter(), url),
                page.truncated(), url ? "url" : null, entries(page, bucket, true, url), prefixes(page, url));
    }

    ListObjectsV2Response listObjectsV2(RequestContext context, ListObjectsV2Request request) {
        Bucket bucket = BucketStore.require(objects.store(), context, request.bucket());
        boolean url = encoding(request.encodingType());
        int max = maxKeys(request.maxKeys());
        String prefix = request.prefix() == null ? "" : request.prefix();
        String after = request.continuationToken() != null ? decodeToken(request.continuationToken()) : emptyToNull(request.startAfter());
        Page page = page(request.bucket(), prefix, emptyToNull(request.delimiter()), after, max);
        return new ListObjectsV2Response(request.bucket(), encode(prefix, url), max, page.objects().size() + page.prefixes().size(),
                encode(request.delimiter(), url), page.truncated(), request.continuationToken(),
                page.truncated() ? encodeToken(page.last()) : null, encode(request.startAfter(), url), url ? "url" : null,
                entries(page, bucket, Boolean.TRUE.equals(request.fetchOwner()), url), prefixes(page, url));
    }

    /** Up to {@code max} objects and common prefixes of the bucket under {@code prefix}, after {@code after}. */
    Page page(String bucket, String prefix, String delimiter, String after, int max) {
        List<StoredObject> found = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        if (max == 0) {
            return new Page(found, prefixes, false, null);
        }
        KeyRange range = ObjectStore.prefixRange(bucket, prefix);
        byte[] start = range.start();
        if (after != null) {
            // The smallest key after (bucket, after): every longer key begins with its encoding.
            byte[] afterKey = ObjectStore.key(bucket, after);
            byte[] successor = Arrays.copyOf(afterKey, afterKey.length + 1);
            if (Key.ORDER.compare(successor, start) > 0) {
                start = successor;
            }
        }
        byte[] after8 = after == null ? null : after.getBytes(StandardCharsets.UTF_8);
        String last = null;
        boolean truncated = false;
        try (Snapshot snapshot = objects.store().snapshot()) {
            scanning:
            while (range.end() == null || Key.ORDER.compare(start, range.end()) < 0) {
                try (Scan scan = snapshot.scan(ObjectStore.OBJECTS, new KeyRange(start, range.end()))) {
                    while (scan.hasNext()) {
                        Entry entry = scan.next();
                        StoredObject object = S3Json.decode(entry.value(), StoredObject.class);
                        if (object.deleteMarker()) {
                            // Hidden, and not enough to make a common prefix appear.
                            continue;
                        }
                        String key = object.key();
                        int cut = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
                        if (cut >= 0) {
                            String common = key.substring(0, cut + delimiter.length());
                            byte[] skipTo = Key.prefixEnd(Key.builder().add(bucket).buildPrefix(common));
                            boolean seen = after8 != null && Arrays.compareUnsigned(common.getBytes(StandardCharsets.UTF_8), after8) <= 0;
                            if (!seen) {
                                if (found.size() + prefixes.size() == max) {
                                    truncated = true;
                                    break scanning;
                                }
                                prefixes.add(common);
                                last = common;
                            }
                            if (skipTo == null) {
                                break scanning;
                            }
                            start = skipTo;
                            continue scanning;
                        }
                        if (found.size() + prefixes.size() == max) {
                            truncated = true;
                            break scanning;
                        }
                        found.add(object);
                        last = key;
                    }
                }
                break;
            }
        }
        return new Page(found, prefixes, truncated, last);
    }

    private static List<ObjectEntry> entries(Page page, Bucket bucket, boolean withOwner, boolean url) {
        return page.objects().stream()
                .map(o -> new ObjectEntry(encode(o.key(), url), Instant.ofEpochMilli(o.lastModifiedMillis()), o.quotedEtag(), o.listedChecksumAlgorithm(),
                        o.checksumType(), o.size(), o.storageClass() == null ? "STANDARD" : o.storageClass(), withOwner ? owner(bucket, o) : null))
                .toList();
    }

    /** Who owns an object: its bucket's owner, or the account that wrote it where ACLs apply (see {@link WriteAcl#forObject}). */
    static Owner owner(Bucket bucket, StoredObject object) {
        return BucketOperations.owner(AclOperations.objectAcl(bucket, object).owner());
    }

    private static List<CommonPrefix> prefixes(Page page, boolean url) {
        return page.prefixes().stream().map(p -> new CommonPrefix(encode(p, url))).toList();
    }

    private static int maxKeys(Integer requested) {
        if (requested == null) {
            return MAX_KEYS;
        }
        if (requested < 0) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Argument maxKeys must be an integer between 0 and 2147483647");
        }
        return Math.min(requested, MAX_KEYS);
    }

    private static boolean encoding(String type) {
        if (type == null) {
            return false;
        }
        if (!type.equals("url")) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request");
        }
        return true;
    }

    /**
     * S3's {@code encoding-type=url}: what XML 1.0 cannot carry survives as percent-escapes. S3
     * writes it as a form value, a space as {@code +}, except that {@code /} stays as it is (as
     * measured against S3: {@code run books/x.txt} lists as {@code run+books/x.txt}).
     */
    static String encode(String value, boolean url) {
        if (value == null || !url) {
            return value;
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * A continuation token: base64url of a format byte, a CRC32 of the last key returned, and that
     * key, so that a token Stratus did not make (a typo, a token of another service) is refused
     * rather than read as some key to start after.
     */
    static String encodeToken(String last) {
        byte[] key = last.getBytes(StandardCharsets.UTF_8);
        ByteBuffer token = ByteBuffer.allocate(1 + Integer.BYTES + key.length).put(TOKEN_FORMAT).putInt(crc32(key)).put(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
    }

    /**
     * The key a continuation token starts after. Tokens handed out before they carried a format
     * byte (bare base64url of the key) are still read, when they are exactly what Stratus made of
     * a key: canonical base64url of well-formed UTF-8 (and not of a key beginning with U+0001,
     * which reads as the format byte).
     *
     * @throws AwsException {@code InvalidArgument} for a token Stratus cannot have made
     */
    static String decodeToken(String token) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw badToken(token);
        }
        if (bytes.length > 0 && bytes[0] == TOKEN_FORMAT) {
            byte[] key = bytes.length > 1 + Integer.BYTES ? Arrays.copyOfRange(bytes, 1 + Integer.BYTES, bytes.length) : null;
            if (key == null || ByteBuffer.wrap(bytes, 1, Integer.BYTES).getInt() != crc32(key)) {
                throw badToken(token);
            }
            return utf8(key).orElseThrow(() -> badToken(token));
        }
        boolean canonical = bytes.length > 0 && Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(token);
        return utf8(bytes).filter(key -> canonical).orElseThrow(() -> badToken(token));
    }

    private static int crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** The bytes as a string if they are well-formed UTF-8. */
    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static AwsException badToken(String token) {
        return S3Errors.invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
    }
}
