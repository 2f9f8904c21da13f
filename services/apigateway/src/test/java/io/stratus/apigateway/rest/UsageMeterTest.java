package io.stratus.apigateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.apigateway.rest.UsagePlanModel.QuotaSettings;
import io.stratus.apigateway.rest.UsagePlanModel.ThrottleSettings;
import io.stratus.apigateway.rest.UsagePlanModel.UsagePlan;
import io.stratus.storage.MemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageMeterTest {

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-03-11T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static UsagePlan plan(ThrottleSettings throttle, QuotaSettings quota) {
        return new UsagePlan("plan1", "p", null, List.of(), throttle, quota, null, List.of("key1"));
    }

    @Test
    void aBucketLetsABurstThroughThenRefillsAtTheRate() {
        MovableClock clock = new MovableClock();
        try (MemoryStore store = new MemoryStore()) {
            UsageMeter meter = new UsageMeter(store, clock);
            UsagePlan plan = plan(new ThrottleSettings(2, 1.0), null);
            assertThat(meter.admit("a", "r", plan, "key1", "*/*", null)).isNull();
            assertThat(meter.admit("a", "r", plan, "key1", "*/*", null)).isNull();
            assertThat(meter.admit("a", "r", plan, "key1", "*/*", null)).isEqualTo(UsageMeter.Refusal.THROTTLED);
            assertThat(meter.admit("a", "r", plan, "key2", "*/*", null)).as("each key has its bucket").isNull();
            clock.now = clock.now.plusMillis(1000);
            assertThat(meter.admit("a", "r", plan, "key1", "*/*", null)).isNull();
            assertThat(meter.admit("a", "r", plan, "key1", "*/*", null)).isEqualTo(UsageMeter.Refusal.THROTTLED);
            assertThat(meter.admit("a", "r", plan, "key1", "/pets/GET", new ThrottleSettings(1, 1.0))).as("a method's own bucket").isNull();
        }
    }

    @Test
    void aQuotaCountsDurablyPerPeriodAndUpdateUsageExtendsIt() {
        MovableClock clock = new MovableClock();
        try (MemoryStore store = new MemoryStore()) {
            UsagePlan plan = plan(null, new QuotaSettings(3, 0, "WEEK"));
            UsageMeter meter = new UsageMeter(store, clock);
            assertThat(meter.admit("a", "r", plan, "key1", "*/*", null)).isNull();
            clock.now = clock.now.plus(Duration.ofDays(1));
            assertThat(meter.admit("a", "r", plan, "key1", "*/*", null)).isNull();
            assertThat(meter.admit("a", "r", plan, "key1", "*/*", null)).isNull();
            assertThat(meter.admit("a", "r", plan, "key1", "*/*", null)).isEqualTo(UsageMeter.Refusal.QUOTA_EXCEEDED);

            UsageMeter restarted = new UsageMeter(store, clock);
            assertThat(restarted.admit("a", "r", plan, "key1", "*/*", null)).as("the count is in the store").isEqualTo(UsageMeter.Refusal.QUOTA_EXCEEDED);
            assertThat(UsageMeter.daily(store, "a", "r", "plan1", "key1", LocalDate.parse("2026-03-08"), LocalDate.parse("2026-03-14")))
                    .containsExactly(java.util.Map.entry(LocalDate.parse("2026-03-11"), 1L), java.util.Map.entry(LocalDate.parse("2026-03-12"), 2L));

            restarted.setRemaining("a", "r", plan, "key1", 1);
            assertThat(restarted.admit("a", "r", plan, "key1", "*/*", null)).isNull();
            assertThat(restarted.admit("a", "r", plan, "key1", "*/*", null)).isEqualTo(UsageMeter.Refusal.QUOTA_EXCEEDED);

            clock.now = Instant.parse("2026-03-15T00:00:00Z");
            assertThat(restarted.admit("a", "r", plan, "key1", "*/*", null)).as("a new week, from Sunday").isNull();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "DAY, 0, 2026-03-11, 2026-03-11",
        "WEEK, 0, 2026-03-11, 2026-03-08",
        "WEEK, 1, 2026-03-11, 2026-03-09",
        "WEEK, 3, 2026-03-11, 2026-03-11",
        "WEEK, 4, 2026-03-11, 2026-03-05",
        "MONTH, 0, 2026-03-11, 2026-03-01",
        "MONTH, 9, 2026-03-11, 2026-03-10",
        "MONTH, 10, 2026-03-11, 2026-03-11",
        "MONTH, 27, 2026-03-11, 2026-02-28",
    })
    void periodsStartOnTheirOffsetDay(String period, int offset, String day, String start) {
        assertThat(UsagePlanLimits.periodStart(new QuotaSettings(1, offset, period), LocalDate.parse(day))).isEqualTo(LocalDate.parse(start));
    }
}
