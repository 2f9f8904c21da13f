package io.stratus.protocol.auth;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The SigV4 canonical request, built exactly as AWS specifies: method, canonical URI, canonical
 * query string, canonical headers, signed headers and hashed payload, one per line. Signer and
 * verifier both build it here so that they cannot drift apart. Immutable.
 *
 * @param method the HTTP method
 * @param uri the canonical URI
 * @param query the canonical query string
 * @param headers the canonical header lines, each ending in a newline
 * @param signedHeaders the signed header names joined by {@code ;}
 * @param payloadHash the hex SHA-256 of the body, or the marker the client signed instead
 */
public record CanonicalRequest(
        String method, String uri, String query, String headers, String signedHeaders, String payloadHash) {

    private static final String SIGNATURE_PARAMETER = "X-Amz-Signature";

    public CanonicalRequest {
        requireNonNull(method, "method is null");
        requireNonNull(uri, "uri is null");
        requireNonNull(query, "query is null");
        requireNonNull(headers, "headers is null");
        requireNonNull(signedHeaders, "signedHeaders is null");
        requireNonNull(payloadHash, "payloadHash is null");
    }

    /**
     * The canonical request of {@code request} as signed for {@code service}.
     *
     * @param signedHeaders lower-case names; they are sorted here, as every SDK sorts them
     * @param presigned whether the signature travels in the query, so {@code X-Amz-Signature} is
     *     left out of the canonical query string
     */
    public static CanonicalRequest of(
            SignableRequest request, List<String> signedHeaders, String payloadHash, String service, boolean presigned) {
        List<String> names = new ArrayList<>(signedHeaders);
        names.sort(null);
        StringBuilder headers = new StringBuilder();
        for (String name : names) {
            headers.append(name).append(':').append(headerValue(request.headerValues(name))).append('\n');
        }
        return new CanonicalRequest(
                request.method(),
                uri(request.rawPath(), service.equals("s3")),
                query(request.rawQuery(), presigned),
                headers.toString(),
                String.join(";", names),
                payloadHash);
    }

    /** The text that is hashed into the string to sign. */
    @Override
    public String toString() {
        return method + '\n' + uri + '\n' + query + '\n' + headers + '\n' + signedHeaders + '\n' + payloadHash;
    }

    /** The hex SHA-256 of {@link #toString()}. */
    public String hash() {
        return Sha256.hex(toString());
    }

    /**
     * The canonical URI. S3 signs the path as sent, encoded once: escapes the client already made
     * are kept and only characters it left raw are encoded. Every other service signs the path
     * normalized (empty and dot segments removed, as the SDKs do) and encoded once more on top
     * of the wire encoding, so {@code %20} on the wire is {@code %2520} in the canonical URI.
     */
    static String uri(String rawPath, boolean s3) {
        if (s3) {
            String uri = encodeKeepingEscapes(rawPath);
            return uri.isEmpty() ? "/" : uri;
        }
        String normalized = normalize(rawPath);
        StringBuilder out = new StringBuilder(normalized.length() + 16);
        encode(normalized.getBytes(StandardCharsets.UTF_8), true, out);
        return out.toString();
    }

    private static String normalize(String path) {
        List<String> segments = new ArrayList<>();
        int start = 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            String segment = path.substring(start, end);
            if (segment.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
            start = end + 1;
        }
        boolean trailingSlash = path.endsWith("/") && !segments.isEmpty();
        return "/" + String.join("/", segments) + (trailingSlash ? "/" : "");
    }

    private static String encodeKeepingEscapes(String rawPath) {
        StringBuilder out = new StringBuilder(rawPath.length() + 16);
        int i = 0;
        while (i < rawPath.length()) {
            char c = rawPath.charAt(i);
            if (c == '%' && i + 2 < rawPath.length() && isHex(rawPath.charAt(i + 1)) && isHex(rawPath.charAt(i + 2))) {
                out.append(rawPath, i, i + 3);
                i += 3;
            } else if (c < 0x80) {
                appendEncoded((byte) c, true, out);
                i++;
            } else {
                int codePoint = rawPath.codePointAt(i);
                encode(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8), true, out);
                i += Character.charCount(codePoint);
            }
        }
        return out.toString();
    }

    /**
     * The canonical query string: every parameter decoded, encoded again the AWS way, and sorted by
     * encoded name, then value. A {@code +} is taken literally, as AWS does, not as a space.
     */
    static String query(String rawQuery, boolean presigned) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> parameters = new ArrayList<>();
        int start = 0;
        while (start <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? rawQuery.length() : amp;
            if (end > start) {
                int eq = rawQuery.indexOf('=', start);
                boolean hasValue = eq >= 0 && eq < end;
                String name = reencode(rawQuery, start, hasValue ? eq : end);
                String value = hasValue ? reencode(rawQuery, eq + 1, end) : "";
                if (!(presigned && name.equals(SIGNATURE_PARAMETER))) {
                    parameters.add(new String[] {name, value});
                }
            }
            start = end + 1;
        }
        parameters.sort((a, b) -> {
            int byName = a[0].compareTo(b[0]);
            return byName != 0 ? byName : a[1].compareTo(b[1]);
        });
        StringBuilder out = new StringBuilder(rawQuery.length() + 16);
        for (String[] parameter : parameters) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(parameter[0]).append('=').append(parameter[1]);
        }
        return out.toString();
    }

    private static String reencode(String text, int start, int end) {
        StringBuilder out = new StringBuilder(end - start + 8);
        encode(decode(text, start, end), false, out);
        return out.toString();
    }

    /** Percent-decodes to bytes; a {@code %} not followed by two hex digits stands for itself. */
    static byte[] decode(String text, int start, int end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - start);
        int i = start;
        while (i < end) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < end && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                out.write(Character.digit(text.charAt(i + 1), 16) << 4 | Character.digit(text.charAt(i + 2), 16));
                i += 3;
            } else if (c < 0x80) {
                out.write(c);
                i++;
            } else {
                int codePoint = text.codePointAt(i);
                out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return out.toByteArray();
    }

    /** Decodes a whole query value to text. */
    static String decode(String text) {
        return new String(decode(text, 0, text.length()), StandardCharsets.UTF_8);
    }

    /** AWS's UriEncode: everything but {@code A-Za-z0-9-._~} (and {@code /} in paths) as {@code %XY}. */
    static void encode(byte[] bytes, boolean keepSlash, StringBuilder out) {
        for (byte b : bytes) {
            appendEncoded(b, keepSlash, out);
        }
    }

    private static void appendEncoded(byte b, boolean keepSlash, StringBuilder out) {
        int c = b & 0xff;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || (keepSlash && c == '/')) {
            out.append((char) c);
        } else {
            out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
        }
    }

    /** Values trimmed, inner runs of whitespace collapsed to one space, several values joined by commas. */
    static String headerValue(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (int v = 0; v < values.size(); v++) {
            if (v > 0) {
                out.append(',');
            }
            String value = values.get(v);
            boolean pendingSpace = false;
            boolean started = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pendingSpace = started;
                } else {
                    if (pendingSpace) {
                        out.append(' ');
                        pendingSpace = false;
                    }
                    out.append(c);
                    started = true;
                }
            }
        }
        return out.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
