package io.stratus.protocol.auth;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.Checksum;

/**
 * CRC-64/NVME, S3's {@code CRC64NVME} checksum: reflected polynomial {@code 0x9a6c9329ac4bc9b5},
 * initial value and final XOR all ones; the check value of {@code "123456789"} is
 * {@code 0xae8b14860a799888}. The JDK has no CRC-64, so this computes it eight bytes at a time
 * with the slicing-by-8 tables. Not thread-safe, like every {@link Checksum}.
 */
public final class Crc64Nvme implements Checksum {

    private static final long POLYNOMIAL = 0x9a6c9329ac4bc9b5L;
    private static final long[][] TABLES = tables();
    private static final VarHandle LITTLE_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long crc = -1L;

    public Crc64Nvme() {}

    @Override
    public void update(int b) {
        crc = TABLES[0][(int) (crc ^ b) & 0xff] ^ (crc >>> 8);
    }

    @Override
    public void update(byte[] b, int off, int len) {
        long[] t0 = TABLES[0];
        long[] t1 = TABLES[1];
        long[] t2 = TABLES[2];
        long[] t3 = TABLES[3];
        long[] t4 = TABLES[4];
        long[] t5 = TABLES[5];
        long[] t6 = TABLES[6];
        long[] t7 = TABLES[7];
        long value = crc;
        int end = off + len;
        while (end - off >= 8) {
            long x = value ^ (long) LITTLE_ENDIAN_LONG.get(b, off);
            value = t7[(int) x & 0xff] ^ t6[(int) (x >>> 8) & 0xff] ^ t5[(int) (x >>> 16) & 0xff] ^ t4[(int) (x >>> 24) & 0xff]
                    ^ t3[(int) (x >>> 32) & 0xff] ^ t2[(int) (x >>> 40) & 0xff] ^ t1[(int) (x >>> 48) & 0xff] ^ t0[(int) (x >>> 56)];
            off += 8;
        }
        while (off < end) {
            value = t0[(int) (value ^ b[off++]) & 0xff] ^ (value >>> 8);
        }
        crc = value;
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
