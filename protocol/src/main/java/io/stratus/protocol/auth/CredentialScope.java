package io.stratus.protocol.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The credential a SigV4 request names: {@code AKID/20150830/us-east-1/iam/aws4_request}.
 * The edge routes on it (service, region, account from the key) whether or not signatures are
 * checked. Immutable.
 *
 * @param accessKeyId the caller's access key id
 * @param date the credential date, {@code yyyyMMdd} as claimed (checked by the verifier, not here)
 * @param region the region the request was signed for
 * @param service the signing name of the service ({@code s3}, {@code sqs}, {@code execute-api}, …)
 * @param terminator the last element, which AWS requires to be {@code aws4_request}
 */
public record CredentialScope(String accessKeyId, String date, String region, String service, String terminator) {

    /** The only terminator AWS accepts. */
    public static final String AWS4_REQUEST = "aws4_request";

    public CredentialScope {
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(date, "date is null");
        requireNonNull(region, "region is null");
        requireNonNull(service, "service is null");
        requireNonNull(terminator, "terminator is null");
    }

    /**
     * Splits {@code AKID/date/region/service/terminator}; empty when the text does not have exactly
     * five non-empty elements.
     */
    static Optional<CredentialScope> parse(String credential) {
        // By hand, not String.split: every signed request is parsed, whether or not it is verified.
        String[] parts = new String[5];
        int start = 0;
        for (int i = 0; i < 5; i++) {
            int slash = credential.indexOf('/', start);
            if ((slash < 0) != (i == 4)) {
                return Optional.empty();
            }
            int end = slash < 0 ? credential.length() : slash;
            if (end == start) {
                return Optional.empty();
            }
            parts[i] = credential.substring(start, end);
            start = end + 1;
        }
        return Optional.of(new CredentialScope(parts[0], parts[1], parts[2], parts[3], parts[4]));
    }

    /** {@code date/region/service/terminator}, the scope line of the string to sign. */
    public String scope() {
        return date + "/" + region + "/" + service + "/" + terminator;
    }

    /** Whether this request follows S3's dialect of SigV4 (unnormalized paths, S3 error codes). */
    public boolean isS3() {
        return service.equals("s3");
    }

    @Override
    public String toString() {
        return accessKeyId + "/" + scope();
    }
}
