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

    private static final java.util.regex.Pattern SHA256_HEX = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");
    private static final MessageDigest MD5 = digest("MD5");

    /** Whether {@code value} (an {@code x-amz-content-sha256}) is a SHA-256 in hex rather than a marker such as {@code UNSIGNED-PAYLOAD}. */
    static boolean isSha256Hex(String value) {
        return value.length() == 64 && SHA256_HEX.matcher(value).matches();
    }

    static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(digest("SHA-256").digest(data));
    }

    /** A fresh MD5 digest: a copy of a prototype, cheaper than looking the algorithm up in the providers each time. */
    static MessageDigest md5() {
        try {
            return (MessageDigest) MD5.clone();
        } catch (CloneNotSupportedException e) {
            return digest("MD5");
        }
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
