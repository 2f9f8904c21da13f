package io.stratus.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;

/** Short spellings for tests that use text as keys and values. */
final class Bytes {

    private Bytes() {}

    static byte[] b(String text) {
        return text.getBytes(UTF_8);
    }

    static String s(byte[] bytes) {
        return bytes == null ? null : new String(bytes, UTF_8);
    }

    /** Drains {@code scan} into "key=value" strings and closes it. */
    static List<String> drain(Scan scan) {
        try (scan) {
            var entries = new ArrayList<String>();
            scan.forEachRemaining(e -> entries.add(s(e.key()) + "=" + s(e.value())));
            return entries;
        }
    }

    /** Drains {@code scan} into its keys and closes it. */
    static List<byte[]> keys(Scan scan) {
        try (scan) {
            var keys = new ArrayList<byte[]>();
            scan.forEachRemaining(e -> keys.add(e.key()));
            return keys;
        }
    }
}
