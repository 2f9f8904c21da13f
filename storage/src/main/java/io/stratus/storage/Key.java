package io.stratus.storage;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Composite keys whose bytes sort like their values: comparing two encodings with {@link #ORDER}
 * gives the same answer as comparing the tuples element by element, with strings ordered by their
 * UTF-8 bytes, numbers numerically and byte arrays as unsigned bytes. A tuple that is a prefix of
 * another sorts first. So {@code (account, table, partition)} is a prefix whose
 * {@link KeyRange#prefix range} holds exactly that partition's items, in sort-key order.
 *
 * <pre>{@code
 * byte[] key = Key.builder().add(account).add(queue).add(visibleAtMillis).build();
 * }</pre>
 *
 * <p>Elements at the same position but of different types sort by type: byte arrays, strings, longs,
 * decimals. A long and a decimal of equal value are different elements.
 */
public final class Key {

    /** The order of keys in every store: unsigned lexicographic comparison of the bytes. */
    public static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

    private Key() {}

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decodes a key made by {@link Builder#build()} into its elements: {@link String}, {@link Long},
     * {@link BigDecimal} (in its shortest form: {@code 1.00} comes back as {@code 1}) and
     * {@code byte[]}.
     *
     * @throws IllegalArgumentException if {@code key} is not such an encoding
     */
    public static List<Object> decode(byte[] key) {
        return KeyEncoder.decode(requireNonNull(key, "key is null"));
    }

    /**
     * Returns the smallest key greater than every key that begins with {@code prefix}, for use as an
     * exclusive range end, or {@code null} when there is none (the prefix is empty or all
     * {@code 0xFF}).
     */
    public static byte[] prefixEnd(byte[] prefix) {
        requireNonNull(prefix, "prefix is null");
        int length = prefix.length;
        while (length > 0 && prefix[length - 1] == (byte) 0xFF) {
            length--;
        }
        if (length == 0) {
            return null;
        }
        byte[] end = Arrays.copyOf(prefix, length);
        end[length - 1]++;
        return end;
    }

    static String toHex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Appends elements in order. {@code build} and {@code buildPrefix} may be called several times,
     * each returning the elements added so far. Not thread-safe.
     */
    public static final class Builder {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream(32);

        private Builder() {}

        /**
         * @throws IllegalArgumentException if {@code value} is not valid Unicode (holds a lone
         *         surrogate), since it could not be decoded back
         */
        public Builder add(String value) {
            KeyEncoder.writeString(out, requireNonNull(value, "value is null"));
            return this;
        }

        public Builder add(long value) {
            KeyEncoder.writeLong(out, value);
            return this;
        }

        /**
         * Adds a number; equal numbers encode identically whatever their scale ({@code 1.0} and
         * {@code 1.00}).
         *
         * @throws IllegalArgumentException if its decimal exponent does not fit in an int
         */
        public Builder add(BigDecimal value) {
            KeyEncoder.writeDecimal(out, requireNonNull(value, "value is null"));
            return this;
        }

        public Builder add(byte[] value) {
            KeyEncoder.writeBytes(out, requireNonNull(value, "value is null"));
            return this;
        }

        public byte[] build() {
            return out.toByteArray();
        }

        /**
         * Returns a prefix covering every key that continues with a string beginning with
         * {@code partial} (DynamoDB {@code begins_with}, S3 key prefixes). Pass it to
         * {@link KeyRange#prefix}.
         */
        public byte[] buildPrefix(String partial) {
            requireNonNull(partial, "partial is null");
            ByteArrayOutputStream prefix = copyOfOut();
            KeyEncoder.writeStringPrefix(prefix, partial);
            return prefix.toByteArray();
        }

        /** Like {@link #buildPrefix(String)}, for a byte array element beginning with {@code partial}. */
        public byte[] buildPrefix(byte[] partial) {
            requireNonNull(partial, "partial is null");
            ByteArrayOutputStream prefix = copyOfOut();
            KeyEncoder.writeBytesPrefix(prefix, partial);
            return prefix.toByteArray();
        }

        private ByteArrayOutputStream copyOfOut() {
            var copy = new ByteArrayOutputStream(out.size() + 16);
            copy.writeBytes(out.toByteArray());
            return copy;
        }
    }
}
