package io.stratus.protocol.auth;

import static io.stratus.core.CommonErrors.ACCESS_DENIED;
import static io.stratus.core.CommonErrors.AUTHORIZATION_QUERY_PARAMETERS_ERROR;
import static io.stratus.core.CommonErrors.INVALID_CLIENT_TOKEN_ID;
import static io.stratus.core.CommonErrors.REQUEST_TIME_TOO_SKEWED;
import static io.stratus.core.CommonErrors.SIGNATURE_DOES_NOT_MATCH;
import static io.stratus.core.CommonErrors.X_AMZ_CONTENT_SHA256_MISMATCH;
import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Checks a parsed SigV4 signature against the secret of its access key, in AWS's order: host
 * signed, time, credential scope, access key, signature. Thread-safe: one verifier serves every
 * request; derived signing keys are cached per key, secret and scope.
 *
 * <p>Refusals, as AWS words them (S3 in its own dialect, with the extra members its error XML
 * carries, which the S3 error writer prints as elements):
 * <ul>
 *   <li>{@code host} not signed: {@code SignatureDoesNotMatch} "'Host' or ':authority' must be a
 *       'SignedHeader' in the AWS Authorization."; S3: {@code AccessDenied} "There were headers
 *       present in the request which were not signed";
 *   <li>header signature more than 15 minutes from the clock: {@code RequestTimeTooSkewed} with
 *       IAM's "Signature expired: X is now earlier than Y (Z - 15 min.)" or "Signature not yet
 *       current: X is still later than Y (Z + 15 min.)"; S3: "The difference between the request
 *       time and the current time is too large." Query-protocol services answer the same wording
 *       under {@code SignatureDoesNotMatch} and JSON ones under {@code InvalidSignatureException};
 *       the SDKs treat all three as clock skew, and {@code RequestTimeTooSkewed} says what it is;
 *   <li>presigned URL past {@code X-Amz-Date + X-Amz-Expires}: {@code AccessDenied} "Request has
 *       expired"; dated more than 15 minutes ahead: {@code AccessDenied} "Request is not yet
 *       valid" (S3's words, quoted in minio/minio#2638);
 *   <li>terminator other than {@code aws4_request}, or credential date other than the request's:
 *       {@code SignatureDoesNotMatch} with IAM's messages; S3: {@code AuthorizationHeaderMalformed}
 *       or {@code AuthorizationQueryParametersError};
 *   <li>unknown access key: {@code InvalidClientTokenId} (403) "The security token included in the
 *       request is invalid.", as IAM, STS, SQS and SNS answer; S3: {@code InvalidAccessKeyId}
 *       (403). JSON-protocol services say {@code UnrecognizedClientException} (400) instead; their
 *       error writer may map the code;
 *   <li>wrong signature: {@code SignatureDoesNotMatch} (403) "The request signature we calculated
 *       does not match the signature you provided. Check your AWS Secret Access Key and signing
 *       method. Consult the service documentation for details."; S3: "…Check your key and signing
 *       method." with the string to sign and canonical request it expected.
 * </ul>
 * Session tokens are not checked: Stratus issues no sessions it could check them against.
 */
public final class SigV4Verifier {

