package io.stratus.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A decoded {@code application/x-www-form-urlencoded} parameter list: a URL's query string or an
 * awsQuery body. Keeps the order and every value of repeated names. Immutable.
 */
public final class QueryString {

    private static final QueryString EMPTY = new QueryString(Map.of());

    private final Map<String, List<String>> params;

    private QueryString(Map<String, List<String>> params) {
        this.params = params;
    }

    public static QueryString parse(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decodeForm(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeForm(pair.substring(eq + 1));
            params.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
        }
        params.replaceAll((name, values) -> List.copyOf(values));
        return new QueryString(Collections.unmodifiableMap(params));
    }

    public Optional<String> first(String name) {
        List<String> values = params.get(name);
        return values == null ? Optional.empty() : Optional.of(values.getFirst());
    }

    public List<String> all(String name) {
        return params.getOrDefault(name, List.of());
    }

    public boolean contains(String name) {
        return params.containsKey(name);
    }

    /** Every parameter name with its values, in the order first seen. */
    public Map<String, List<String>> asMap() {
        return params;
    }

    public boolean isEmpty() {
        return params.isEmpty();
    }

    /** Decodes form encoding: {@code +} is a space. */
    public static String decodeForm(String s) {
        return decode(s, true);
    }

    /** Decodes a URL path: {@code +} stays a plus sign. */
    public static String decodePath(String s) {
        return decode(s, false);
    }

    private static String decode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.write(Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    bytes = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.writeBytes(bytes);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
