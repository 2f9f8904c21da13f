package io.stratus.storage;

import java.util.Arrays;

/**
 * A range of keys: from {@code start} (inclusive) to {@code end} (exclusive), in {@link Key#ORDER}.
 * A {@code null} bound leaves that side open. The arrays are copied in and out, so a range never
 * changes after it is made.
 */
public record KeyRange(byte[] start, byte[] end) {

    private static final KeyRange ALL = new KeyRange(null, null);

    public KeyRange {
        start = start == null ? null : start.clone();
        end = end == null ? null : end.clone();
        if (start != null && end != null && Key.ORDER.compare(start, end) > 0) {
            throw new IllegalArgumentException("range start is after its end: " + Key.toHex(start) + " > " + Key.toHex(end));
        }
    }

    /** Every key. */
    public static KeyRange all() {
        return ALL;
    }

    /**
     * Every key that begins with {@code prefix}, e.g. every item of one partition:
     * {@code KeyRange.prefix(Key.builder().add(account).add(table).build())}.
     */
    public static KeyRange prefix(byte[] prefix) {
        return new KeyRange(prefix, Key.prefixEnd(prefix));
    }

    /** Every key from {@code start} on. */
    public static KeyRange atLeast(byte[] start) {
        return new KeyRange(start, null);
    }

    /** Every key before {@code end}. */
    public static KeyRange before(byte[] end) {
        return new KeyRange(null, end);
    }

    public boolean contains(byte[] key) {
        return (start == null || Key.ORDER.compare(key, start) >= 0) && (end == null || Key.ORDER.compare(key, end) < 0);
    }

    /** The inclusive start, or {@code null} when open. */
    @Override
    public byte[] start() {
        return start == null ? null : start.clone();
    }

    /** The exclusive end, or {@code null} when open. */
    @Override
    public byte[] end() {
        return end == null ? null : end.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRange other && Arrays.equals(start, other.start) && Arrays.equals(end, other.end);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(start) + Arrays.hashCode(end);
    }

    @Override
    public String toString() {
        return "[" + (start == null ? "-inf" : Key.toHex(start)) + ", " + (end == null ? "+inf" : Key.toHex(end)) + ")";
    }
}
