package io.stratus.s3;

import io.stratus.protocol.auth.ChecksumAlgorithm;
import java.util.Base64;
import java.util.List;

/**
 * S3's {@code FULL_OBJECT} checksum of a multipart upload: the CRC of the whole object, combined
 * from each part's CRC and length without reading the parts again. CRC32, CRC32C and CRC64NVME
 * are reflected CRCs whose initial value and final XOR are all ones, so
 * {@code crc(A·B) = crc(A)·x^(8·|B|) mod P ⊕ crc(B)} (the method of zlib's {@code crc32_combine}),
 * with polynomial products computed bit by bit in the reflected representation. Stateless.
 */
final class FullObjectChecksum {

    private FullObjectChecksum() {}

    /** A part's checksum (base64, big-endian, as S3 writes it) and its length in bytes. */
    record Piece(String checksum, long length) {}

    /** Whether S3 offers full-object checksums for this algorithm (the CRCs, not the SHAs). */
    static boolean supports(ChecksumAlgorithm algorithm) {
        return switch (algorithm) {
            case CRC32, CRC32C, CRC64NVME -> true;
            case SHA1, SHA256 -> false;
        };
    }

    /** The checksum of the concatenated pieces, base64. */
    static String combine(ChecksumAlgorithm algorithm, List<Piece> pieces) {
        Crc crc = Crc.of(algorithm);
        long combined = 0;
        boolean first = true;
        for (Piece piece : pieces) {
            long value = decode(piece.checksum());
            if (first) {
                combined = value;
                first = false;
            } else {
                combined = crc.multiply(crc.xPower8(piece.length()), combined) ^ value;
            }
        }
        if (first) {
            // No parts at all: the CRC of nothing.
            return algorithm.compute(new byte[0]);
        }
        byte[] bytes = new byte[crc.width() / 8];
        for (int i = bytes.length - 1; i >= 0; i--) {
            bytes[i] = (byte) combined;
            combined >>>= 8;
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static long decode(String base64) {
        long value = 0;
        for (byte b : Base64.getDecoder().decode(base64)) {
            value = value << 8 | (b & 0xff);
        }
        return value;
    }

    /** A reflected CRC: its reflected polynomial and width in bits. */
    private record Crc(long polynomial, int width) {

        static Crc of(ChecksumAlgorithm algorithm) {
            return switch (algorithm) {
                case CRC32 -> new Crc(0xEDB88320L, 32);
                case CRC32C -> new Crc(0x82F63B78L, 32);
                case CRC64NVME -> new Crc(0x9a6c9329ac4bc9b5L, 64);
                case SHA1, SHA256 -> throw new IllegalArgumentException(algorithm + " is not a CRC");
            };
        }

        /** {@code x^0}, the polynomial 1, in the reflected representation: the top bit. */
        long one() {
            return 1L << (width - 1);
        }

        /** {@code a·b mod P}. */
        long multiply(long a, long b) {
            long m = one();
            long product = 0;
            while (m != 0) {
                if ((a & m) != 0) {
                    product ^= b;
                }
                m >>>= 1;
                b = (b & 1) != 0 ? (b >>> 1) ^ polynomial : b >>> 1;
            }
            return product;
        }

        /** {@code x^(8·bytes) mod P}, by repeated squaring. */
        long xPower8(long bytes) {
            long x = one() >>> 1;
            long base = multiply(x, x);
            base = multiply(base, base);
            base = multiply(base, base);
            long result = one();
            for (long n = bytes; n > 0; n >>>= 1) {
                if ((n & 1) != 0) {
                    result = multiply(result, base);
                }
                base = multiply(base, base);
            }
            return result;
        }
    }
}
