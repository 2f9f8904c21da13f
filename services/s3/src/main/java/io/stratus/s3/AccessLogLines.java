package io.stratus.s3;

import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.RequestObserver;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * One request as a line of S3's server access log format: space-separated fields in S3's order,
 * {@code -} for what is unknown or does not apply, the request line, referrer and user agent in
 * quotes. Stateless.
 */
final class AccessLogLines {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** S3's names of its operations in the log, where the subresource alone does not give them. */
    private static final Map<String, String> OPERATIONS = Map.ofEntries(
            Map.entry("GetObject", "REST.GET.OBJECT"), Map.entry("HeadObject", "REST.HEAD.OBJECT"), Map.entry("PutObject", "REST.PUT.OBJECT"),
            Map.entry("DeleteObject", "REST.DELETE.OBJECT"), Map.entry("HeadBucket", "REST.HEAD.BUCKET"),
            Map.entry("CreateBucket", "REST.PUT.BUCKET"), Map.entry("DeleteBucket", "REST.DELETE.BUCKET"),
            Map.entry("ListObjects", "REST.GET.BUCKET"), Map.entry("ListObjectsV2", "REST.GET.BUCKET"),
            Map.entry("ListObjectVersions", "REST.GET.BUCKETVERSIONS"), Map.entry("DeleteObjects", "REST.POST.MULTI_OBJECT_DELETE"),
            Map.entry("CreateMultipartUpload", "REST.POST.UPLOADS"), Map.entry("UploadPart", "REST.PUT.PART"),
            Map.entry("CompleteMultipartUpload", "REST.POST.UPLOAD"), Map.entry("AbortMultipartUpload", "REST.DELETE.UPLOAD"),
            Map.entry("ListParts", "REST.GET.UPLOAD"), Map.entry("ListMultipartUploads", "REST.GET.UPLOADS"),
            Map.entry("GetObjectTagging", "REST.GET.OBJECT_TAGGING"), Map.entry("PutObjectTagging", "REST.PUT.OBJECT_TAGGING"),
            Map.entry("DeleteObjectTagging", "REST.DELETE.OBJECT_TAGGING"), Map.entry("GetObjectAttributes", "REST.GET.OBJECT_ATTRIBUTES"),
            Map.entry("RestoreObject", "REST.POST.RESTORE"), Map.entry("PostObject", "REST.POST.BUCKET"),
            Map.entry("PreflightBucket", "REST.OPTIONS.PREFLIGHT"), Map.entry("PreflightObject", "REST.OPTIONS.PREFLIGHT"),
            Map.entry("GetBucketPolicy", "REST.GET.BUCKETPOLICY"), Map.entry("PutBucketPolicy", "REST.PUT.BUCKETPOLICY"),
            Map.entry("DeleteBucketPolicy", "REST.DELETE.BUCKETPOLICY"), Map.entry("GetBucketLogging", "REST.GET.LOGGING_STATUS"),
            Map.entry("PutBucketLogging", "REST.PUT.LOGGING_STATUS"), Map.entry("GetObjectLockConfiguration", "REST.GET.OBJECT_LOCK_CONFIGURATION"),
            Map.entry("PutObjectLockConfiguration", "REST.PUT.OBJECT_LOCK_CONFIGURATION"));

    private AccessLogLines() {}

