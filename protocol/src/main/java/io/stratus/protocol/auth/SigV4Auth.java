package io.stratus.protocol.auth;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * What a SigV4-signed request claims, as {@link SigV4Parser} read it; nothing here is verified yet.
 * Immutable.
 *
 * @param credential the credential scope, with the access key
 * @param signedHeaders the signed header names, lower case, in the order given
 * @param signature the hex signature as sent
 * @param requestTime the signing time, from {@code X-Amz-Date} (header or query) or {@code Date}
 * @param presigned whether the signature came in the query string (a presigned URL)
 * @param expires how long a presigned URL stays valid ({@code X-Amz-Expires}); empty for header
 *     signatures, which instead must be within 15 minutes of the server's clock
 * @param securityToken the session token ({@code X-Amz-Security-Token}), if any
 * @param contentSha256 the {@code x-amz-content-sha256} header, if any: a hex digest or one of
 *     {@code UNSIGNED-PAYLOAD} and the {@code STREAMING-*} markers
 */
public record SigV4Auth(
        CredentialScope credential,
        List<String> signedHeaders,
        String signature,
        Instant requestTime,
        boolean presigned,
        Optional<Duration> expires,
        Optional<String> securityToken,
        Optional<String> contentSha256) {

    /** The algorithm name, in the header and in {@code X-Amz-Algorithm}. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public SigV4Auth {
        requireNonNull(credential, "credential is null");
        signedHeaders = List.copyOf(requireNonNull(signedHeaders, "signedHeaders is null"));
        requireNonNull(signature, "signature is null");
        requireNonNull(requestTime, "requestTime is null");
        requireNonNull(expires, "expires is null");
        requireNonNull(securityToken, "securityToken is null");
        requireNonNull(contentSha256, "contentSha256 is null");
        if (expires.isPresent() && !presigned) {
            throw new IllegalArgumentException("only presigned requests expire");
        }
    }

    public String accessKeyId() {
        return credential.accessKeyId();
    }

    /** The credential date, {@code yyyyMMdd}. */
    public String date() {
        return credential.date();
    }

    public String region() {
        return credential.region();
    }

    public String service() {
        return credential.service();
    }

    /** {@code date/region/service/aws4_request}. */
    public String scope() {
        return credential.scope();
    }

    /** The request time in the ISO 8601 basic form the string to sign uses: {@code 20150830T123600Z}. */
    public String amzDate() {
        return formatAmzDate(requestTime);
    }

    static String formatAmzDate(Instant time) {
        return AMZ_DATE.format(time);
    }
}
