package io.stratus.protocol.auth;

import static java.util.Objects.requireNonNull;

/**
 * What verifying a signed aws-chunked body starts from: the request's signing key, time and scope,
 * and its header signature, which the first chunk's signature chains to. Immutable.
 *
 * @param signingKey the key the request was signed with
 * @param amzDate the request time, {@code 20130524T000000Z}
 * @param scope {@code date/region/service/aws4_request}
 * @param signature the signature of the request's headers, the "seed signature"
 */
public record SeedSignature(SigningKey signingKey, String amzDate, String scope, String signature) {

    public SeedSignature {
        requireNonNull(signingKey, "signingKey is null");
        requireNonNull(amzDate, "amzDate is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(signature, "signature is null");
    }
}
