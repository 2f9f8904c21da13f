package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AsyncQueueTest {

    private static final Duration BACKOFF = Duration.ofMillis(1);

    private static FunctionRecord function(String name) {
        return new FunctionRecord("000000000000", "us-east-1", name, "nodejs20.x", "arn:aws:iam::000000000000:role/r", "index.handler",
                "", 3, 128, Map.of(), "c2hh", 1, Instant.EPOCH, "r1", FunctionRecord.LATEST, 0, null);
    }

    private static QueuedEvent event(FunctionRecord function, int n) {
        return new QueuedEvent("r" + n, n, function, function.arn(), Integer.toString(n).getBytes(StandardCharsets.UTF_8), Instant.EPOCH, 0, null,
                null, null);
    }

    private static int number(QueuedEvent event) {
        return Integer.parseInt(new String(event.payload(), StandardCharsets.UTF_8));
    }

    /** Counts each event down once its run returns, however it ended. */
    private static AsyncQueue.Runner counting(AsyncQueue.Runner runner, CountDownLatch done) {
        return event -> {
            try {
                runner.run(event);
                done.countDown();
            } catch (AwsException e) {
                if (e.errorCode() != LambdaErrors.TOO_MANY_REQUESTS) {
                    done.countDown();
                }
                throw e;
            } catch (RuntimeException e) {
                done.countDown();
                throw e;
            }
        };
    }

    /** A runner that holds every event until the gate opens, counting how many run at once. */
    private static final class GatedRunner implements AsyncQueue.Runner {
        final CountDownLatch gate = new CountDownLatch(1);
        final Semaphore started = new Semaphore(0);
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
        final List<Integer> order = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        @Override
        public void run(QueuedEvent event) {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            order.add(number(event));
            threads.add(Thread.currentThread());
            runs.computeIfAbsent(number(event), n -> new AtomicInteger()).incrementAndGet();
            started.release();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                running.decrementAndGet();
            }
        }
    }

    @Test
    void neverRunsMoreThanTheBoundAtOnceAndRunsEveryEventExactlyOnce() throws InterruptedException {
        GatedRunner runner = new GatedRunner();
        CountDownLatch done = new CountDownLatch(50);
        try (AsyncQueue queue = new AsyncQueue(3, BACKOFF, BACKOFF, counting(runner, done))) {
            FunctionRecord function = function("burst");
            for (int i = 0; i < 50; i++) {
                queue.enqueue(event(function, i));
            }

            assertThat(runner.started.tryAcquire(3, 5, TimeUnit.SECONDS)).isTrue();
            // The bound is full: nothing else starts until one of the three ends.
            assertThat(runner.started.tryAcquire(100, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(runner.running.get()).isEqualTo(3);
            assertThat(queue.pending()).isEqualTo(47);

            runner.gate.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(runner.peak.get()).isEqualTo(3);
            assertThat(runner.runs).hasSize(50).allSatisfy((n, count) -> assertThat(count.get()).as("runs of event %d", n).isEqualTo(1));
            assertThat(queue.pending()).isZero();
        }
    }

    @Test
    void eventsStartInTheOrderTheyArrived() throws InterruptedException {
        GatedRunner runner = new GatedRunner();
        runner.gate.countDown();
        CountDownLatch done = new CountDownLatch(20);
        try (AsyncQueue queue = new AsyncQueue(1, BACKOFF, BACKOFF, counting(runner, done))) {
            FunctionRecord function = function("ordered");
            for (int i = 0; i < 20; i++) {
                queue.enqueue(event(function, i));
            }

            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(runner.order).containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
        }
    }

    @Test
    void eachFunctionHasABoundOfItsOwn() throws InterruptedException {
        GatedRunner runner = new GatedRunner();
        CountDownLatch done = new CountDownLatch(4);
        try (AsyncQueue queue = new AsyncQueue(1, BACKOFF, BACKOFF, counting(runner, done))) {
            queue.enqueue(event(function("a"), 1));
            queue.enqueue(event(function("a"), 2));
            queue.enqueue(event(function("b"), 3));
            queue.enqueue(event(function("b"), 4));

            // One of each function's runs while the other waits behind it.
            assertThat(runner.started.tryAcquire(2, 5, TimeUnit.SECONDS)).isTrue();
            assertThat(runner.order).containsExactlyInAnyOrder(1, 3);
            assertThat(queue.pending()).isEqualTo(2);

            runner.gate.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void throttledEventIsRetriedUntilItRuns() throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        try (AsyncQueue queue = new AsyncQueue(2, BACKOFF, Duration.ofMillis(4), counting(event -> {
            if (attempts.incrementAndGet() <= 3) {
                throw new AwsException(LambdaErrors.TOO_MANY_REQUESTS, "Rate Exceeded.", Map.of("Reason", "ConcurrentInvocationLimitExceeded"), null);
            }
            ran.incrementAndGet();
        }, done))) {
            queue.enqueue(event(function("throttled"), 1));

            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(attempts.get()).isEqualTo(4);
            assertThat(ran.get()).isEqualTo(1);
        }
    }

    @Test
    void aFailureTheRunnerThrowsEndsTheEventInTheQueue() throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(2);
        try (AsyncQueue queue = new AsyncQueue(1, BACKOFF, BACKOFF, counting(event -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("runtime exited");
        }, done))) {
            queue.enqueue(event(function("fails"), 1));
            queue.enqueue(event(function("fails"), 2));

            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(attempts.get()).isEqualTo(2);
        }
    }

    @Test
    void closeForgetsWaitingEventsAndStopsTheWorkers() throws InterruptedException {
        GatedRunner runner = new GatedRunner();
        CountDownLatch done = new CountDownLatch(5);
        AsyncQueue queue = new AsyncQueue(2, BACKOFF, BACKOFF, counting(runner, done));
        for (int i = 0; i < 5; i++) {
            queue.enqueue(event(function("stopping"), i));
        }
        assertThat(runner.started.tryAcquire(2, 5, TimeUnit.SECONDS)).isTrue();

        queue.close();

        // The running ones were interrupted; the waiting ones are forgotten (the store keeps them).
        assertThat(done.getCount()).isEqualTo(3);
        assertThat(queue.pending()).isZero();
        assertThat(runner.running.get()).isZero();
        assertThat(runner.runs).hasSize(2);
        assertThat(runner.threads).hasSize(2);
        for (Thread worker : runner.threads) {
            // The executor counts a worker done just before its thread ends.
            assertThat(worker.join(Duration.ofSeconds(1))).as("%s ended", worker).isTrue();
        }
        assertThatThrownBy(() -> queue.enqueue(event(function("stopping"), 9))).isInstanceOf(IllegalStateException.class);
    }
}
