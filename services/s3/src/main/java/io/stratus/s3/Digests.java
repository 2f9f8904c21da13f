package io.stratus.s3;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** The digests S3 checks and reports: MD5 ETags, Content-MD5, SHA-256. Stateless. */
final class Digests {

    private Digests() {}

    static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(digest("SHA-256").digest(data));
    }

    static MessageDigest md5() {
        return digest("MD5");
    }

    /**
     * The 16 bytes a {@code Content-MD5} header names.
     *
     * @throws AwsException {@code InvalidDigest} when it is not the base64 of 16 bytes
     */
    static byte[] contentMd5(String header) {
        try {
            byte[] md5 = Base64.getDecoder().decode(header.trim());
            if (md5.length == 16) {
                return md5;
            }
        } catch (IllegalArgumentException e) {
            // Answered below.
        }
        throw AwsException.of(CommonErrors.INVALID_DIGEST, "The Content-MD5 you specified was not valid.");
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is missing from this JVM", e);
        }
    }
}
