package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private static long inMillis(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void aFutureStillRunningAtItsDeadlineTimesOut() {
        CompletableFuture<String> running = new CompletableFuture<>();
        long begin = System.nanoTime();
        Deadlines.SHARED.watch(running, inMillis(200));

        assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)).isBetween(190L, 2_000L);
    }

    @Test
    void aFutureThatCompletedIsLeftAlone() throws Exception {
        CompletableFuture<String> running = new CompletableFuture<>();
        Deadlines.SHARED.watch(running, inMillis(100));
        running.complete("answered");

        Thread.sleep(300);
        assertThat(running.get()).isEqualTo("answered");
    }

    @Test
    void anEarlierDeadlineWatchedAfterALaterOneIsStillKept() {
        CompletableFuture<String> slow = new CompletableFuture<>();
        CompletableFuture<String> quick = new CompletableFuture<>();
        Deadlines.SHARED.watch(slow, inMillis(60_000));
        // The watcher may sleep up to half a second: a 100 ms deadline must wake it.
        long begin = System.nanoTime();
        Deadlines.SHARED.watch(quick, inMillis(100));

        assertThatThrownBy(() -> quick.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)).isLessThan(400L);
        assertThat(slow).isNotDone();
        slow.complete("done");
    }

    @Test
    void manyDeadlinesFireInTheirOrder() throws Exception {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[20];
        for (int i = futures.length - 1; i >= 0; i--) {
            futures[i] = new CompletableFuture<>();
            Deadlines.SHARED.watch(futures[i], inMillis(50 + 20L * i));
        }
        CompletableFuture.allOf(futures).exceptionally(failure -> null).get(10, TimeUnit.SECONDS);
        for (CompletableFuture<?> future : futures) {
            assertThat(future).isCompletedExceptionally();
        }
    }
}
