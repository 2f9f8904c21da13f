package io.stratus.sns;

import java.time.Duration;

/**
 * SNS's delivery retry policy for AWS-managed endpoints (SQS, Lambda), in units Stratus can
 * shorten for tests: three immediate retries, two after one unit, ten backing off exponentially
 * from one unit to twenty, then one every twenty units, for up to 100,015 retries or 23 days
 * (with the default unit of a second, AWS's numbers). Pure.
 */
record RetryPolicy(Duration unit) {

    static final int IMMEDIATE = 3;
    static final int PRE_BACKOFF = 2;
    static final int BACKOFF = 10;
    static final int POST_BACKOFF = 100_000;
    static final int MAX_DELAY_UNITS = 20;
    static final Duration MAX_AGE = Duration.ofDays(23);

    /** The system property the server reads the unit from, e.g. {@code 10ms} style ISO or millis. */
    static final String UNIT_PROPERTY = "stratus.sns.retryDelay";

    static RetryPolicy standard() {
        return new RetryPolicy(Duration.ofSeconds(1));
    }

    /**
     * How long to wait before the next attempt after {@code failures} failed ones, or null when
     * the delivery is given up (retries used up, or the message older than the policy allows).
     */
    Duration next(int failures, Duration age) {
        int retry = failures; // the retry about to be made, 1-based
        if (retry > IMMEDIATE + PRE_BACKOFF + BACKOFF + POST_BACKOFF || age.compareTo(MAX_AGE.multipliedBy(Math.max(1, unit.toMillis())).dividedBy(1000)) > 0) {
            return null;
        }
        if (retry <= IMMEDIATE) {
            return Duration.ZERO;
        }
        if (retry <= IMMEDIATE + PRE_BACKOFF) {
            return unit;
        }
        if (retry <= IMMEDIATE + PRE_BACKOFF + BACKOFF) {
            int step = retry - IMMEDIATE - PRE_BACKOFF - 1; // 0..9
            double units = Math.pow(MAX_DELAY_UNITS, step / (double) (BACKOFF - 1));
            return Duration.ofNanos((long) (unit.toNanos() * units));
        }
        return unit.multipliedBy(MAX_DELAY_UNITS);
    }
}
