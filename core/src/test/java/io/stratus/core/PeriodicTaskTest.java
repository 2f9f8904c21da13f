package io.stratus.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicTaskTest {

    @Test
    void aRunThatThrowsIsReportedAndTheNextRunsComeAnyway() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        List<RuntimeException> reported = new CopyOnWriteArrayList<>();
        CountDownLatch thirdRun = new CountDownLatch(3);
        try (PeriodicTask task = new PeriodicTask("test-task", () -> {
            thirdRun.countDown();
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("first run fails");
            }
        }, reported::add)) {
            task.start(Duration.ZERO, Duration.ofMillis(10));
            assertThat(thirdRun.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(reported).singleElement().satisfies(e -> assertThat(e).hasMessage("first run fails"));
    }

    @Test
    void closingInterruptsARunInProgressWithoutReportingItAndStopsTheSchedule() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        List<RuntimeException> reported = new CopyOnWriteArrayList<>();
        CountDownLatch running = new CountDownLatch(1);
        PeriodicTask task = new PeriodicTask("test-task", () -> {
            runs.incrementAndGet();
            running.countDown();
            try {
                Thread.sleep(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted", e);
            }
        }, reported::add);
        task.start(Duration.ZERO, Duration.ofMillis(1));
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        long started = System.nanoTime();
        task.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        Thread.sleep(50);
        assertThat(runs.get()).isEqualTo(1);
        assertThat(reported).isEmpty();
    }
}
