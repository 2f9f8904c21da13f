package io.stratus.s3;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.protocol.auth.ChecksumAlgorithm;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The additional checksum an upload carries ({@code x-amz-checksum-<algorithm>} as a header, or
 * announced by {@code x-amz-trailer} / {@code x-amz-sdk-checksum-algorithm}), which S3 computes
 * over the body, checks, and keeps.
 *
 * @param value the checksum the client sent as a header, or null when it trails the body (the
 *     edge has verified a trailer by the time the body has been read)
 */
record ClaimedChecksum(ChecksumAlgorithm algorithm, String value) {

    /**
     * The checksum an upload's headers claim, if any: at most one {@code x-amz-checksum-<algorithm>}
     * header, whose value must be a checksum of that algorithm (base64 of its length) and whose
     * algorithm an {@code x-amz-sdk-checksum-algorithm} sent with it must name, as S3 checks them
     * ({@code InvalidRequest}) before reading the body.
     */
    static Optional<ClaimedChecksum> of(String sdkAlgorithm, String trailer, Map<String, String> checksumHeaders) {
        Optional<ClaimedChecksum> header = fromHeaders(checksumHeaders);
        if (header.isPresent()) {
            if (sdkAlgorithm != null && !sdkAlgorithm.trim().equalsIgnoreCase(header.get().algorithm().name())) {
                throw AwsException.of(S3Errors.INVALID_REQUEST, "Value for x-amz-sdk-checksum-algorithm header is invalid.");
            }
            return header;
        }
        if (trailer != null) {
            Optional<ChecksumAlgorithm> algorithm = ChecksumAlgorithm.fromHeaderName(trailer);
            if (algorithm.isPresent()) {
                return Optional.of(new ClaimedChecksum(algorithm.get(), null));
            }
        }
        if (sdkAlgorithm != null) {
            return Optional.of(new ClaimedChecksum(algorithm(sdkAlgorithm), null));
        }
        return Optional.empty();
    }

    private static Optional<ClaimedChecksum> fromHeaders(Map<String, String> checksumHeaders) {
        if (checksumHeaders == null) {
            return Optional.empty();
        }
        Optional<ClaimedChecksum> found = Optional.empty();
        for (Map.Entry<String, String> header : checksumHeaders.entrySet()) {
            Optional<ChecksumAlgorithm> algorithm = ChecksumAlgorithm.fromHeaderName("x-amz-checksum-" + header.getKey());
            if (algorithm.isEmpty()) {
                continue;
            }
            if (found.isPresent()) {
                throw AwsException.of(S3Errors.INVALID_REQUEST, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
            }
            String value = header.getValue().trim();
            if (!isChecksumOf(algorithm.get(), value)) {
                throw AwsException.of(S3Errors.INVALID_REQUEST, "Value for %s header is invalid.", algorithm.get().headerName());
            }
            found = Optional.of(new ClaimedChecksum(algorithm.get(), value));
        }
        return found;
    }

    /** Whether {@code value} reads as a checksum of the algorithm: base64 of its length. */
    private static boolean isChecksumOf(ChecksumAlgorithm algorithm, String value) {
        try {
            return Base64.getDecoder().decode(value).length == algorithm.length();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The algorithm an object's whole body is checksummed with: the one claimed, else CRC64NVME,
     * the checksum S3 computes and keeps for every object uploaded without one.
     */
    static ChecksumAlgorithm orDefault(Optional<ClaimedChecksum> claimed) {
        return claimed.map(ClaimedChecksum::algorithm).orElse(ChecksumAlgorithm.CRC64NVME);
    }

    /** The algorithm an {@code x-amz-sdk-checksum-algorithm} / {@code x-amz-checksum-algorithm} value names. */
    static ChecksumAlgorithm algorithm(String name) {
        try {
            return ChecksumAlgorithm.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "Checksum algorithm %s is not supported.", name);
        }
    }

    /** @throws AwsException {@code BadDigest} when the claimed value differs from the computed one */
    void verify(String computed) {
        if (value != null && !value.equals(computed)) {
            throw AwsException.of(CommonErrors.BAD_DIGEST, "The %s you specified did not match the calculated checksum.", algorithm.name());
        }
    }

    /** The response headers naming a checksum: {@code x-amz-checksum-<algorithm>} and its type. */
    static Map<String, String> headers(String algorithm, String value, boolean fullObject) {
        if (algorithm == null || value == null) {
            return null;
        }
        return Map.of(algorithm.toLowerCase(Locale.ROOT), value, "type", fullObject ? "FULL_OBJECT" : "COMPOSITE");
    }
}
