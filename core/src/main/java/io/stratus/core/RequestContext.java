package io.stratus.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Who is calling, where, and which request this is. Built by the edge once per request (after
 * SigV4) and handed to every operation; immutable, so it may cross threads freely.
 *
 * @param requestId the id echoed in {@code x-amzn-RequestId} and in error bodies
 * @param accountId the 12-digit account the caller acts in
 * @param region the region from the credential scope, or the server's default region
 * @param accessKeyId the caller's access key, or {@code null} for an unsigned request
 * @param principal who the access key belongs to
 * @param receivedAt when the edge received the request
 * @param connection where the request came from, and how
 * @param signing how the request was signed, or {@code null} for an unsigned one and for what
 *     Stratus does itself
 * @param traceHeader the request's X-Ray trace header ({@code X-Amzn-Trace-Id}) as it came, or
 *     {@code null}: what the SDKs of a Lambda function send on its calls, which carries the chain of
 *     invocations that led to the call (see Lambda's recursive loop detection)
 */
public record RequestContext(String requestId, String accountId, String region, String accessKeyId, Principal principal, Instant receivedAt,
        Connection connection, Signing signing, String traceHeader) {

    /**
     * Where a request came from and over what, as IAM's {@code aws:SourceIp} and
     * {@code aws:SecureTransport} and S3's {@code s3:TlsVersion} tell policies.
     *
     * @param sourceIp the IP address the request came from, or {@code null} for a request Stratus
     *     makes itself, as AWS services acting for a caller have none
     * @param secure whether the request came over TLS; true for a request Stratus makes itself, as
     *     AWS services call each other over TLS
     * @param tlsVersion the TLS protocol the connection speaks ({@code TLSv1.3}), or {@code null} over
     *     plain HTTP and for a request Stratus makes itself
     */
    public record Connection(String sourceIp, boolean secure, String tlsVersion) {

        /** What Stratus's own requests come over: from no address, over a secure channel. */
        public static final Connection INTERNAL = new Connection(null, true, null);

        /** A client's connection from {@code sourceIp}: over TLS of {@code tlsVersion}, or plain HTTP when it is null. */
        public static Connection of(String sourceIp, String tlsVersion) {
            return new Connection(requireNonNull(sourceIp, "sourceIp is null"), tlsVersion != null, tlsVersion);
        }
    }

    /**
     * How a request was signed, as S3's {@code s3:authType}, {@code s3:signatureversion} and
     * {@code s3:signatureAge} tell policies.
     *
     * @param form where the signature was: an {@code Authorization} header, a presigned URL's
     *     query, or a browser form's fields
     * @param algorithm the signing algorithm, {@code AWS4-HMAC-SHA256}
     * @param signedAt the time the request was signed at ({@code X-Amz-Date})
     */
    public record Signing(Form form, String algorithm, Instant signedAt) {

        public enum Form { HEADER, QUERY, FORM }

        public Signing {
            requireNonNull(form, "form is null");
            requireNonNull(algorithm, "algorithm is null");
            requireNonNull(signedAt, "signedAt is null");
        }
    }

    public RequestContext {
        requireNonNull(requestId, "requestId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(region, "region is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(receivedAt, "receivedAt is null");
        requireNonNull(connection, "connection is null");
    }

    /** A request without a trace header. */
    public RequestContext(String requestId, String accountId, String region, String accessKeyId, Principal principal, Instant receivedAt,
            Connection connection, Signing signing) {
        this(requestId, accountId, region, accessKeyId, principal, receivedAt, connection, signing, null);
    }

    /** A request Stratus makes itself: from no address, over a secure channel. */
    public RequestContext(String requestId, String accountId, String region, String accessKeyId, Principal principal, Instant receivedAt) {
        this(requestId, accountId, region, accessKeyId, principal, receivedAt, Connection.INTERNAL, null);
    }

    /** The IP address the request came from (IAM's {@code aws:SourceIp}), or {@code null} for what Stratus does itself. */
    public String sourceIp() {
        return connection.sourceIp();
    }

    /** Whether the request came over TLS (IAM's {@code aws:SecureTransport}); true for what Stratus does itself. */
    public boolean secureTransport() {
        return connection.secure();
    }

    /** The same request in another account, as a bucket owner's or queue owner's resources see it. */
    public RequestContext inAccount(String accountId) {
        return new RequestContext(requestId, accountId, region, accessKeyId, principal, receivedAt, connection, signing, traceHeader);
    }

    /** The same request with the trace header it came with. */
    public RequestContext withTraceHeader(String header) {
        return new RequestContext(requestId, accountId, region, accessKeyId, principal, receivedAt, connection, signing, header);
    }
}
