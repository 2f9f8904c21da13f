/**
 * AWS Signature Version 4: reading what a request claims ({@link io.stratus.protocol.auth.SigV4Parser}),
 * checking it ({@link io.stratus.protocol.auth.SigV4Verifier}), signing
 * ({@link io.stratus.protocol.auth.SigV4Signer}), and decoding {@code aws-chunked} bodies
 * ({@link io.stratus.protocol.auth.AwsChunkedInputStream}).
 *
 * <p>The edge's SigV4 step reads, in order:
 * <pre>{@code
 * Optional<SigV4Auth> auth = SigV4Parser.parse(request);          // cheap; routes on auth.credential()
 * auth.ifPresent(a -> verifier.verify(request, a, payloadHash));   // when authentication is on
 * InputStream body = AwsChunkedInputStream.isAwsChunked(request)
 *         ? AwsChunkedInputStream.forRequest(raw, request, auth.map(verifier::seedSignature))
 *         : raw;
 * }</pre>
 * where {@code payloadHash} is the {@code x-amz-content-sha256} header when present (a digest there
 * is checked against the body with {@link io.stratus.protocol.auth.SigV4Verifier#checkContentSha256}),
 * {@code UNSIGNED-PAYLOAD} for presigned S3 URLs, and otherwise the hex SHA-256 of the body (other
 * services' presigned URLs included). The edge strips {@code aws-chunked} from
 * {@code Content-Encoding} before a service sees the request. Not supported: SigV4a
 * ({@code AWS4-ECDSA-P256-SHA256}), Signature Version 2, and S3 browser POST policies.
 */
package io.stratus.protocol.auth;
