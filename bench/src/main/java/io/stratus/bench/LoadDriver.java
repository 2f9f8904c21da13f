package io.stratus.bench;

import static java.util.Objects.requireNonNull;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
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
        runFor(clients, callOfClient, warmup, new Recorder(3), new AtomicLong(), new AtomicLong());
    }

    /** How a {@link #warmUpTogether} ended: its length, and the share of its last cycle the JIT spent compiling. */
    record WarmUp(Duration length, int cycles, double compilingShare) {}

    /**
     * Warms up calls that are then measured in alternation, in cycles of the same alternation (each call
     * for the warm-up time), until the JIT has settled: until compiling took under 5 % of a cycle, at
     * most {@code maxCycles}. One warm-up per call, one after the other, is not enough where the server
     * runs in this JVM beside busy processes: its compiler threads get little of the cores, and a path
     * still being compiled is measured as the server's cost. Needs the JVM's compilation time (HotSpot
     * has it); without it, runs one cycle.
     */
    WarmUp warmUpTogether(int clients, List<IntFunction<Call>> calls, int maxCycles) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long begin = System.nanoTime();
        double share = Double.NaN;
        int cycles = 0;
        while (cycles < maxCycles) {
            long compiledBefore = timed ? jit.getTotalCompilationTime() : 0;
            long cycleBegin = System.nanoTime();
            for (IntFunction<Call> call : calls) {
                warmUp(clients, call);
            }
            cycles++;
            if (!timed) {
                break;
            }
            long cycleMillis = Math.max(1, (System.nanoTime() - cycleBegin) / 1_000_000);
            share = (double) (jit.getTotalCompilationTime() - compiledBefore) / cycleMillis;
            if (share < 0.05) {
                break;
            }
        }
        return new WarmUp(Duration.ofNanos(System.nanoTime() - begin), cycles, share);
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
                        recorder.recordValue(System.nanoTime() - begin);
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
