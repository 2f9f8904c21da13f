package io.stratus.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The clock a test's Stratus tells time by: the system clock plus an offset the test can move
 * forward, so expirations, retention and timeouts can be tested without sleeping. Moving it also
 * moves what SigV4 verification considers "now", so tests with {@code auth = SIGV4} should not
 * move it further than the 15 minutes of allowed skew. Thread-safe.
 */
public final class TestClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    /** Moves time forward (or back, for a negative amount) for the server and every service. */
    public void advance(Duration amount) {
        offset.updateAndGet(current -> current.plus(amount));
    }

    /** Back to the system clock's time. */
    public void reset() {
        offset.set(Duration.ZERO);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(ZoneOffset.UTC)) {
            return this;
        }
        throw new UnsupportedOperationException("Stratus tells time in UTC");
    }
}
