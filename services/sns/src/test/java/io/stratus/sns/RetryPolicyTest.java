package io.stratus.sns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = RetryPolicy.standard();

    @Test
    void followsSnsScheduleForAwsManagedEndpoints() {
        Duration young = Duration.ofMinutes(1);
        assertThat(policy.next(1, young)).isZero();
        assertThat(policy.next(3, young)).isZero();
        assertThat(policy.next(4, young)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.next(5, young)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.next(6, young)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.next(10, young)).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(6));
        assertThat(policy.next(15, young)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.next(16, young)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.next(100_015, young)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.next(100_016, young)).isNull();
    }

    @Test
    void givesUpAfterTwentyThreeDays() {
        assertThat(policy.next(20, Duration.ofDays(23))).isNotNull();
        assertThat(policy.next(20, Duration.ofDays(23).plusSeconds(1))).isNull();
    }

    @Test
    void aShorterUnitShortensEveryWait() {
        RetryPolicy fast = new RetryPolicy(Duration.ofMillis(10));
        assertThat(fast.next(4, Duration.ZERO)).isEqualTo(Duration.ofMillis(10));
        assertThat(fast.next(20, Duration.ZERO)).isEqualTo(Duration.ofMillis(200));
    }
}