    /**
     * The log line of a request to {@code bucket}.
     *
     * @param ownerId the bucket owner's canonical user id
     * @param key the object key the request named, or null
     */
    static String line(RequestObserver.Completed completed, String ownerId, String bucket, String key) {
        HttpRequest sent = completed.sent();
        RequestContext context = completed.context();
        HttpResponse response = completed.response();
        long millis = completed.nanos() / 1_000_000;
        StringBuilder line = new StringBuilder(512);
        field(line, ownerId);
        field(line, bucket);
        line.append(TIME.format(context.receivedAt())).append(' ');
        field(line, context.sourceIp());
        field(line, requester(context));
        field(line, context.requestId());
        field(line, operation(completed.operation(), sent));
        field(line, key == null ? null : URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/"));
        quoted(line, sent.method() + " " + sent.rawPath() + (sent.rawQuery().isEmpty() ? "" : "?" + sent.rawQuery()) + " HTTP/1.1");
        field(line, Integer.toString(response.status()));
        field(line, completed.errorCode());
        long bytesSent = sent.method().equals("HEAD") ? 0 : response.bodyLength();
        field(line, bytesSent > 0 ? Long.toString(bytesSent) : null);
        long size = objectSize(completed.operation(), sent, response);
        field(line, size >= 0 ? Long.toString(size) : null);
        field(line, Long.toString(millis));
        field(line, Long.toString(millis));
        quoted(line, sent.header("referer").orElse(null));
        quoted(line, sent.header("user-agent").orElse(null));
        field(line, sent.query().first("versionId").orElse(null));
        field(line, null); // host id: Stratus sends no x-amz-id-2
        field(line, context.signing() == null ? null : "SigV4");
        field(line, null); // cipher suite
        field(line, context.signing() == null ? null : switch (context.signing().form()) {
            case HEADER -> "AuthHeader";
            case QUERY -> "QueryString";
            case FORM -> null;
        });
        field(line, sent.header("host").orElse(null));
        field(line, context.connection().tlsVersion());
        field(line, null); // access point ARN
        line.append('-'); // whether an ACL was required: none ever is, with ownership enforced
        return line.append('\n').toString();
    }

    /** S3's name of the operation in the log: {@code REST.<method>.<resource>}. */
    static String operation(String operation, HttpRequest sent) {
        if (operation.equals("endpoint")) {
            return "WEBSITE." + sent.method() + ".OBJECT"; // S3's only endpoints are its websites
        }
        boolean copy = sent.header("x-amz-copy-source").isPresent();
        if (copy && operation.equals("PutObject")) {
            return "REST.COPY.OBJECT";
        }
        if (copy && operation.equals("UploadPart")) {
            return "REST.COPY.PART";
        }
        String named = OPERATIONS.get(operation);
        if (named != null) {
            return named;
        }
        // The subresource names the rest: ?versioning → VERSIONING, ?publicAccessBlock → PUBLIC_ACCESS_BLOCK.
        String query = sent.rawQuery();
        String subresource = query.isEmpty() ? "UNKNOWN" : query.split("[&=]", 2)[0];
        return "REST." + sent.method() + "." + subresource.replaceAll("([a-z])([A-Z])", "$1_$2").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The object's size: what a read answered (all of it, for a range) or a write sent; -1 for other operations. */
    private static long objectSize(String operation, HttpRequest sent, HttpResponse response) {
        switch (operation) {
            case "GetObject", "HeadObject", "endpoint" -> {
                String range = header(response, "Content-Range");
                if (range != null && range.lastIndexOf('/') > 0) {
                    return parse(range.substring(range.lastIndexOf('/') + 1));
                }
                if (response.status() >= 300) {
                    return -1;
                }
                long length = parse(header(response, "Content-Length"));
                return length >= 0 || sent.method().equals("HEAD") ? length : response.bodyLength();
            }
            case "PutObject", "UploadPart", "PostObject" -> {
                long decoded = parse(sent.header("x-amz-decoded-content-length").orElse(null));
                return decoded >= 0 ? decoded : sent.header("x-amz-copy-source").isPresent() ? -1 : sent.contentLength();
            }
            default -> {
                return -1;
            }
        }
    }

    /**
     * A root user is named by its account's canonical user id, anyone else by ARN, as in S3's logs;
     * an anonymous request (a website's reader: no access key) by {@code -}.
     */
    private static String requester(RequestContext context) {
        Principal principal = context.principal();
        if (context.accessKeyId() == null) {
            return null;
        }
        return principal.arn().endsWith(":root") ? BucketOperations.owner(principal.accountId()).id() : principal.arn();
    }

    private static String header(HttpResponse response, String name) {
        for (Map.Entry<String, String> header : response.headers()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    private static long parse(String number) {
        try {
            return number == null ? -1 : Long.parseLong(number.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A bare field: {@code -} when absent, with spaces, quotes and control characters escaped so the line keeps its fields. */
    private static void field(StringBuilder line, String value) {
        if (value == null || value.isEmpty()) {
            line.append("- ");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '"' || c == '\\' || c == 0x7f) {
                line.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
            } else {
                line.append(c);
            }
        }
        line.append(' ');
    }

    /** A quoted field: {@code "-"} when absent, quotes and control characters escaped. */
    private static void quoted(StringBuilder line, String value) {
        line.append('"');
        if (value == null || value.isEmpty()) {
            line.append('-');
        } else {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    line.append('\\').append(c);
                } else if (c < ' ' || c == 0x7f) {
                    line.append(String.format(Locale.ROOT, "\\x%02X", (int) c));
                } else {
                    line.append(c);
                }
            }
        }
        line.append("\" ");
    }
}
