package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpPrefixHeaders;
import io.stratus.protocol.traits.HttpResponseCode;
import io.stratus.protocol.traits.XmlName;
import io.stratus.s3.ObjectOperations.WriteCondition;
import io.stratus.s3.StoredObject.ContentHeaders;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * PostObject: a browser form upload ({@code POST /<bucket>}, {@code multipart/form-data}). The
 * fields before the file are read (at most {@value #MAX_FIELD_BYTES} bytes, as S3 limits them),
 * the policy and signature checked, then the file part is streamed to a body file as PutObject's
 * body is; fields after the file are ignored, as S3 ignores them. Thread-safe.
 */
final class PostOperations {

    /** A form's {@code x-amz-date}, {@code 20260304T191517Z}. */
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX");

    static final int MAX_FIELD_BYTES = 20 * 1024;

    private final ObjectOperations objects;
    private final BodyStore bodies;
    private final ObjectStore store;
    private final PostAuthenticator authenticator;
    private final BucketAccess access;
    private final Clock clock;

    PostOperations(ObjectStore store, BodyStore bodies, ObjectOperations objects, PostAuthenticator authenticator, BucketAccess access,
            Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.bodies = requireNonNull(bodies, "bodies is null");
        this.objects = requireNonNull(objects, "objects is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.access = requireNonNull(access, "access is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    record PostObjectRequest(
            @HttpLabel("Bucket") String bucket,
            @HttpHeader("Host") String host,
            @HttpHeader("Content-Type") String contentType,
            @HttpPayload InputStream body) implements BucketAddressed {}

    @XmlName("PostResponse")
    record PostResponse(@XmlName("Location") String location, @XmlName("Bucket") String bucket, @XmlName("Key") String key,
            @XmlName("ETag") String etag) {}

    record PostObjectResponse(
            @HttpResponseCode Integer status,
            @HttpHeader("ETag") String etag,
            @HttpHeader("Location") String location,
            @HttpHeader("x-amz-version-id") String versionId,
            @HttpPrefixHeaders("x-amz-server-side-encryption") Map<String, String> encryption,
            @HttpPrefixHeaders("x-amz-checksum-") Map<String, String> checksums,
            @HttpPayload PostResponse result) {}

    PostObjectResponse postObject(RequestContext context, PostObjectRequest request) {
        String boundary = FormDataReader.boundary(request.contentType()).orElseThrow(() -> new AwsException(S3Errors.PRECONDITION_FAILED,
                "At least one of the pre-conditions you specified did not hold",
                Map.of("Condition", "Bucket POST must be of the enclosure-type multipart/form-data"), null));
        FormDataReader form = new FormDataReader(request.body(), boundary);
        Map<String, String> fields = new LinkedHashMap<>();
        FormDataReader.Part file = null;
        int fieldBytes = 0;
        for (Optional<FormDataReader.Part> next = form.next(); next.isPresent(); next = form.next()) {
            FormDataReader.Part part = next.get();
            String name = part.name().toLowerCase(Locale.ROOT);
            if (name.equals("file")) {
                file = part;
                break;
            }
            String value = part.text(MAX_FIELD_BYTES);
            fieldBytes += name.length() + value.length();
            if (fieldBytes > MAX_FIELD_BYTES) {
                throw FormDataReader.tooLarge();
            }
            fields.putIfAbsent(name, value);
        }
        String keyField = fields.get("key");
        if (keyField == null) {
            throw S3Errors.invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
                    "key", "");
        }
        RequestContext signer = authenticate(context, fields);
        Bucket bucket = BucketStore.read(store.store(), request.bucket());
        if (bucket == null) {
            throw BucketStore.noSuchBucket(request.bucket());
        }
        Optional<PostPolicy> policy = Optional.ofNullable(fields.get("policy")).map(PostPolicy::parse);
        policy.ifPresent(p -> p.check(clock.instant(), fields, request.bucket()));
        if (file == null) {
            throw AwsException.of(S3Errors.INCORRECT_NUMBER_OF_FILES_IN_POST_REQUEST, "POST requires exactly one file upload per request.");
        }
        String key = keyField.replace("${filename}", file.filename() == null ? "" : file.filename());
        ObjectKeys.check(key);
        // Authorized as a PutObject of the key: the bucket policy, for the caller the form's signature proves.
        RequestContext caller = access.checkPost(signer, bucket, key, fields);
        Acl acl = new WriteAcl(fields.get("acl"), null).forObject(store.store(), bucket, caller);
        Map<String, String> metadata = PostForms.metadata(fields);
        Encryption encryption = Encryption.forWrite(PostForms.encryption(fields), store.store(), bucket);
        ObjectKeys.checkMetadata(metadata);
        String storageClass = ObjectKeys.storageClass(fields.get("x-amz-storage-class"));
        Map<String, String> tags = fields.containsKey("tagging") ? PostForms.tags(fields.get("tagging")) : Map.of();
        String lockMode = fields.get("x-amz-object-lock-mode");
        String lockUntil = fields.get("x-amz-object-lock-retain-until-date");
        String legalHold = fields.get("x-amz-object-lock-legal-hold");
        ObjectLock lock = ObjectLock.requested(lockMode, lockUntil, legalHold) ? ObjectLock.forWrite(lockMode, lockUntil, legalHold,
                ObjectLockOperations.configuration(store.store(), bucket.name()), objects.nowMillis()) : null;
        Optional<ClaimedChecksum> claimed = PostForms.checksum(fields);
        Optional<PostPolicy.LengthRange> range = policy.flatMap(PostPolicy::lengthRange);
        long max = range.map(r -> Math.min(r.max(), ObjectKeys.MAX_UPLOAD_BYTES)).orElse(ObjectKeys.MAX_UPLOAD_BYTES);

        BodyStore.Received received = objects.receiveObject(new Bounded(file.content(), max), null, Optional.empty(), claimed);
        if (range.isPresent() && received.size() < range.get().min()) {
            bodies.discard(received);
            throw new AwsException(S3Errors.ENTITY_TOO_SMALL, "Your proposed upload is smaller than the minimum allowed size",
                    Map.of("ProposedSize", Long.toString(received.size()), "MinSizeAllowed", Long.toString(range.get().min())), null);
        }
        ContentHeaders content = new ContentHeaders(fields.getOrDefault("content-type", "binary/octet-stream"), fields.get("content-encoding"),
                fields.get("content-disposition"), fields.get("content-language"), fields.get("cache-control"), fields.get("expires"));
        String bodyId = bodies.commit(received);
        StoredObject object = new StoredObject(key, null, bodyId, received.size(), received.md5Hex(), objects.nowSeconds(), content,
                metadata, ClaimedChecksum.orDefault(claimed).name(), received.checksum(ClaimedChecksum.orDefault(claimed)), null, null, storageClass, tags,
                false, null, ObjectKeys.websiteRedirect(fields.get("x-amz-website-redirect-location")), null, encryption, lock, null, acl);
        StoredObject stored = objects.store(caller, request.bucket(), object, received.inline(), WriteCondition.NONE, "Post");
        return answer(request, fields, stored);
    }

    /** The caller the form's signature proves (or, without a policy, an anonymous one where the server allows it). */
    private RequestContext authenticate(RequestContext context, Map<String, String> fields) {
        Optional<PostAuthenticator.FormSignature> signature = Optional.empty();
        if (fields.containsKey("policy")) {
            for (String required : new String[] {"x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"}) {
                if (!fields.containsKey(required)) {
                    throw S3Errors.invalidArgument("Bucket POST must contain a field named '" + required
                            + "'.  If it is specified, please check the order of the fields.", required, "");
                }
            }
            if (!fields.get("x-amz-algorithm").equals("AWS4-HMAC-SHA256")) {
                throw S3Errors.invalidArgument("Only AWS4-HMAC-SHA256 is supported for Bucket POST signatures.", "x-amz-algorithm",
                        fields.get("x-amz-algorithm"));
            }
            signature = Optional.of(new PostAuthenticator.FormSignature(fields.get("x-amz-credential"), fields.get("x-amz-date"),
                    fields.get("policy"), fields.get("x-amz-signature"), fields.get("x-amz-security-token")));
        }
        Principal principal = authenticator.authenticate(signature);
        String accessKeyId = signature.map(PostAuthenticator.FormSignature::accessKeyId).orElse(null);
        RequestContext.Signing signing = signature.map(form -> new RequestContext.Signing(RequestContext.Signing.Form.FORM, "AWS4-HMAC-SHA256",
                signedAt(form.amzDate(), context.receivedAt()))).orElse(null);
        return new RequestContext(context.requestId(), principal.accountId(), context.region(), accessKeyId, principal, context.receivedAt(),
                context.connection(), signing);
    }

    /** A form's {@code x-amz-date} ({@code 20260304T191517Z}); {@code otherwise} when it is not one. */
    private static Instant signedAt(String amzDate, Instant otherwise) {
        try {
            return AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            return otherwise;
        }
    }

    /** {@code success_action_redirect} (303), else {@code success_action_status} 200, 201 (with a document) or 204 (the default). */
    private static PostObjectResponse answer(PostObjectRequest request, Map<String, String> fields, StoredObject stored) {
        String etag = stored.quotedEtag();
        String location = ObjectKeys.url(request.host(), request.bucket(), stored.key());
        String redirect = fields.getOrDefault("success_action_redirect", fields.get("redirect"));
        if (redirect != null && !redirect.isBlank() && (redirect.startsWith("http://") || redirect.startsWith("https://"))) {
            String target = redirect + (redirect.contains("?") ? "&" : "?") + "bucket=" + encode(request.bucket()) + "&key=" + encode(stored.key())
                    + "&etag=" + encode(etag);
            return new PostObjectResponse(303, etag, target, stored.versionId(), Encryption.headers(stored.encryption()), null, null);
        }
        Map<String, String> checksums = ClaimedChecksum.headers(stored.checksumAlgorithm(), stored.checksum(), true);
        return switch (fields.getOrDefault("success_action_status", "204")) {
            case "200" -> new PostObjectResponse(200, etag, location, stored.versionId(), Encryption.headers(stored.encryption()), checksums, null);
            case "201" -> new PostObjectResponse(201, etag, location, stored.versionId(), Encryption.headers(stored.encryption()), checksums,
                    new PostResponse(location, request.bucket(), stored.key(), etag));
            default -> new PostObjectResponse(204, etag, location, stored.versionId(), Encryption.headers(stored.encryption()), checksums, null);
        };
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The file's content, refused with {@code EntityTooLarge} as soon as it passes the policy's (or S3's) maximum. */
    private static final class Bounded extends FilterInputStream {

        private final long max;
        private long count;

        Bounded(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            count += n;
            if (count > max) {
                throw new AwsException(S3Errors.ENTITY_TOO_LARGE, "Your proposed upload exceeds the maximum allowed size",
                        Map.of("ProposedSize", Long.toString(count), "MaxSizeAllowed", Long.toString(max)), null);
            }
        }
    }
}
