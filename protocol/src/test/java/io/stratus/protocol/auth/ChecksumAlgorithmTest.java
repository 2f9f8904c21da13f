package io.stratus.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChecksumAlgorithmTest {

    private static final byte[] CHECK_INPUT = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void crc64NvmeHasItsPublishedCheckValue() {
        Crc64Nvme crc = new Crc64Nvme();
        crc.update(CHECK_INPUT, 0, CHECK_INPUT.length);
        assertThat(crc.getValue()).isEqualTo(0xae8b14860a799888L);
        crc.reset();
        for (byte b : CHECK_INPUT) {
            crc.update(b);
        }
        assertThat(crc.getValue()).isEqualTo(0xae8b14860a799888L);
    }

    @Test
    void crc64NvmeEightBytesAtATimeMatchesTheBitwiseDefinition() {
        Random random = new Random(42);
        for (int length : new int[] {0, 1, 7, 8, 9, 63, 64, 1000, 65_537}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            for (int offset : new int[] {0, 1, 3}) {
                if (offset > length) {
                    continue;
                }
                Crc64Nvme crc = new Crc64Nvme();
                crc.update(data, offset, length - offset);
                assertThat(crc.getValue()).as("length %d offset %d", length, offset).isEqualTo(bitwise(data, offset, length - offset));
            }
        }
    }

    /** Inputs long enough for the lanes (3 × 8 KiB a block), around their edges, whole and in pieces. */
    @Test
    void crc64NvmeInLanesMatchesTheBitwiseDefinition() {
        Random random = new Random(7);
        int block = Crc64Nvme.LANES * Crc64Nvme.LANE_BYTES;
        for (int length : new int[] {block - 1, block, block + 1, 2 * block + 13, 128 * 1024, 300_001}) {
            byte[] data = new byte[length + 5];
            random.nextBytes(data);
            long expected = bitwise(data, 5, length);
            Crc64Nvme whole = new Crc64Nvme();
            whole.update(data, 5, length);
            assertThat(whole.getValue()).as("length %d", length).isEqualTo(expected);
            Crc64Nvme pieces = new Crc64Nvme();
            for (int off = 5, end = 5 + length; off < end; ) {
                int n = Math.min(end - off, 1 + random.nextInt(block + 100));
                pieces.update(data, off, n);
                off += n;
            }
            assertThat(pieces.getValue()).as("length %d in pieces", length).isEqualTo(expected);
        }
    }

    @Test
    void multiplyingByAPowerOfXIsFeedingZeroBytes() {
        Random random = new Random(3);
        for (int bytes : new int[] {0, 1, 8, 100, 8192}) {
            long register = random.nextLong();
            long fed = register;
            for (int i = 0; i < bytes; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    fed = (fed & 1) != 0 ? (fed >>> 1) ^ 0x9a6c9329ac4bc9b5L : fed >>> 1;
                }
            }
            assertThat(Crc64Nvme.multiply(register, Crc64Nvme.xPower8(bytes))).as("%d bytes", bytes).isEqualTo(fed);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "CRC32, x-amz-checksum-crc32, y/Q5Jg==",
        "CRC32C, x-amz-checksum-crc32c, 4waSgw==",
        "CRC64NVME, x-amz-checksum-crc64nvme, rosUhgp5mIg=",
        "SHA1, x-amz-checksum-sha1, 98O8HYCOBHMq32eZZczDTKeuNEE=",
        "SHA256, x-amz-checksum-sha256, FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU=",
    })
    void computesS3sBase64BigEndianChecksums(ChecksumAlgorithm algorithm, String header, String check) {
        assertThat(algorithm.compute(CHECK_INPUT)).isEqualTo(check);
        assertThat(algorithm.headerName()).isEqualTo(header);
        assertThat(ChecksumAlgorithm.fromHeaderName(header.toUpperCase())).contains(algorithm);
    }

    private static long bitwise(byte[] data, int offset, int length) {
        long crc = -1L;
        for (int i = offset; i < offset + length; i++) {
            crc ^= data[i] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9a6c9329ac4bc9b5L : crc >>> 1;
            }
        }
        return ~crc;
    }
}
