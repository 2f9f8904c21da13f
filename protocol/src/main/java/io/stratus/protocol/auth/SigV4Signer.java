package io.stratus.protocol.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Signs requests with SigV4, in the {@code Authorization} header or as a presigned URL, the way
 * the AWS SDKs do; used by tests and by Stratus when it calls out. Also holds the string-to-sign
 * forms that {@link SigV4Verifier} and {@link AwsChunkedInputStream} share. Immutable and
 * thread-safe.
 */
public final class SigV4Signer {

    /** The payload marker of presigned S3 URLs and of bodies the client chose not to hash. */
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    // Headers that proxies and clients rewrite in flight; the SDKs never sign them.
    private static final Set<String> UNSIGNED_HEADERS =
            Set.of("authorization", "connection", "expect", "transfer-encoding", "user-agent", "x-amzn-trace-id");

    private final String accessKeyId;
    private final String secretAccessKey;
    private final Optional<String> sessionToken;

    public SigV4Signer(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
        this.accessKeyId = requireNonNull(accessKeyId, "accessKeyId is null");
        this.secretAccessKey = requireNonNull(secretAccessKey, "secretAccessKey is null");
        this.sessionToken = requireNonNull(sessionToken, "sessionToken is null");
    }

    /**
     * {@code request} with {@code X-Amz-Date}, the session token, S3's {@code x-amz-content-sha256}
     * and the {@code Authorization} header added. Every header already present is signed, except
     * the few that change in flight; {@code host} must be present.
     */
    public SignableRequest.Snapshot sign(SignableRequest request, String region, String service, Instant time, String payloadHash) {
        CredentialScope scope = scope(region, service, time);
        SignableRequest.Snapshot signed = SignableRequest.Snapshot.copyOf(request).withHeader("x-amz-date", SigV4Auth.formatAmzDate(time));
        if (sessionToken.isPresent()) {
            signed = signed.withHeader("x-amz-security-token", sessionToken.get());
        }
        if (service.equals("s3")) {
            signed = signed.withHeader("x-amz-content-sha256", payloadHash);
        }
        List<String> headers = headersToSign(signed);
        String signature = signature(signed, scope, time, headers, payloadHash, false);
        return signed.withHeader("authorization", authorization(scope, headers, signature));
    }

    /**
     * {@code request} as a presigned URL: the {@code X-Amz-*} parameters appended to its query and
     * the signature last, as the SDKs order them. S3 signs the payload as {@link #UNSIGNED_PAYLOAD};
     * botocore signs other services' presigned URLs over the (empty) body's hash.
     */
    public SignableRequest.Snapshot presign(
            SignableRequest request, String region, String service, Instant time, Duration expires, String payloadHash) {
        CredentialScope scope = scope(region, service, time);
        List<String> headers = headersToSign(request);
        StringBuilder query = new StringBuilder(request.rawQuery());
        appendParameter(query, "X-Amz-Algorithm", SigV4Auth.ALGORITHM);
        appendParameter(query, "X-Amz-Credential", scope.toString());
        appendParameter(query, "X-Amz-Date", SigV4Auth.formatAmzDate(time));
        appendParameter(query, "X-Amz-Expires", Long.toString(expires.toSeconds()));
        appendParameter(query, "X-Amz-SignedHeaders", String.join(";", headers));
        sessionToken.ifPresent(token -> appendParameter(query, "X-Amz-Security-Token", token));
        SignableRequest.Snapshot presigned = SignableRequest.Snapshot.copyOf(request).withRawQuery(query.toString());
        String signature = signature(presigned, scope, time, headers, payloadHash, true);
        appendParameter(query, "X-Amz-Signature", signature);
        return presigned.withRawQuery(query.toString());
    }

    /** The key this signer signs {@code scope} with; the seed of signed aws-chunked bodies. */
    public SigningKey signingKey(CredentialScope scope) {
        return SigningKey.derive(secretAccessKey, scope);
    }

    private String signature(SignableRequest request, CredentialScope scope, Instant time, List<String> headers,
            String payloadHash, boolean presigned) {
        CanonicalRequest canonical = CanonicalRequest.of(request, headers, payloadHash, scope.service(), presigned);
        return signingKey(scope).sign(stringToSign(SigV4Auth.formatAmzDate(time), scope.scope(), canonical.hash()));
    }

    private CredentialScope scope(String region, String service, Instant time) {
        return new CredentialScope(accessKeyId, SigV4Auth.formatAmzDate(time).substring(0, 8), region, service,
                CredentialScope.AWS4_REQUEST);
    }

    private static List<String> headersToSign(SignableRequest request) {
        List<String> names = new ArrayList<>();
        for (String name : request.headerNames()) {
            if (!UNSIGNED_HEADERS.contains(name)) {
                names.add(name);
            }
        }
        if (!names.contains("host")) {
            throw new IllegalArgumentException("a request to sign needs a host header");
        }
        names.sort(null);
        return names;
    }

    private static void appendParameter(StringBuilder query, String name, String value) {
        if (!query.isEmpty()) {
            query.append('&');
        }
        query.append(name).append('=');
        CanonicalRequest.encode(value.getBytes(StandardCharsets.UTF_8), false, query);
    }

    /** {@code AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…}, spaced as the SDKs send it. */
    public static String authorization(CredentialScope scope, List<String> signedHeaders, String signature) {
        return SigV4Auth.ALGORITHM + " Credential=" + scope + ", SignedHeaders=" + String.join(";", signedHeaders)
                + ", Signature=" + signature;
    }

    /** The string to sign of a request. */
    public static String stringToSign(String amzDate, String scope, String canonicalRequestHash) {
        return SigV4Auth.ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + canonicalRequestHash;
    }

    /** The string to sign of one aws-chunked chunk, chained to the previous chunk's signature. */
    public static String chunkStringToSign(String amzDate, String scope, String previousSignature, String chunkHash) {
        return "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + '\n' + scope + '\n' + previousSignature + '\n' + Sha256.EMPTY + '\n'
                + chunkHash;
    }

    /**
     * The string to sign of aws-chunked trailers, chained to the final chunk's signature.
     *
     * @param trailerHash the hex SHA-256 of the trailers as {@code name:value\n} lines
     */
    public static String trailerStringToSign(String amzDate, String scope, String previousSignature, String trailerHash) {
        return "AWS4-HMAC-SHA256-TRAILER\n" + amzDate + '\n' + scope + '\n' + previousSignature + '\n' + trailerHash;
    }
}
