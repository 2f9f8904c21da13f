package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.spi.RoleSessions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The credentials a function's runtime gets, as AWS gives it its execution role's: a session of
 * the function's role named after the function, so its own AWS calls act as
 * {@code assumed-role/<role>/<function>} in the role's account. One session serves all of a
 * function's environments until it has less than {@link #RENEW_BEFORE} left; an environment's
 * credentials must outlive it (see {@link #expiresSoon}). Where no session can be issued (no STS,
 * or a function name too short for a session name) the runtime acts as the function's account, with
 * the account id as its access key.
 *
 * <p>Thread-safe.
 */
final class FunctionCredentials {

    /** How long a session lasts: AssumeRole's longest. */
    static final Duration SESSION = Duration.ofHours(12);
    /** A session with less left than this is renewed for new environments. */
    static final Duration RENEW_BEFORE = Duration.ofHours(1);
    /** An environment whose credentials expire within this is retired rather than reused. */
    static final Duration RETIRE_BEFORE = Duration.ofMinutes(5);

    /** What a runtime is given: its three variables, and when they stop working (null: never). */
    record Issued(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {

        Map<String, String> variables() {
            return Map.of("AWS_ACCESS_KEY_ID", accessKeyId, "AWS_SECRET_ACCESS_KEY", secretAccessKey, "AWS_SESSION_TOKEN", sessionToken);
        }
    }

    private final RoleSessions sessions;
    private final Clock clock;
    private final Map<String, Issued> byFunction = new ConcurrentHashMap<>();

    FunctionCredentials(RoleSessions sessions, Clock clock) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The credentials for a new environment of {@code function}. */
    Issued issue(FunctionRecord function) {
        String key = function.accountId() + "/" + function.region() + "/" + function.name() + "/" + function.role();
        Issued current = byFunction.get(key);
        if (current != null && (current.expiration() == null || current.expiration().isAfter(clock.instant().plus(RENEW_BEFORE)))) {
            return current;
        }
        Issued issued = sessions.assume(function.role(), function.name(), SESSION)
                .map(c -> new Issued(c.accessKeyId(), c.secretAccessKey(), c.sessionToken(), c.expiration()))
                // A 12-digit access key acts in that account: the function's own SDK calls stay in its account.
                .orElseGet(() -> new Issued(function.accountId(), "test", "test", null));
        byFunction.put(key, issued);
        return issued;
    }

    /** Whether credentials expire soon enough that an environment holding them should not take another invocation. */
    boolean expiresSoon(Issued issued) {
        return issued.expiration() != null && !issued.expiration().isAfter(clock.instant().plus(RETIRE_BEFORE));
    }
}
