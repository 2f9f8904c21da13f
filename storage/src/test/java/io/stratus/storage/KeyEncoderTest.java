package io.stratus.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The property {@link Key} exists for: comparing encodings byte-wise gives the natural order of the
 * tuples, and decoding gives the tuples back. Checked on named ascending sequences of edge cases
 * and on many random tuples against a reference comparator written from the definition.
 */
class KeyEncoderTest {

    static Stream<Arguments> ascendingSequences() {
        return Stream.of(
                Arguments.of("strings by UTF-8 bytes, prefixes first", List.of(
                        t(""), t("\0"), t("\0\0"), t("\u0001"), t("A"), t("a"), t("a\0"), t("a\0b"), t("a\u0001"), t("aa"), t("ab"),
                        t("b"), t("\u007f"), t("\u0080"), t("é"), t("\uFFFF"), t("😀"))),
                Arguments.of("composites do not bleed into each other", List.of(
                        t("a"), t("a", ""), t("a", "b"), t("a", "b", "c"), t("a\0", ""), t("ab", ""), t("ab", "a"))),
                Arguments.of("longs numerically", List.of(
                        t(Long.MIN_VALUE), t(Long.MIN_VALUE + 1), t(-256L), t(-255L), t(-1L), t(0L), t(1L), t(255L), t(256L),
                        t(Long.MAX_VALUE - 1), t(Long.MAX_VALUE))),
                Arguments.of("decimals numerically", List.of(
                        t(d("-9.9999999999999999999999999999999999999E+125")), t(d("-1E+125")), t(d("-123456789012345678901234567890.12345678")),
                        t(d("-100")), t(d("-99.9")), t(d("-10")), t(d("-1.01")), t(d("-1")), t(d("-0.99")), t(d("-0.1")), t(d("-0.01")),
                        t(d("-1E-130")), t(d("0")), t(d("1E-130")), t(d("1.00000000000000000000000000000000000001E-130")), t(d("0.01")),
                        t(d("0.1")), t(d("0.101")), t(d("0.11")), t(d("1")), t(d("1.0000000000000000000000000000000000001")), t(d("1.01")),
                        t(d("1.1")), t(d("9")), t(d("10")), t(d("10.5")), t(d("11")), t(d("99.99")), t(d("100")), t(d("1E+125")),
                        t(d("9.9999999999999999999999999999999999999E+125")))),
                Arguments.of("byte arrays unsigned", List.of(
                        t(bytes()), t(bytes(0)), t(bytes(0, 0)), t(bytes(0, 1)), t(bytes(0, 0xFF)), t(bytes(1)), t(bytes(0x7F)),
                        t(bytes(0x80)), t(bytes(0xFF)), t(bytes(0xFF, 0)), t(bytes(0xFF, 0xFF)))),
                Arguments.of("types in tag order", List.of(t(bytes(0xFF)), t(""), t("\uFFFF"), t(Long.MIN_VALUE), t(Long.MAX_VALUE), t(d("-1E+125")))),
                Arguments.of("mixed tuples", List.of(
                        t("acct", "table", -5L), t("acct", "table", 0L), t("acct", "table", 0L, "x"), t("acct", "table", 7L),
                        t("acct", "table2"), t("acct2"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ascendingSequences")
    void encodingsSortLikeTheTuplesAndDecodeBack(String name, List<List<Object>> ascending) {
        for (int i = 0; i < ascending.size(); i++) {
            byte[] encoded = encode(ascending.get(i));
            assertSameTuple(Key.decode(encoded), ascending.get(i));
            for (int j = i + 1; j < ascending.size(); j++) {
                assertThat(Key.ORDER.compare(encoded, encode(ascending.get(j))))
                        .as("%s < %s", ascending.get(i), ascending.get(j))
                        .isNegative();
            }
        }
    }

    @Test
    void equalDecimalsEncodeIdenticallyWhateverTheirScale() {
        for (List<String> same : List.of(List.of("1", "1.0", "1.00", "1E0", "0.1E1"), List.of("0", "0.000", "0E+10", "-0"),
                List.of("100", "1E+2", "100.00"), List.of("-0.5", "-0.50", "-5E-1"))) {
            byte[] first = encode(t(d(same.getFirst())));
            for (String other : same) {
                assertThat(encode(t(d(other)))).as(other).isEqualTo(first);
            }
        }
        assertThat(Key.decode(encode(t(d("1.00"))))).containsExactly(new BigDecimal("1"));
    }

    @Test
    void stringsOrderByUtf8NotByJavaChars() {
        // Java's String order puts U+FFFF after U+1F600 (its surrogates start at 0xD83D); UTF-8 does not.
        assertThat("\uFFFF".compareTo("😀")).isPositive();
        assertThat(Key.ORDER.compare(encode(t("\uFFFF")), encode(t("😀")))).isNegative();
    }

    @Test
    void randomTuplesSortLikeTheReferenceComparatorAndDecodeBack() {
        long seed = System.nanoTime();
        var random = new Random(seed);
        var tuples = new ArrayList<List<Object>>();
        for (int i = 0; i < 600; i++) {
            tuples.add(randomTuple(random));
        }
        var encoded = tuples.stream().map(KeyEncoderTest::encode).toList();
        for (int i = 0; i < tuples.size(); i++) {
            assertSameTuple(Key.decode(encoded.get(i)), tuples.get(i));
            for (int j = 0; j < tuples.size(); j++) {
                int expected = Integer.signum(compareTuples(tuples.get(i), tuples.get(j)));
                int actual = Integer.signum(Key.ORDER.compare(encoded.get(i), encoded.get(j)));
                if (expected != actual) {
                    throw new AssertionError("seed " + seed + ": " + tuples.get(i) + " vs " + tuples.get(j) + " expected " + expected + " got " + actual);
                }
            }
        }
    }

    @Test
    void stringPrefixCoversExactlyTheStringsThatBeginWithIt() {
        var random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            String value = randomString(random);
            String partial = randomString(random);
            if (random.nextBoolean() && !value.isEmpty()) {
                partial = value.substring(0, value.offsetByCodePoints(0, random.nextInt(value.codePointCount(0, value.length()) + 1)));
            }
            var range = KeyRange.prefix(Key.builder().add("acct").buildPrefix(partial));
            byte[] key = Key.builder().add("acct").add(value).add(42L).build();
            assertThat(range.contains(key)).as("'%s' begins with '%s'", value, partial).isEqualTo(value.startsWith(partial));
        }
        var bytesRange = KeyRange.prefix(Key.builder().buildPrefix(bytes(1, 0)));
        assertThat(bytesRange.contains(Key.builder().add(bytes(1, 0, 5)).build())).isTrue();
        assertThat(bytesRange.contains(Key.builder().add(bytes(1, 1)).build())).isFalse();
    }

    @Test
    void tuplePrefixRangeHoldsExactlyItsExtensions() {
        var partition = KeyRange.prefix(Key.builder().add("acct").add("table").build());
        assertThat(partition.contains(Key.builder().add("acct").add("table").build())).isTrue();
        assertThat(partition.contains(Key.builder().add("acct").add("table").add(d("-5")).build())).isTrue();
        assertThat(partition.contains(Key.builder().add("acct").add("table2").build())).isFalse();
        assertThat(partition.contains(Key.builder().add("acct").add("tabl").add("e").build())).isFalse();
    }

    @Test
    void prefixEndIsTheFirstKeyAfterThePrefix() {
        assertThat(Key.prefixEnd(bytes())).isNull();
        assertThat(Key.prefixEnd(bytes(0xFF, 0xFF))).isNull();
        assertThat(Key.prefixEnd(bytes(1, 2))).isEqualTo(bytes(1, 3));
        assertThat(Key.prefixEnd(bytes(1, 0xFF, 0xFF))).isEqualTo(bytes(2));
        assertThat(Key.prefixEnd(bytes(0x7F))).isEqualTo(bytes(0x80));
    }

    @Test
    void invalidInputsAreRefused() {
        assertThatThrownBy(() -> Key.builder().add("lone \uD800 surrogate")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Key.builder().add(new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE))).isInstanceOf(IllegalArgumentException.class);
        for (String hex : List.of("09", "02616263", "0300", "0405", "0403", "0403800000010000")) {
            assertThatThrownBy(() -> Key.decode(HexFormat.of().parseHex(hex))).as(hex).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new KeyRange(bytes(2), bytes(1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Object> randomTuple(Random random) {
        var tuple = new ArrayList<Object>();
        int length = 1 + random.nextInt(3);
        for (int i = 0; i < length; i++) {
            tuple.add(switch (random.nextInt(4)) {
                case 0 -> randomString(random);
                case 1 -> randomLong(random);
                case 2 -> randomDecimal(random);
                default -> randomBytes(random);
            });
        }
        return tuple;
    }

    private static String randomString(Random random) {
        String[] pieces = {"", "\0", "a", "b", "ab", "\u007f", "é", "\uFFFF", "😀", "z"};
        var s = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            s.append(pieces[random.nextInt(pieces.length)]);
        }
        return s.toString();
    }

    private static long randomLong(Random random) {
        long[] edges = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 255, 256, -256};
        return random.nextBoolean() ? edges[random.nextInt(edges.length)] : random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(21) - 10;
    }

    private static BigDecimal randomDecimal(Random random) {
        if (random.nextInt(10) == 0) {
            return BigDecimal.ZERO.setScale(random.nextInt(5));
        }
        int digits = 1 + random.nextInt(random.nextBoolean() ? 3 : 38);
        var unscaled = new BigInteger(digits * 4, random).mod(BigInteger.TEN.pow(digits));
        if (random.nextBoolean()) {
            unscaled = unscaled.negate();
        }
        // Exponents from -130 to +125, and often small so that values collide and nest.
        int scale = random.nextBoolean() ? random.nextInt(7) - 3 : digits - 1 - (random.nextInt(256) - 130);
        var value = new BigDecimal(unscaled, scale);
        return random.nextInt(4) == 0 ? value.setScale(scale + 2) : value;
    }

    private static byte[] randomBytes(Random random) {
        byte[] alphabet = {0, 1, 0x7F, (byte) 0x80, (byte) 0xFF};
        byte[] bytes = new byte[random.nextInt(4)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return bytes;
    }

    /** The order Key promises, written from its definition. */
    private static int compareTuples(List<Object> a, List<Object> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            int byType = Integer.compare(typeRank(x), typeRank(y));
            int c = byType != 0 ? byType : switch (x) {
                case String s -> Arrays.compareUnsigned(s.getBytes(UTF_8), ((String) y).getBytes(UTF_8));
                case Long l -> Long.compare(l, (Long) y);
                case BigDecimal d -> d.compareTo((BigDecimal) y);
                case byte[] bytes -> Arrays.compareUnsigned(bytes, (byte[]) y);
                default -> throw new IllegalArgumentException(x.toString());
            };
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int typeRank(Object o) {
        return switch (o) {
            case byte[] bytes -> 0;
            case String s -> 1;
            case Long l -> 2;
            case BigDecimal d -> 3;
            default -> throw new IllegalArgumentException(o.toString());
        };
    }

    private static void assertSameTuple(List<Object> actual, List<Object> expected) {
        assertThat(compareTuples(actual, expected)).as("decoded %s, expected %s", actual, expected).isZero();
    }

    private static byte[] encode(List<Object> tuple) {
        var builder = Key.builder();
        for (Object element : tuple) {
            switch (element) {
                case String s -> builder.add(s);
                case Long l -> builder.add(l);
                case BigDecimal d -> builder.add(d);
                case byte[] bytes -> builder.add(bytes);
                default -> throw new IllegalArgumentException(element.toString());
            }
        }
        return builder.build();
    }

    private static List<Object> t(Object... elements) {
        return List.of(elements);
    }

    private static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
