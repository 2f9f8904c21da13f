package io.stratus.protocol;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An HTTP response ready for the edge to write: a body in memory, or a stream that the edge copies
 * to the socket as the client reads it and then closes — of known length (an S3 object), or of a
 * length known only at its end (a Lambda function's streamed response), sent chunked as it comes.
 * Headers keep their order and may repeat. Built by one thread, then handed off; not thread-safe
 * while being built.
 */
public final class HttpResponse {

    private final int status;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private byte[] body;
    private InputStream stream;
    private long streamLength;

    public HttpResponse(int status, byte[] body) {
        this.status = status;
        this.body = requireNonNull(body, "body is null");
    }

    /**
     * A response whose body is streamed; the edge closes the stream once written (or abandoned).
     *
     * @param length the exact number of bytes the stream yields, sent as {@code Content-Length}
     */
    public static HttpResponse streaming(int status, InputStream stream, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("A streamed body needs its length: " + length);
        }
        HttpResponse response = new HttpResponse(status, new byte[0]);
        response.stream = requireNonNull(stream, "stream is null");
        response.streamLength = length;
        return response;
    }

    /**
     * A response whose body is streamed and whose length is known only at its end: the edge sends it
     * chunked, each piece as soon as the stream yields it (so a reader that waits for more bytes
     * holds the response open, and the client sees what came so far), and closes the stream once
     * written (or abandoned).
     */
    public static HttpResponse streaming(int status, InputStream stream) {
        HttpResponse response = new HttpResponse(status, new byte[0]);
        response.stream = requireNonNull(stream, "stream is null");
        response.streamLength = -1;
        return response;
    }

    public static HttpResponse of(int status, String contentType, String body) {
        return new HttpResponse(status, body.getBytes(StandardCharsets.UTF_8)).header("Content-Type", contentType);
    }

    public static HttpResponse empty(int status) {
        return new HttpResponse(status, new byte[0]);
    }

    public HttpResponse header(String name, String value) {
        headers.add(Map.entry(requireNonNull(name, "name is null"), requireNonNull(value, "value is null")));
        return this;
    }

    public int status() {
        return status;
    }

    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    public boolean hasHeader(String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** The body in memory; empty for a streamed response. */
    public byte[] body() {
        return body;
    }

    public HttpResponse body(byte[] body) {
        this.body = requireNonNull(body, "body is null");
        this.stream = null;
        return this;
    }

    /** The streamed body, or null when the body is in memory. */
    public InputStream stream() {
        return stream;
    }

    /** The length of the body, streamed or not; -1 for a stream whose length is known only at its end. */
    public long bodyLength() {
        return stream != null ? streamLength : body.length;
    }
}
