package io.stratus.s3;

import io.stratus.core.Principal;
import java.util.Optional;

/**
 * Proves who sent a browser POST upload. Such a form carries no Authorization header: its SigV4
 * signature is over the base64 policy, so the edge passes it through and S3 asks this once it has
 * read the form's fields. Implemented by the server (which knows the auth mode and the secrets);
 * called from request threads, so implementations are thread-safe.
 */
@FunctionalInterface
public interface PostAuthenticator {

    /**
     * A form's signature fields.
     *
     * @param credential {@code <access key>/<date>/<region>/s3/aws4_request}
     * @param amzDate {@code x-amz-date}, {@code yyyyMMdd'T'HHmmss'Z'}
     * @param policy the base64 policy as sent: what was signed
     * @param signature hex HMAC-SHA256 of the policy with the credential's signing key
     * @param securityToken {@code x-amz-security-token}, for session credentials; else null
     */
    record FormSignature(String credential, String amzDate, String policy, String signature, String securityToken) {

        /** The access key of the credential. */
        public String accessKeyId() {
            int slash = credential.indexOf('/');
            return slash < 0 ? credential : credential.substring(0, slash);
        }
    }

    /**
     * Who the form's credential stands for.
     *
     * @param signature the form's signature, or empty for a form without a policy (anonymous)
     * @throws io.stratus.core.AwsException when the server verifies signatures and this one
     *     is missing or wrong, as S3 refuses it
     */
    Principal authenticate(Optional<FormSignature> signature);
}
