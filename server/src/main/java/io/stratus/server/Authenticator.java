package io.stratus.server;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Accounts;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.Principal;
import io.stratus.core.StratusConfig;
import io.stratus.core.spi.CredentialResolver;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.auth.AwsChunkedInputStream;
import io.stratus.protocol.auth.CredentialScope;
import io.stratus.protocol.auth.SeedSignature;
import io.stratus.protocol.auth.SigV4Auth;
import io.stratus.protocol.auth.SigV4Parser;
import io.stratus.protocol.auth.SigV4Verifier;
import io.stratus.s3.PostAuthenticator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SigV4 at the edge. Every request's credential scope is read (the router needs its service, the
 * operation its region and account); with {@code --auth sigv4} the signature is also verified,
 * against the secret of a key STS issued or else the shared default secret {@code test}.
 * Thread-safe.
 */
final class Authenticator {

    /** The secret of every access key STS did not issue, as the AWS CLI's test profiles use. */
    static final String DEFAULT_SECRET = "test";

    /** S3 requires a header-signed request to say what its payload hash is: a digest or one of these (in AWS's order). */
    private static final List<String> S3_PAYLOAD_LITERALS = List.of("UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
            "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final StratusConfig.Auth mode;
    private final CredentialResolver credentials;
    private final SigV4Verifier verifier;
    private final Clock clock;

    Authenticator(StratusConfig.Auth mode, CredentialResolver credentials, Clock clock) {
        this.mode = requireNonNull(mode, "mode is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.verifier = new SigV4Verifier(this::secretFor, clock);
    }

    /**
     * What a request claims about its signature, read before routing.
     *
     * @param auth the parsed SigV4 claim, or null when unsigned or malformed
     * @param scopeService the service of the credential scope, read leniently even from a
     *     malformed signature; null when there is none
     * @param malformed why the signature could not be parsed, or null
     */
    record Claim(SigV4Auth auth, String scopeService, AwsException malformed) {

        void rethrowMalformed() {
            if (malformed != null) {
                throw malformed;
            }
        }
    }

    Claim claim(HttpRequest request) {
        try {
            SigV4Auth auth = SigV4Parser.parse(request).orElse(null);
            return new Claim(auth, auth == null ? null : auth.service(), null);
        } catch (AwsException e) {
            return new Claim(null, SigV4Parser.credentialScope(request).map(CredentialScope::service).orElse(null), e);
        }
    }

    /** Finds who is calling; with {@code --auth sigv4}, proves it. */
    Caller authenticate(HttpRequest request, Claim claim, ServiceDefinition service) {
        SigV4Auth auth = claim.auth();
        if (auth == null) {
            // A browser POST upload signs its policy, inside the form: S3 verifies it through authenticatePost.
            if (mode == StratusConfig.Auth.SIGV4 && !isPostForm(request, service)) {
                if (!service.name().equals("s3")) {
                    throw new AwsException(CommonErrors.MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token");
                }
                if (signedTheOldWay(request)) {
                    throw new AwsException(CommonErrors.INVALID_REQUEST, SigV4Parser.SIGV2_UNSUPPORTED);
                }
                // S3 takes anonymous requests: a bucket's policy or ACL decides what they may do.
                return new Caller(null, null, Principal.ANONYMOUS);
            }
            return new Caller(null, null, Principal.root(Accounts.DEFAULT_ACCOUNT));
        }
        String accessKeyId = auth.accessKeyId();
        Optional<CredentialResolver.IssuedCredentials> issued = credentials.resolve(accessKeyId);
        if (issued.isPresent() && !issued.get().expiration().isAfter(clock.instant())) {
            // Never quietly fall back to another account: AWS refuses expired session credentials.
            throw new AwsException(CommonErrors.EXPIRED_TOKEN, "The security token included in the request is expired");
        }
        Principal principal = issued.map(CredentialResolver.IssuedCredentials::principal)
                .orElseGet(() -> Principal.root(Accounts.accountFor(accessKeyId)));
        if (mode == StratusConfig.Auth.SIGV4) {
            if (issued.isPresent() && !auth.securityToken().equals(Optional.of(issued.get().sessionToken()))) {
                throw new AwsException(CommonErrors.INVALID_CLIENT_TOKEN_ID, "The security token included in the request is invalid.");
            }
            verifier.verify(request, auth, payloadHash(request, auth, service));
            if (service.name().equals("s3")) {
                checkS3HeadersSigned(request, auth);
            }
        }
        return new Caller(accessKeyId, auth.region(), principal);
    }

    /**
     * Who a browser POST upload's form credential stands for; with {@code --auth sigv4}, proves it
     * (the signature is over the base64 policy) and refuses a form without one, as S3 refuses an
     * anonymous upload to a bucket that does not allow public writes.
     */
    Principal authenticatePost(Optional<PostAuthenticator.FormSignature> signature) {
        if (signature.isEmpty()) {
            if (mode == StratusConfig.Auth.SIGV4) {
                throw new AwsException(CommonErrors.ACCESS_DENIED, "Access Denied");
            }
            return Principal.root(Accounts.DEFAULT_ACCOUNT);
        }
        PostAuthenticator.FormSignature form = signature.get();
        String accessKeyId = form.accessKeyId();
        Optional<CredentialResolver.IssuedCredentials> issued = credentials.resolve(accessKeyId);
        if (issued.isPresent() && !issued.get().expiration().isAfter(clock.instant())) {
            throw new AwsException(CommonErrors.EXPIRED_TOKEN, "The provided token has expired.");
        }
        if (mode == StratusConfig.Auth.SIGV4) {
            if (issued.isPresent() && !issued.get().sessionToken().equals(form.securityToken())) {
                throw new AwsException(CommonErrors.INVALID_CLIENT_TOKEN_ID, "The security token included in the request is invalid.");
            }
            verifier.verifyStringSignature(form.credential(), form.policy(), form.signature());
        }
        return issued.map(CredentialResolver.IssuedCredentials::principal).orElseGet(() -> Principal.root(Accounts.accountFor(accessKeyId)));
    }

    /** Whether a query string carries a Signature Version 2 signature (boto3's default presigning for a custom endpoint), which S3 no longer takes. */
    private static boolean signedTheOldWay(HttpRequest request) {
        String query = "&" + request.rawQuery();
        return query.contains("&AWSAccessKeyId=") && query.contains("&Signature=");
    }

    /**
     * S3's PostObject and nothing else: a form POST to a bucket ({@code /bucket} path style, {@code /}
     * virtual-host style) without a subresource, so no other operation is reached unsigned.
     */
    private static boolean isPostForm(HttpRequest request, ServiceDefinition service) {
        return service.name().equals("s3") && request.method().equals("POST") && request.mediaType().equals("multipart/form-data")
                && request.rawQuery().isEmpty() && request.rawPath().matches("/[^/]*/?");
    }

    /**
     * Replaces an {@code aws-chunked} body (current SDKs' S3 uploads) with its decoded stream,
     * which verifies chunk signatures (with {@code --auth sigv4}) and trailing checksums as it is
     * read. Other requests pass unchanged.
     */
    HttpRequest decodeBody(HttpRequest request, Claim claim) {
        if (!AwsChunkedInputStream.isAwsChunked(request)) {
            return request;
        }
        Optional<SeedSignature> seed = mode == StratusConfig.Auth.SIGV4 && claim.auth() != null
                ? Optional.of(verifier.seedSignature(claim.auth()))
                : Optional.empty();
        // The decoder checks the declared length itself; an unreadable one just leaves it unknown here.
        long decodedLength = request.header("x-amz-decoded-content-length")
                .filter(Authenticator::isLength).map(Long::parseLong).orElse(-1L);
        return request.withDecodedBody(AwsChunkedInputStream.forRequest(request.body(), request, seed), decodedLength, "aws-chunked");
    }

    /** 1 to 18 ASCII digits (a length that fits a long), checked without compiling a pattern per request. */
    private static boolean isLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private Optional<String> secretFor(String accessKeyId) {
        return Optional.of(credentials.resolve(accessKeyId)
                .map(CredentialResolver.IssuedCredentials::secretAccessKey)
                .orElse(DEFAULT_SECRET));
    }

    private static String payloadHash(HttpRequest request, SigV4Auth auth, ServiceDefinition service) {
        // S3 presigned URLs sign no payload; other services' presigned URLs sign the body's hash.
        if (auth.presigned() && auth.credential().isS3()) {
            return "UNSIGNED-PAYLOAD";
        }
        if (service.name().equals("s3")) {
            checkS3ContentSha256(auth);
        }
        boolean claimsDigest = auth.contentSha256().filter(value -> value.length() == 64 && !value.startsWith("STREAMING-")).isPresent();
        if (auth.contentSha256().isPresent() && !claimsDigest) {
            return auth.contentSha256().get();
        }
        // restXml (S3) bodies may be gigabytes: S3 checks a claimed digest while it streams them.
        if (claimsDigest && service.primaryProtocol() == Protocol.REST_XML) {
            return auth.contentSha256().get();
        }
        String bodyHash = sha256(request.bodyBytes(service.maxRequestBytes()));
        if (claimsDigest) {
            SigV4Verifier.checkContentSha256(auth, bodyHash);
        }
        return bodyHash;
    }

    /**
     * S3 refuses a signed request that carries an {@code x-amz-*} header its signature does not
     * cover: anyone on the way could have added it (an {@code x-amz-acl}, say). The SDKs sign every
     * one they send. A presigned URL signs no payload, so the one such header its user may add
     * unsigned is {@code x-amz-content-sha256}.
     */
    private static void checkS3HeadersSigned(HttpRequest request, SigV4Auth auth) {
        List<String> unsigned = request.headerNames().stream()
                .filter(name -> name.startsWith("x-amz-") && !auth.signedHeaders().contains(name))
                .filter(name -> !(auth.presigned() && name.equals("x-amz-content-sha256")))
                .sorted()
                .toList();
        if (!unsigned.isEmpty()) {
            throw new AwsException(CommonErrors.ACCESS_DENIED, "There were headers present in the request which were not signed",
                    Map.of("HeadersNotSigned", String.join(", ", unsigned)), null);
        }
    }

    private static void checkS3ContentSha256(SigV4Auth auth) {
        String value = auth.contentSha256().orElseThrow(
                () -> new AwsException(CommonErrors.INVALID_REQUEST, "Missing required header for this request: x-amz-content-sha256"));
        if (!S3_PAYLOAD_LITERALS.contains(value) && !SHA256_HEX.matcher(value).matches()) {
            // In S3's order: the argument's name, then its value.
            Map<String, String> argument = new java.util.LinkedHashMap<>();
            argument.put("ArgumentName", "x-amz-content-sha256");
            argument.put("ArgumentValue", value);
            throw new AwsException(CommonErrors.INVALID_ARGUMENT,
                    "x-amz-content-sha256 must be " + String.join(", ", S3_PAYLOAD_LITERALS) + " or a valid sha256 value.", argument, null);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
