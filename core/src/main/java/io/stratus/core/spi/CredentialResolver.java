package io.stratus.core.spi;

import io.stratus.core.Principal;
import java.time.Instant;
import java.util.Optional;

/**
 * Finds the principal and secret behind an access key that Stratus issued (STS session
 * credentials). Implemented by the STS service, called by the edge for every signed request, from
 * many threads at once.
 */
public interface CredentialResolver {

    /**
     * What an issued access key stands for.
     *
     * @param sessionToken the token that must accompany the key
     * @param expiration when the credentials stop working
     */
    record IssuedCredentials(Principal principal, String secretAccessKey, String sessionToken, Instant expiration) {}

    /** The credentials issued under this access key, if any, expired or not: the caller decides. */
    Optional<IssuedCredentials> resolve(String accessKeyId);

    /** Resolves nothing: every key acts as its account's root user. */
    CredentialResolver NONE = accessKeyId -> Optional.empty();
}
