package io.stratus.core.spi;

import io.stratus.core.Principal;
import java.util.Optional;

/**
 * Finds the principal and secret behind an access key that Stratus issued (STS session
 * credentials). Implemented by the STS service, called by the edge for every signed request, from
 * many threads at once.
 */
public interface CredentialResolver {

    /** What an issued access key stands for. */
    record IssuedCredentials(Principal principal, String secretAccessKey) {}

    /** The credentials issued under this access key, if any and not expired. */
    Optional<IssuedCredentials> resolve(String accessKeyId);

    /** Resolves nothing: every key acts as its account's root user. */
    CredentialResolver NONE = accessKeyId -> Optional.empty();
}
