package io.stratus.protocol.auth;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.Checksum;

/**
 * CRC-64/NVME, S3's {@code CRC64NVME} checksum: reflected polynomial {@code 0x9a6c9329ac4bc9b5},
 * initial value and final XOR all ones; the check value of {@code "123456789"} is
 * {@code 0xae8b14860a799888}. The JDK has no CRC-64, so this computes it eight bytes at a time
 * with the slicing-by-8 tables. One such step waits for the one before it (its table lookups need
 * the previous value), so a long input is cut into {@value #LANES} lanes of {@value #LANE_BYTES}
 * bytes computed side by side, each from a zero register, which keeps more of the processor's
 * load units busy; the lanes are then joined as a CRC allows, the register of one stream
 * {@code A·B} being that of {@code A} times {@code x^(8·|B|)} modulo the polynomial, plus that of
 * {@code B} begun from zero. Not thread-safe, like every {@link Checksum}.
 */
public final class Crc64Nvme implements Checksum {

    private static final long POLYNOMIAL = 0x9a6c9329ac4bc9b5L;
    private static final long[][] TABLES = tables();
    static final int LANES = 3;
    static final int LANE_BYTES = 8 * 1024;
    /** {@code x^(8·LANE_BYTES)} and {@code x^(16·LANE_BYTES)}: what moves a lane's register past one or two lanes of input. */
    private static final long PAST_ONE_LANE = xPower8(LANE_BYTES);
    private static final long PAST_TWO_LANES = xPower8(2L * LANE_BYTES);
    private static final VarHandle LITTLE_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long crc = -1L;

    public Crc64Nvme() {}

    @Override
    public void update(int b) {
        crc = TABLES[0][(int) (crc ^ b) & 0xff] ^ (crc >>> 8);
    }

    @Override
    public void update(byte[] b, int off, int len) {
        int end = off + len;
        long value = crc;
        for (; end - off >= LANES * LANE_BYTES; off += LANES * LANE_BYTES) {
            value = threeLanes(value, b, off);
        }
        crc = slice8(value, b, off, end);
    }

    /** The register after the {@code 3 × LANE_BYTES} bytes at {@code off}, from register {@code value}. */
    private static long threeLanes(long value, byte[] b, int off) {
        long[] t0 = TABLES[0];
        long[] t1 = TABLES[1];
        long[] t2 = TABLES[2];
        long[] t3 = TABLES[3];
        long[] t4 = TABLES[4];
        long[] t5 = TABLES[5];
        long[] t6 = TABLES[6];
        long[] t7 = TABLES[7];
        long a = value;
        long c = 0;
        long d = 0;
        for (int i = off, end = off + LANE_BYTES; i < end; i += 8) {
            long x = a ^ (long) LITTLE_ENDIAN_LONG.get(b, i);
            long y = c ^ (long) LITTLE_ENDIAN_LONG.get(b, i + LANE_BYTES);
            long z = d ^ (long) LITTLE_ENDIAN_LONG.get(b, i + 2 * LANE_BYTES);
            a = t7[(int) x & 0xff] ^ t6[(int) (x >>> 8) & 0xff] ^ t5[(int) (x >>> 16) & 0xff] ^ t4[(int) (x >>> 24) & 0xff]
                    ^ t3[(int) (x >>> 32) & 0xff] ^ t2[(int) (x >>> 40) & 0xff] ^ t1[(int) (x >>> 48) & 0xff] ^ t0[(int) (x >>> 56)];
            c = t7[(int) y & 0xff] ^ t6[(int) (y >>> 8) & 0xff] ^ t5[(int) (y >>> 16) & 0xff] ^ t4[(int) (y >>> 24) & 0xff]
                    ^ t3[(int) (y >>> 32) & 0xff] ^ t2[(int) (y >>> 40) & 0xff] ^ t1[(int) (y >>> 48) & 0xff] ^ t0[(int) (y >>> 56)];
            d = t7[(int) z & 0xff] ^ t6[(int) (z >>> 8) & 0xff] ^ t5[(int) (z >>> 16) & 0xff] ^ t4[(int) (z >>> 24) & 0xff]
                    ^ t3[(int) (z >>> 32) & 0xff] ^ t2[(int) (z >>> 40) & 0xff] ^ t1[(int) (z >>> 48) & 0xff] ^ t0[(int) (z >>> 56)];
        }
        return multiply(a, PAST_TWO_LANES) ^ multiply(c, PAST_ONE_LANE) ^ d;
    }

    /** The register after the bytes from {@code off} to {@code end}, from register {@code value}, eight bytes a step. */
    private static long slice8(long value, byte[] b, int off, int end) {
        long[] t0 = TABLES[0];
        long[] t1 = TABLES[1];
        long[] t2 = TABLES[2];
        long[] t3 = TABLES[3];
        long[] t4 = TABLES[4];
        long[] t5 = TABLES[5];
        long[] t6 = TABLES[6];
        long[] t7 = TABLES[7];
        while (end - off >= 8) {
            long x = value ^ (long) LITTLE_ENDIAN_LONG.get(b, off);
            value = t7[(int) x & 0xff] ^ t6[(int) (x >>> 8) & 0xff] ^ t5[(int) (x >>> 16) & 0xff] ^ t4[(int) (x >>> 24) & 0xff]
                    ^ t3[(int) (x >>> 32) & 0xff] ^ t2[(int) (x >>> 40) & 0xff] ^ t1[(int) (x >>> 48) & 0xff] ^ t0[(int) (x >>> 56)];
            off += 8;
        }
        while (off < end) {
            value = t0[(int) (value ^ b[off++]) & 0xff] ^ (value >>> 8);
        }
        return value;
    }

    /** {@code a·b} modulo the polynomial, both in the register's reflected form (bit 63 is {@code x^0}). */
    static long multiply(long a, long b) {
        long product = 0;
        for (long m = 1L << 63; m != 0; m >>>= 1) {
            if ((a & m) != 0) {
                product ^= b;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
        }
        return product;
    }

    /** {@code x^(8·bytes)} modulo the polynomial, reflected: what feeding {@code bytes} zero bytes multiplies a register by. */
    static long xPower8(long bytes) {
        long x8 = 1L << (63 - 8);
        long result = 1L << 63;
        for (long n = bytes, base = x8; n > 0; n >>>= 1) {
            if ((n & 1) != 0) {
                result = multiply(result, base);
            }
            base = multiply(base, base);
        }
        return result;
    }

    /** The CRC so far; all 64 bits are significant. */
    @Override
    public long getValue() {
        return ~crc;
    }

    @Override
    public void reset() {
        crc = -1L;
    }

    private static long[][] tables() {
        long[][] tables = new long[8][256];
        for (int n = 0; n < 256; n++) {
            long value = n;
            for (int bit = 0; bit < 8; bit++) {
                value = (value & 1) != 0 ? (value >>> 1) ^ POLYNOMIAL : value >>> 1;
            }
            tables[0][n] = value;
        }
        // tables[k][n]: the CRC of byte n followed by k zero bytes.
        for (int n = 0; n < 256; n++) {
            long value = tables[0][n];
            for (int k = 1; k < 8; k++) {
                value = tables[0][(int) value & 0xff] ^ (value >>> 8);
                tables[k][n] = value;
            }
        }
        return tables;
    }
}
