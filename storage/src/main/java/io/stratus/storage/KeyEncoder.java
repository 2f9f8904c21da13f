package io.stratus.storage;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The element encodings behind {@link Key}. Each element is a type tag followed by a body that sorts
 * like the value and is self-delimiting (no body is a proper prefix of another of the same type),
 * which is what makes whole tuples compare element by element:
 *
 * <ul>
 *   <li>bytes and strings (UTF-8): the bytes with each {@code 00} written as {@code 00 FF}, then a
 *       {@code 00} terminator. The terminator sorts below any content byte and below {@code 00 FF},
 *       so {@code "a"} sorts before {@code "a\0"} and {@code "ab"}, and {@code ("a","b")} before
 *       {@code ("ab","")}.
 *   <li>long: eight bytes big-endian with the sign bit flipped, so negatives sort first.
 *   <li>decimal: a sign byte (negative, zero, positive); then, for non-zero values written as
 *       {@code ±0.d1d2…dn × 10^e} with {@code d1 ≠ 0} and no trailing zero digit, the exponent
 *       {@code e} as a sign-flipped big-endian int, and the digits two per byte as
 *       {@code 10·d + d' + 1} (1..100, an odd last digit padded with 0) ended by {@code 00}. For
 *       negatives the exponent and digit bytes are inverted and the terminator is {@code FF}, so a
 *       larger magnitude sorts first. Scale does not matter: {@code 1.0} and {@code 1.00} are
 *       {@code 0.1 × 10^1}.
 * </ul>
 */
final class KeyEncoder {

    // Tag order decides how mixed-type elements at one position sort; none may be 0xFF, which
    // follows 0x00 inside an escaped byte string.
    static final int TAG_BYTES = 0x01;
    static final int TAG_STRING = 0x02;
    static final int TAG_LONG = 0x03;
    static final int TAG_DECIMAL = 0x04;

    private static final int NEGATIVE = 0x01;
    private static final int ZERO = 0x02;
    private static final int POSITIVE = 0x03;

    private KeyEncoder() {}

    static void writeBytes(ByteArrayOutputStream out, byte[] value) {
        writeBytesPrefix(out, value);
        out.write(0x00);
    }

    static void writeBytesPrefix(ByteArrayOutputStream out, byte[] value) {
        out.write(TAG_BYTES);
        writeEscaped(out, value);
    }

    static void writeString(ByteArrayOutputStream out, String value) {
        writeStringPrefix(out, value);
        out.write(0x00);
    }

    static void writeStringPrefix(ByteArrayOutputStream out, String value) {
        out.write(TAG_STRING);
        writeEscaped(out, utf8(value));
    }

    static void writeLong(ByteArrayOutputStream out, long value) {
        out.write(TAG_LONG);
        long flipped = value ^ Long.MIN_VALUE;
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (flipped >>> shift));
        }
    }

    static void writeDecimal(ByteArrayOutputStream out, BigDecimal value) {
        out.write(TAG_DECIMAL);
        if (value.signum() == 0) {
            out.write(ZERO);
            return;
        }
        boolean negative = value.signum() < 0;
        BigDecimal stripped = value.stripTrailingZeros();
        String digits = stripped.unscaledValue().abs().toString();
        long exponent = (long) digits.length() - stripped.scale();
        if (exponent != (int) exponent) {
            throw new IllegalArgumentException("number out of range for a key: " + value);
        }
        // Inverting every byte of a negative number's body reverses its order, as negation must.
        int invert = negative ? 0xFF : 0x00;
        out.write(negative ? NEGATIVE : POSITIVE);
        int flipped = (int) exponent ^ Integer.MIN_VALUE;
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write(((flipped >>> shift) & 0xFF) ^ invert);
        }
        for (int i = 0; i < digits.length(); i += 2) {
            int high = digits.charAt(i) - '0';
            int low = i + 1 < digits.length() ? digits.charAt(i + 1) - '0' : 0;
            out.write((high * 10 + low + 1) ^ invert);
        }
        out.write(invert);
    }

    static List<Object> decode(byte[] key) {
        var reader = new Reader(key);
        var elements = new ArrayList<Object>();
        while (reader.more()) {
            int tag = reader.next();
            elements.add(switch (tag) {
                case TAG_BYTES -> reader.escaped();
                case TAG_STRING -> string(reader.escaped());
                case TAG_LONG -> reader.longValue();
                case TAG_DECIMAL -> reader.decimal();
                default -> throw reader.malformed("unknown element type " + tag);
            });
        }
        return List.copyOf(elements);
    }

    private static void writeEscaped(ByteArrayOutputStream out, byte[] value) {
        // In runs between zero bytes (most values have none): every store read and write builds keys,
        // and a write per byte takes the stream's lock per byte.
        int start = 0;
        for (int i = 0; i < value.length; i++) {
            if (value[i] == 0) {
                out.write(value, start, i + 1 - start);
                out.write(0xFF);
                start = i + 1;
            }
        }
        out.write(value, start, value.length - start);
    }

    private static byte[] utf8(String value) {
        // String.getBytes would silently turn a lone surrogate into '?', making two different
        // strings share a key; refusing it keeps keys one-to-one. Without any surrogate it is exact,
        // and much cheaper than a new encoder per element (every store read and write builds keys).
        if (!hasSurrogate(value)) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        }
        catch (CharacterCodingException e) {
            throw new IllegalArgumentException("string is not valid Unicode and cannot be part of a key", e);
        }
    }

    private static boolean hasSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isSurrogate(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String string(byte[] utf8) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        }
        catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not a Key encoding: string element is not UTF-8", e);
        }
    }

    /** A cursor over an encoded key; every read checks bounds so malformed input fails cleanly. */
    private static final class Reader {

        private final byte[] key;
        private int position;

        Reader(byte[] key) {
            this.key = key;
        }

        boolean more() {
            return position < key.length;
        }

        int next() {
            if (position >= key.length) {
                throw malformed("ends inside an element");
            }
            return key[position++] & 0xFF;
        }

        byte[] escaped() {
            var out = new ByteArrayOutputStream();
            while (true) {
                int b = next();
                if (b != 0) {
                    out.write(b);
                }
                else if (more() && (key[position] & 0xFF) == 0xFF) {
                    out.write(0);
                    position++;
                }
                else {
                    return out.toByteArray();
                }
            }
        }

        long longValue() {
            long flipped = 0;
            for (int i = 0; i < 8; i++) {
                flipped = (flipped << 8) | next();
            }
            return flipped ^ Long.MIN_VALUE;
        }

        BigDecimal decimal() {
            int sign = next();
            if (sign == ZERO) {
                return BigDecimal.ZERO;
            }
            if (sign != NEGATIVE && sign != POSITIVE) {
                throw malformed("bad number sign " + sign);
            }
            int invert = sign == NEGATIVE ? 0xFF : 0x00;
            int flipped = 0;
            for (int i = 0; i < 4; i++) {
                flipped = (flipped << 8) | (next() ^ invert);
            }
            int exponent = flipped ^ Integer.MIN_VALUE;
            var digits = new StringBuilder();
            for (int b = next() ^ invert; b != 0; b = next() ^ invert) {
                if (b > 100) {
                    throw malformed("bad number digits " + b);
                }
                digits.append((char) ('0' + (b - 1) / 10)).append((char) ('0' + (b - 1) % 10));
            }
            // Only the padding of an odd digit count can end in 0: the digits were stripped.
            if (digits.length() > 0 && digits.charAt(digits.length() - 1) == '0') {
                digits.setLength(digits.length() - 1);
            }
            if (digits.isEmpty() || digits.charAt(0) == '0') {
                throw malformed("bad number digits");
            }
            BigInteger unscaled = new BigInteger(digits.toString());
            var magnitude = new BigDecimal(unscaled, Math.toIntExact((long) digits.length() - exponent));
            return sign == NEGATIVE ? magnitude.negate() : magnitude;
        }

        IllegalArgumentException malformed(String why) {
            return new IllegalArgumentException("not a Key encoding (" + why + " at byte " + position + "): " + Key.toHex(key));
        }
    }
}
