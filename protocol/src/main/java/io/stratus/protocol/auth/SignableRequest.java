package io.stratus.protocol.auth;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parts of an HTTP request that SigV4 covers, as they arrived on the wire.
 *
 * <p>The edge implements this over its own request type so that signing code never depends on
 * Netty. Implementations must be safe to read from the thread that verifies the request; they
 * are not shared across threads by this package.
 *
 * <p>HTTP/2 requests carry no {@code Host} header; an implementation must answer the
 * {@code :authority} pseudo-header under {@code host}, because every signed request signs it.
 */
public interface SignableRequest {

    /** The method, upper case: {@code GET}, {@code PUT}, … */
    String method();

    /** The path as sent, still percent-encoded, without the query; never empty for HTTP/1.1. */
    String rawPath();

    /** The query as sent (without {@code ?}), still percent-encoded; empty when there is none. */
    String rawQuery();

    /** Every value of one header, in the order received; empty when absent. */
    List<String> headerValues(String lowerCaseName);

    /** The names of the headers present, lower case. */
    Set<String> headerNames();

    /** The first value of a header, if present. */
    default Optional<String> firstHeader(String lowerCaseName) {
        List<String> values = headerValues(lowerCaseName);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * A request held as plain values, as tests and outgoing calls build it. Immutable.
     *
     * @param headers values by lower-case header name, in insertion order
     */
    record Snapshot(String method, String rawPath, String rawQuery, Map<String, List<String>> headers)
            implements SignableRequest {

        public Snapshot {
            requireNonNull(method, "method is null");
            requireNonNull(rawPath, "rawPath is null");
            requireNonNull(rawQuery, "rawQuery is null");
            requireNonNull(headers, "headers is null");
            Map<String, List<String>> copy = new LinkedHashMap<>();
            headers.forEach((name, values) -> copy.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                    .addAll(values));
            copy.replaceAll((name, values) -> List.copyOf(values));
            headers = Collections.unmodifiableMap(copy);
        }

        /** A request with no headers yet. */
        public static Snapshot of(String method, String rawPath, String rawQuery) {
            return new Snapshot(method, rawPath, rawQuery, Map.of());
        }

        /** This request with {@code name} set to the single {@code value}, replacing any values it had. */
        public Snapshot withHeader(String name, String value) {
            Map<String, List<String>> copy = new LinkedHashMap<>(headers);
            copy.put(name.toLowerCase(Locale.ROOT), List.of(value));
            return new Snapshot(method, rawPath, rawQuery, copy);
        }

        /** This request with one more value of {@code name}, after any it had. */
        public Snapshot plusHeader(String name, String value) {
            Map<String, List<String>> copy = new LinkedHashMap<>(headers);
            List<String> values = new ArrayList<>(copy.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
            values.add(value);
            copy.put(name.toLowerCase(Locale.ROOT), values);
            return new Snapshot(method, rawPath, rawQuery, copy);
        }

        public Snapshot withRawQuery(String rawQuery) {
            return new Snapshot(method, rawPath, rawQuery, headers);
        }

        /** A copy of any request, so that it can be re-signed or altered. */
        public static Snapshot copyOf(SignableRequest request) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String name : request.headerNames()) {
                headers.put(name, request.headerValues(name));
            }
            return new Snapshot(request.method(), request.rawPath(), request.rawQuery(), headers);
        }

        @Override
        public List<String> headerValues(String lowerCaseName) {
            return headers.getOrDefault(lowerCaseName, List.of());
        }

        @Override
        public Set<String> headerNames() {
            return headers.keySet();
        }
    }
}
