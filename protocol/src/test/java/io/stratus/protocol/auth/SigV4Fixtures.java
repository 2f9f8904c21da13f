package io.stratus.protocol.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON vectors under {@code src/test/resources/sigv4}. */
final class SigV4Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private SigV4Fixtures() {}

    /** A file of vectors that share one key, scope and time. */
    record Suite(String accessKeyId, String secretAccessKey, String region, String service, String amzDate, List<Vector> cases) {}

    /** One request with the canonical request, string to sign and signature it must produce. */
    record Vector(String name, String method, String rawPath, String rawQuery, List<List<String>> headers, String payloadHash,
            List<String> signedHeaders, String canonicalRequest, String stringToSign, String signature) {

        SignableRequest.Snapshot request() {
            return snapshot(method, rawPath, rawQuery, headers);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Requests botocore signed, captured just before sending. */
    record Captured(String accessKeyId, String secretAccessKey, List<Request> requests) {}

    record Request(String name, String method, String rawPath, String rawQuery, List<List<String>> headers, String bodyBase64,
            String payloadHash) {

        SignableRequest.Snapshot request() {
            return snapshot(method, rawPath, rawQuery, headers);
        }

        byte[] body() {
            return Base64.getDecoder().decode(bodyBase64);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Suite suite(String resource) {
        return read(resource, Suite.class);
    }

    static Captured botocore() {
        return read("botocore-requests.json", Captured.class);
    }

    static List<Vector> vectors() {
        List<Vector> all = new ArrayList<>(suite("aws-sig-v4-test-suite.json").cases());
        all.addAll(suite("s3-examples.json").cases());
        return all;
    }

    private static SignableRequest.Snapshot snapshot(String method, String rawPath, String rawQuery, List<List<String>> headers) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (List<String> header : headers) {
            values.computeIfAbsent(header.get(0).toLowerCase(Locale.ROOT), name -> new ArrayList<>()).add(header.get(1));
        }
        return new SignableRequest.Snapshot(method, rawPath, rawQuery, values);
    }

    private static <T> T read(String resource, Class<T> type) {
        try (InputStream in = requireNonNull(SigV4Fixtures.class.getResourceAsStream("/sigv4/" + resource), resource)) {
            return JSON.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
