package io.stratus.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Temporary credentials for a session of an IAM role, as STS's AssumeRole issues them: what
 * Lambda hands a function's runtime, as AWS hands it its execution role's, so the function's own
 * calls act as {@code arn:aws:sts::<account>:assumed-role/<role>/<session>}. Implemented by the STS
 * service (the edge then resolves the keys through {@link CredentialResolver}).
 *
 * <p>Thread safety: callable from any number of threads at once.
 */
public interface RoleSessions {

    /** Issued credentials: the key, its secret and session token, and when they stop working. */
    record Credentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {}

    /**
     * Issues credentials for a session of {@code roleArn}.
     *
     * @param sessionName the session's name (2–64 of {@code [\w+=,.@-]})
     * @return the credentials, or empty when the role ARN is not one AssumeRole takes
     */
    Optional<Credentials> assume(String roleArn, String sessionName, Duration duration);

    /** Issues nothing: callers fall back to acting as the account. */
    RoleSessions NONE = (roleArn, sessionName, duration) -> Optional.empty();
}
