package io.stratus.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs a request function from N client threads for a bounded time (and a bounded number of
 * requests), recording each call's latency in an HdrHistogram. Every loop stops by itself.
 */
final class LoadDriver {

    /** One call against the system under test; throws when the call failed. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** What one run measured. */
    record Result(int clients, long requests, long errors, double seconds, Histogram latency) {

        double throughput() {
            return requests / seconds;
        }

        double percentileMillis(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1_000_000.0;
        }

        /** Two runs of the same call taken together; {@code a} may be null (nothing yet). */
        static Result sum(Result a, Result b) {
            if (a == null) {
                return b;
            }
            Histogram latency = a.latency.copy();
            latency.add(b.latency);
            return new Result(a.clients, a.requests + b.requests, a.errors + b.errors, a.seconds + b.seconds, latency);
        }
    }

    private final Duration warmup;
    private final Duration measure;
    private final long maxRequests;

    LoadDriver(Duration warmup, Duration measure, long maxRequests) {
        this.warmup = requireNonNull(warmup, "warmup is null");
        this.measure = requireNonNull(measure, "measure is null");
        this.maxRequests = maxRequests;
    }

    /** Runs for the warm-up time only, measuring nothing: to let a server's JIT settle before any measurement. */
    void warmUp(int clients, IntFunction<Call> callOfClient) throws InterruptedException {
        runFor(clients, callOfClient, warmup, null, new AtomicLong(), new AtomicLong());
    }

    Result run(int clients, Call call) throws InterruptedException {
        return run(clients, client -> call);
    }

    /** Runs with each client thread making its own call, e.g. against a queue of its own. */
    Result run(int clients, IntFunction<Call> callOfClient) throws InterruptedException {
        warmUp(clients, callOfClient);
        return measure(clients, callOfClient, 1);
    }

    /** Measures without warming up, for {@code 1/share} of the measuring time. */
    Result measure(int clients, IntFunction<Call> callOfClient, int share) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        runFor(clients, callOfClient, measure.dividedBy(share), recorder, requests, errors);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(clients, requests.get(), errors.get(), seconds, recorder.getIntervalHistogram());
    }

    private void runFor(int clients, IntFunction<Call> callOfClient, Duration duration, Recorder recorder, AtomicLong requests, AtomicLong errors)
            throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Call call = callOfClient.apply(i);
            threads.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                while (System.nanoTime() < deadline && requests.get() < maxRequests) {
                    long begin = System.nanoTime();
                    try {
                        call.run();
                        if (recorder != null) {
                            recorder.recordValue(System.nanoTime() - begin);
                        }
                        requests.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        if (errors.get() > 1000) {
                            return;
                        }
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
