package io.stratus.protocol;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An HTTP response ready for the edge to write. Headers keep their order and may repeat.
 * Built by one thread, then handed off; not thread-safe while being built.
 */
public final class HttpResponse {

    private final int status;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private byte[] body;

    public HttpResponse(int status, byte[] body) {
        this.status = status;
        this.body = requireNonNull(body, "body is null");
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
        return headers.stream().anyMatch(h -> h.getKey().equalsIgnoreCase(name));
    }

    public byte[] body() {
        return body;
    }

    public HttpResponse body(byte[] body) {
        this.body = requireNonNull(body, "body is null");
        return this;
    }
}
