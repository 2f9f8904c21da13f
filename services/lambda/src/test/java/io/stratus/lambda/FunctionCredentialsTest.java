package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.spi.RoleSessions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionCredentialsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T06:00:00Z");

    private static FunctionRecord function(String name, String role) {
        return new FunctionRecord("000000000000", "us-east-1", name, "nodejs20.x", role, "index.handler", "", 3, 128, Map.of(), "c2hh", 1,
                Instant.EPOCH, "r1", FunctionRecord.LATEST, 0, null);
    }

    /** Issues numbered sessions that last as long as asked, from the clock's time. */
    private static final class CountingSessions implements RoleSessions {
        final List<String> asked = new ArrayList<>();
        Clock clock;

        @Override
        public Optional<Credentials> assume(String roleArn, String sessionName, Duration duration) {
            asked.add(roleArn + " " + sessionName);
            return Optional.of(new Credentials("ASIA" + asked.size(), "secret", "token", clock.instant().plus(duration)));
        }
    }

    @Test
    void oneSessionServesAFunctionUntilItNearsItsEnd() {
        CountingSessions sessions = new CountingSessions();
        sessions.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        FunctionCredentials credentials = new FunctionCredentials(sessions, sessions.clock);
        FunctionRecord fn = function("fn", "arn:aws:iam::000000000000:role/r");

        FunctionCredentials.Issued first = credentials.issue(fn);
        assertThat(first.variables()).containsEntry("AWS_ACCESS_KEY_ID", "ASIA1").containsEntry("AWS_SESSION_TOKEN", "token");
        assertThat(first.expiration()).isEqualTo(NOW.plus(FunctionCredentials.SESSION));
        assertThat(credentials.issue(fn)).isSameAs(first);
        assertThat(sessions.asked).containsExactly("arn:aws:iam::000000000000:role/r fn");
        assertThat(credentials.expiresSoon(first)).isFalse();

        // Eleven and a half hours on, new environments get a new session; the old one is about to retire its holders.
        sessions.clock = Clock.fixed(NOW.plus(Duration.ofMinutes(11 * 60 + 56)), ZoneOffset.UTC);
        FunctionCredentials later = new FunctionCredentials(sessions, sessions.clock);
        assertThat(later.expiresSoon(first)).isTrue();
        assertThat(later.issue(fn).accessKeyId()).isEqualTo("ASIA2");
    }

    @Test
    void withoutASessionTheFunctionActsAsItsAccount() {
        FunctionCredentials credentials = new FunctionCredentials(RoleSessions.NONE, Clock.fixed(NOW, ZoneOffset.UTC));
        FunctionCredentials.Issued issued = credentials.issue(function("fn", "arn:aws:iam::000000000000:role/r"));
        assertThat(issued.variables()).containsEntry("AWS_ACCESS_KEY_ID", "000000000000").containsEntry("AWS_SECRET_ACCESS_KEY", "test");
        assertThat(issued.expiration()).isNull();
        assertThat(credentials.expiresSoon(issued)).isFalse();
    }
}
