package io.stratus.protocol.auth;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * S3's additional checksums, as carried in {@code x-amz-checksum-*} headers and aws-chunked
 * trailers: big-endian digests, base64-encoded.
 */
public enum ChecksumAlgorithm {
    CRC32("x-amz-checksum-crc32", 4),
    CRC32C("x-amz-checksum-crc32c", 4),
    CRC64NVME("x-amz-checksum-crc64nvme", 8),
    SHA1("x-amz-checksum-sha1", 20),
    SHA256("x-amz-checksum-sha256", 32);

    private final String headerName;
    private final int length;

    ChecksumAlgorithm(String headerName, int length) {
        this.headerName = requireNonNull(headerName, "headerName is null");
        this.length = length;
    }

    /** The header (or trailer) that carries this checksum, lower case. */
    public String headerName() {
        return headerName;
    }

    /** The checksum's length in bytes, before base64. */
    public int length() {
        return length;
    }

    /** The algorithm whose header is {@code name}, in any case. */
    public static Optional<ChecksumAlgorithm> fromHeaderName(String name) {
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.headerName.equalsIgnoreCase(name.strip())) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** The base64 checksum of {@code data}. */
    public String compute(byte[] data) {
        Running running = start();
        running.update(data, 0, data.length);
        return running.base64();
    }

    /** Starts computing this checksum over a stream. */
    public Running start() {
        return switch (this) {
            case CRC32 -> new Running(new CRC32(), null, length);
            case CRC32C -> new Running(new CRC32C(), null, length);
            case CRC64NVME -> new Running(new Crc64Nvme(), null, length);
            case SHA1 -> new Running(null, digest("SHA-1"), 0);
            case SHA256 -> new Running(null, digest("SHA-256"), 0);
        };
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform is required to provide SHA-1 and SHA-256.
            throw new IllegalStateException(e);
        }
    }

    /** A checksum being computed over a stream. Not thread-safe. */
    public static final class Running {

        private final Checksum crc;
        private final MessageDigest digest;
        private final int crcBytes;

        private Running(Checksum crc, MessageDigest digest, int crcBytes) {
            this.crc = crc;
            this.digest = digest;
            this.crcBytes = crcBytes;
        }

        public void update(byte[] b, int off, int len) {
            if (crc != null) {
                crc.update(b, off, len);
            } else {
                digest.update(b, off, len);
            }
        }

        /** The checksum of everything seen, base64; call once. */
        public String base64() {
            if (digest != null) {
                return Base64.getEncoder().encodeToString(digest.digest());
            }
            long value = crc.getValue();
            byte[] bytes = new byte[crcBytes];
            for (int i = crcBytes - 1; i >= 0; i--) {
                bytes[i] = (byte) value;
                value >>>= 8;
            }
            return Base64.getEncoder().encodeToString(bytes);
        }
    }
}
