package io.stratus.protocol.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The {@code x-amz-content-sha256} markers of an aws-chunked body, and what each implies for the
 * chunks and the trailer.
 */
public enum StreamingPayload {
    /** Every chunk signed, no trailer. */
    SIGNED("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", true),
    /** Every chunk signed, then a signed trailer (usually a checksum). */
    SIGNED_WITH_TRAILER("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", true),
    /** Unsigned chunks, then an unsigned checksum trailer: the SDKs' default for S3 uploads over HTTPS. */
    UNSIGNED_WITH_TRAILER("STREAMING-UNSIGNED-PAYLOAD-TRAILER", false);

    private final String contentSha256;
    private final boolean signedChunks;

    StreamingPayload(String contentSha256, boolean signedChunks) {
        this.contentSha256 = requireNonNull(contentSha256, "contentSha256 is null");
        this.signedChunks = signedChunks;
    }

    /** The {@code x-amz-content-sha256} value that announces this payload. */
    public String contentSha256() {
        return contentSha256;
    }

    /** Whether each chunk header carries a {@code chunk-signature}. */
    public boolean signedChunks() {
        return signedChunks;
    }

    /** Whether the trailer carries an {@code x-amz-trailer-signature}. */
    public boolean signedTrailer() {
        return this == SIGNED_WITH_TRAILER;
    }

    /**
     * The payload an {@code x-amz-content-sha256} value announces. Empty for digests and
     * {@code UNSIGNED-PAYLOAD}, and for the SigV4a ({@code STREAMING-AWS4-ECDSA-P256-SHA256-…})
     * markers, which Stratus does not support.
     */
    public static Optional<StreamingPayload> fromContentSha256(String value) {
        for (StreamingPayload payload : values()) {
            if (payload.contentSha256.equals(value)) {
                return Optional.of(payload);
            }
        }
        return Optional.empty();
    }
}