    /** How far a header-signed request's time may be from the server's clock. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);

    static final String MISMATCH = "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    static final String S3_MISMATCH =
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.";
    private static final int KEY_CACHE_LIMIT = 4096;

    private final Function<String, Optional<String>> secretForAccessKey;
    private final Clock clock;
    private final Map<KeyScope, SigningKey> keys = new ConcurrentHashMap<>();

    public SigV4Verifier(Function<String, Optional<String>> secretForAccessKey, Clock clock) {
        this.secretForAccessKey = requireNonNull(secretForAccessKey, "secretForAccessKey is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Verifies that {@code auth}, parsed from {@code request}, is a valid signature.
     *
     * @param payloadHash what the client hashed as the payload: the {@code x-amz-content-sha256}
     *     value when the request has one ({@code UNSIGNED-PAYLOAD}, {@code STREAMING-…} or a hex
     *     digest, which the caller checks against the body with {@link #checkContentSha256}),
     *     {@code UNSIGNED-PAYLOAD} for presigned S3 URLs, else the hex SHA-256 of the body
     * @throws AwsException when AWS would refuse the request
     */
    public void verify(SignableRequest request, SigV4Auth auth, String payloadHash) {
        requireNonNull(payloadHash, "payloadHash is null");
        CredentialScope scope = auth.credential();
        boolean s3 = scope.isS3();
        if (!auth.signedHeaders().contains("host") && !auth.signedHeaders().contains(":authority")) {
            throw s3 ? new AwsException(ACCESS_DENIED, "There were headers present in the request which were not signed",
                    Map.of("HeadersNotSigned", "host"), null)
                    : new AwsException(SIGNATURE_DOES_NOT_MATCH, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        checkTime(auth, s3);
        checkScope(auth, s3);
        SigningKey key = signingKey(scope);
        CanonicalRequest canonical = CanonicalRequest.of(request, auth.signedHeaders(), payloadHash, scope.service(), auth.presigned());
        String stringToSign = SigV4Signer.stringToSign(auth.amzDate(), scope.scope(), canonical.hash());
        if (!constantTimeEquals(key.sign(stringToSign), auth.signature())) {
            if (!s3) {
                throw new AwsException(SIGNATURE_DOES_NOT_MATCH, MISMATCH);
            }
            Map<String, String> details = new LinkedHashMap<>();
            details.put("AWSAccessKeyId", scope.accessKeyId());
            details.put("StringToSign", stringToSign);
            details.put("SignatureProvided", auth.signature());
            details.put("CanonicalRequest", canonical.toString());
            throw new AwsException(SIGNATURE_DOES_NOT_MATCH, S3_MISMATCH, details, null);
        }
    }

    /**
     * Verifies a signature the client computed over a string of its own rather than over a
     * canonical request: an S3 browser POST form signs its base64 policy with the signing key of
     * its {@code x-amz-credential}.
     *
     * @throws AwsException {@code InvalidArgument} for a malformed credential, S3's
     *     {@code InvalidAccessKeyId} or {@code SignatureDoesNotMatch}
     */
    public void verifyStringSignature(String credential, String stringToSign, String signature) {
        CredentialScope scope = CredentialScope.parse(credential)
                .filter(parsed -> parsed.terminator().equals(CredentialScope.AWS4_REQUEST))
                .orElseThrow(() -> new AwsException(io.stratus.core.CommonErrors.INVALID_ARGUMENT,
                        "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "
                                + "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".",
                        Map.of("ArgumentName", "x-amz-credential", "ArgumentValue", credential), null));
        String expected = signingKey(scope).sign(stringToSign);
        if (!constantTimeEquals(expected, signature)) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("AWSAccessKeyId", scope.accessKeyId());
            details.put("StringToSign", stringToSign);
            details.put("SignatureProvided", signature);
            throw new AwsException(SIGNATURE_DOES_NOT_MATCH, S3_MISMATCH, details, null);
        }
    }

    /**
     * The seed for verifying a signed aws-chunked body: the request's signing key and signature.
     * Call after {@link #verify}.
     */
    public SeedSignature seedSignature(SigV4Auth auth) {
        return new SeedSignature(signingKey(auth.credential()), auth.amzDate(), auth.scope(), auth.signature());
    }

    /**
     * Checks a hex {@code x-amz-content-sha256} against the body's actual digest, as S3 does;
     * markers such as {@code UNSIGNED-PAYLOAD} and {@code STREAMING-…} are not digests and pass.
     */
    public static void checkContentSha256(SigV4Auth auth, String bodySha256) {
        Optional<String> claimed = auth.contentSha256().filter(value -> value.length() == 64 && !value.startsWith("STREAMING-"));
        if (claimed.isPresent() && !claimed.get().equalsIgnoreCase(bodySha256)) {
            throw new AwsException(X_AMZ_CONTENT_SHA256_MISMATCH, "The provided 'x-amz-content-sha256' header does not match what was computed.",
                    Map.of("ClientComputedContentSHA256", claimed.get(), "S3ComputedContentSHA256", bodySha256), null);
        }
    }

    private void checkTime(SigV4Auth auth, boolean s3) {
        Instant now = clock.instant();
        Instant time = auth.requestTime();
        if (auth.expires().isPresent()) {
            Instant expiry = time.plus(auth.expires().get());
            if (time.isAfter(now.plus(MAX_SKEW))) {
                throw new AwsException(ACCESS_DENIED, "Request is not yet valid", s3 ? Map.of(
                        "X-Amz-Date", Long.toString(time.toEpochMilli()), "Expires", serverTime(expiry), "ServerTime", serverTime(now))
                        : Map.of(), null);
            }
            if (now.isAfter(expiry)) {
                throw new AwsException(ACCESS_DENIED, "Request has expired", s3 ? Map.of("X-Amz-Expires",
                        Long.toString(auth.expires().get().toSeconds()), "Expires", serverTime(expiry), "ServerTime", serverTime(now))
                        : Map.of(), null);
            }
            return;
        }
        if (Duration.between(time, now).abs().compareTo(MAX_SKEW) <= 0) {
            return;
        }
        if (s3) {
            throw new AwsException(REQUEST_TIME_TOO_SKEWED, "The difference between the request time and the current time is too large.",
                    Map.of("RequestTime", auth.amzDate(), "ServerTime", serverTime(now),
                            "MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis())), null);
        }
        String minutes = MAX_SKEW.toMinutes() + " min.";
        if (time.isBefore(now)) {
            throw AwsException.of(REQUEST_TIME_TOO_SKEWED, "Signature expired: %s is now earlier than %s (%s - %s)", auth.amzDate(),
                    SigV4Auth.formatAmzDate(now.minus(MAX_SKEW)), SigV4Auth.formatAmzDate(now), minutes);
        }
        throw AwsException.of(REQUEST_TIME_TOO_SKEWED, "Signature not yet current: %s is still later than %s (%s + %s)", auth.amzDate(),
                SigV4Auth.formatAmzDate(now.plus(MAX_SKEW)), SigV4Auth.formatAmzDate(now), minutes);
    }

    private static void checkScope(SigV4Auth auth, boolean s3) {
        CredentialScope scope = auth.credential();
        String requestDate = auth.amzDate().substring(0, 8);
        if (!scope.terminator().equals(CredentialScope.AWS4_REQUEST)) {
            if (!s3) {
                throw AwsException.of(SIGNATURE_DOES_NOT_MATCH,
                        "Credential should be scoped with a valid terminator: 'aws4_request', not '%s'.", scope.terminator());
            }
            throw s3Malformed(auth, String.format("incorrect terminal \"%s\". This endpoint uses \"aws4_request\".", scope.terminator()));
        }
        if (!scope.date().equals(requestDate)) {
            if (!s3) {
                throw AwsException.of(SIGNATURE_DOES_NOT_MATCH, "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                        + "version of date from HTTP: '%s' != '%s', from '%s'.", scope.date(), requestDate, auth.amzDate());
            }
            throw auth.presigned()
                    ? s3Malformed(auth, String.format("Invalid credential date \"%s\". This date is not the same as X-Amz-Date: \"%s\".",
                            scope.date(), requestDate))
                    : s3Malformed(auth, "Invalid credential date. Date is not the same as X-Amz-Date.");
        }
    }

    private static AwsException s3Malformed(SigV4Auth auth, String detail) {
        return auth.presigned()
                ? new AwsException(AUTHORIZATION_QUERY_PARAMETERS_ERROR, "Error parsing the X-Amz-Credential parameter; " + detail)
                : new AwsException(SigV4Errors.AUTHORIZATION_HEADER_MALFORMED, SigV4Parser.S3_HEADER_MALFORMED + detail);
    }

    private SigningKey signingKey(CredentialScope scope) {
        Optional<String> secret = secretForAccessKey.apply(scope.accessKeyId());
        if (secret.isEmpty()) {
            throw scope.isS3()
                    ? new AwsException(SigV4Errors.INVALID_ACCESS_KEY_ID, "The AWS Access Key Id you provided does not exist in our records.",
                            Map.of("AWSAccessKeyId", scope.accessKeyId()), null)
                    : new AwsException(INVALID_CLIENT_TOKEN_ID, "The security token included in the request is invalid.");
        }
        if (keys.size() >= KEY_CACHE_LIMIT) {
            // Keys change daily; dropping them all now and then is simpler than LRU and costs four HMACs per key.
            keys.clear();
        }
        return keys.computeIfAbsent(new KeyScope(scope.accessKeyId(), secret.get(), scope.date(), scope.region(), scope.service()),
                k -> SigningKey.derive(k.secret(), k.date(), k.region(), k.service()));
    }

    private static String serverTime(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static boolean constantTimeEquals(String expected, String provided) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), provided.getBytes(StandardCharsets.UTF_8));
    }

    /** A cache key; the secret is part of it so a rotated secret never finds the old key. */
    private record KeyScope(String accessKeyId, String secret, String date, String region, String service) {

        @Override
        public String toString() {
            return accessKeyId + "/" + date + "/" + region + "/" + service;
        }
    }
}
