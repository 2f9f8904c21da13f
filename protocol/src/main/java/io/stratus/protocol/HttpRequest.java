package io.stratus.protocol;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.protocol.auth.SignableRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as the protocol layer sees it, independent of the edge's HTTP library.
 *
 * <p>The body is a stream that the edge may still be filling while the operation runs; it can be
 * consumed once, either streamed ({@link #body()}) or read whole ({@link #bodyBytes(long)}), which
 * caches the bytes so codecs and SigV4 can share them. Not thread-safe: one request belongs to the
 * one thread handling it.
 */
public final class HttpRequest implements SignableRequest {

    /** The source of a request that did not come over a connection (tests, Stratus's own calls). */
    private static final String LOOPBACK = "127.0.0.1";

    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> headers;
    private final QueryString query;
    private final InputStream body;
    private final long contentLength;
    private final String sourceIp;
    private final String tlsVersion;
    private byte[] bodyBytes;

    /**
     * @param rawPath the path as sent, still percent-encoded
     * @param rawQuery the query string as sent (without {@code ?}), or empty
     * @param headers header values by name; names are matched case-insensitively
     * @param contentLength the declared body length, or -1 when unknown (chunked)
     */
    public HttpRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, InputStream body, long contentLength) {
        this(method, rawPath, rawQuery, headers, body, contentLength, LOOPBACK);
    }

    /**
     * As the other constructor, from a client at {@code sourceIp} (the address the edge's
     * connection came from, as AWS's services report it to functions).
     */
    public HttpRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, InputStream body, long contentLength,
            String sourceIp) {
        this(method, rawPath, rawQuery, headers, body, contentLength, sourceIp, null);
    }

    /**
     * As the other constructors, from a client at {@code sourceIp} over TLS of {@code tlsVersion}
     * ({@code TLSv1.3}), or over plain HTTP when it is null.
     */
    public HttpRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, InputStream body, long contentLength,
            String sourceIp, String tlsVersion) {
        this.method = requireNonNull(method, "method is null");
        this.rawPath = requireNonNull(rawPath, "rawPath is null");
        this.rawQuery = requireNonNull(rawQuery, "rawQuery is null");
        requireNonNull(headers, "headers is null");
        Map<String, List<String>> byLowerName = new java.util.HashMap<>(headers.size() * 2);
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            List<String> existing = byLowerName.get(lower);
            if (existing == null) {
                byLowerName.put(lower, List.copyOf(values));
            } else {
                List<String> merged = new java.util.ArrayList<>(existing);
                merged.addAll(values);
                byLowerName.put(lower, List.copyOf(merged));
            }
        });
        this.headers = java.util.Collections.unmodifiableMap(byLowerName);
        this.query = QueryString.parse(rawQuery);
        this.body = requireNonNull(body, "body is null");
        this.contentLength = contentLength;
        this.sourceIp = requireNonNull(sourceIp, "sourceIp is null");
        this.tlsVersion = tlsVersion;
    }

    /**
     * This request with another body and the named content coding removed: the edge decodes
     * {@code aws-chunked} bodies this way before any service reads them.
     *
     * @param decodedLength the new body's length, or -1 when unknown
     */
    public HttpRequest withDecodedBody(InputStream decoded, long decodedLength, String removedContentCoding) {
        Map<String, List<String>> newHeaders = new TreeMap<>(headers);
        List<String> codings = headerValues("content-encoding").stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(coding -> !coding.isEmpty() && !coding.equalsIgnoreCase(removedContentCoding))
                .toList();
        if (codings.isEmpty()) {
            newHeaders.remove("content-encoding");
        } else {
            newHeaders.put("content-encoding", List.of(String.join(",", codings)));
        }
        if (decodedLength >= 0) {
            newHeaders.put("content-length", List.of(Long.toString(decodedLength)));
        }
        return new HttpRequest(method, rawPath, rawQuery, newHeaders, decoded, decodedLength, sourceIp, tlsVersion);
    }

    /**
     * This request with {@code prefix} (already percent-encoded, starting with {@code /}) before
     * its path: a virtual-hosted S3 request ({@code mybucket.s3.localhost/key}) read as path style
     * ({@code /mybucket/key}).
     */
    public HttpRequest withPathPrefix(String prefix) {
        if (!prefix.startsWith("/")) {
            throw new IllegalArgumentException("A path prefix starts with '/': " + prefix);
        }
        String path = rawPath.equals("/") ? prefix : prefix + rawPath;
        return new HttpRequest(method, path, rawQuery, headers, body(), contentLength, sourceIp, tlsVersion);
    }

    /**
     * This request with another path (still percent-encoded, starting with {@code /}): an API
     * invoke request addressed as {@code /_aws/execute-api/<api>/prod/items} read as
     * {@code /prod/items}.
     */
    public HttpRequest withPath(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("A path starts with '/': " + path);
        }
        return new HttpRequest(method, path, rawQuery, headers, body(), contentLength, sourceIp, tlsVersion);
    }

    /** A request with a body already in memory; for tests and internal callers. */
    public static HttpRequest of(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String rawQuery = q < 0 ? "" : pathAndQuery.substring(q + 1);
        return new HttpRequest(method, path, rawQuery, headers, new java.io.ByteArrayInputStream(body), body.length);
    }

    @Override
    public String method() {
        return method;
    }

    /** The IP address of the client that sent this request ({@code 127.0.0.1} for requests made inside Stratus). */
    public String sourceIp() {
        return sourceIp;
    }

    /** Whether the request came over TLS (IAM's {@code aws:SecureTransport}). */
    public boolean secure() {
        return tlsVersion != null;
    }

    /** The TLS protocol the request came over ({@code TLSv1.3}), or null for plain HTTP. */
    public String tlsVersion() {
        return tlsVersion;
    }

    /**
     * The {@code X-Forwarded-For} a front end passes on, as AWS's do (API Gateway, function URLs):
     * what the client sent, if anything, followed by the client's own address. Only that last entry
     * is known to be true; the others are whatever the client (or the proxies before it) wrote.
     */
    public String forwardedFor() {
        return forwardedFor(headerValues("x-forwarded-for"), sourceIp);
    }

    /** As {@link #forwardedFor()}, of the {@code X-Forwarded-For} values {@code sent} by a client at {@code sourceIp}. */
    public static String forwardedFor(List<String> sent, String sourceIp) {
        return sent == null || sent.isEmpty() ? sourceIp : String.join(", ", sent) + ", " + sourceIp;
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    /** The path with percent-escapes decoded (a {@code +} stays a plus sign). */
    public String path() {
        return QueryString.decodePath(rawPath);
    }

    @Override
    public String rawQuery() {
        return rawQuery;
    }

    public QueryString query() {
        return query;
    }

    /** All headers, keyed by lower-case name. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    @Override
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public java.util.Set<String> headerNames() {
        return headers.keySet();
    }

    /** The host the client addressed, without the port, lower-cased; empty when absent. */
    public String host() {
        String host = header("host").orElse("").toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** The media type of the body without parameters, lower-cased; empty when absent. */
    public String mediaType() {
        String type = header("content-type").orElse("");
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    public long contentLength() {
        return contentLength;
    }

    /** The body as a stream, for operations that stream large payloads. */
    public InputStream body() {
        if (bodyBytes != null) {
            return new java.io.ByteArrayInputStream(bodyBytes);
        }
        return body;
    }

    /**
     * The whole body, read once and kept.
     *
     * @param limit the most bytes this caller accepts; a larger body is answered with 413
     */
    public byte[] bodyBytes(long limit) {
        if (bodyBytes == null) {
            if (contentLength > limit) {
                throw tooLarge(limit);
            }
            try {
                byte[] bytes;
                if (contentLength >= 0) {
                    // The length is known: one exact read, then make sure nothing follows.
                    bytes = new byte[(int) contentLength];
                    int read = body.readNBytes(bytes, 0, bytes.length);
                    if (read < bytes.length) {
                        bytes = java.util.Arrays.copyOf(bytes, read);
                    } else if (body.read() != -1) {
                        // Reading to the end also lets a decoding stream verify what trails the body.
                        throw AwsException.of(CommonErrors.INCOMPLETE_BODY, "The request body is longer than its declared length of %d bytes.", contentLength);
                    }
                } else {
                    // Most such requests (a GET without a length) have no body: find that out without a read buffer.
                    int first = body.read();
                    if (first < 0) {
                        bytes = new byte[0];
                    } else {
                        byte[] rest = body.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 9));
                        bytes = new byte[rest.length + 1];
                        bytes[0] = (byte) first;
                        System.arraycopy(rest, 0, bytes, 1, rest.length);
                        if (bytes.length > limit) {
                            throw tooLarge(limit);
                        }
                    }
                }
                bodyBytes = bytes;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bodyBytes;
    }

    private static AwsException tooLarge(long limit) {
        return AwsException.of(CommonErrors.REQUEST_ENTITY_TOO_LARGE, "Request body exceeds the maximum allowed size of %d bytes", limit);
    }

    @Override
    public String toString() {
        return method + " " + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
    }
}
