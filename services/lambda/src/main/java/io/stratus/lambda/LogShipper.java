package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.spi.Logs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one execution environment's log lines to its CloudWatch Logs stream, in the background: a
 * failure costs the lines, never the invocation. Lines that pile up while a write is under way go
 * in the next one, in order.
 *
 * <p>Thread-safe.
 */
final class LogShipper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogShipper.class);
    /** The most lines one write to CloudWatch Logs carries (AWS's PutLogEvents takes 10,000 a batch). */
    private static final int MAX_SHIPPED_LINES = 10_000;
    /**
     * How long lines wait for the next ones before they are written: one write then carries many
     * invocations' lines of a busy environment (CloudWatch Logs shows lines later than this on AWS).
     */
    private static final long SHIP_LINGER_MILLIS = 250;

    private final Logs logs;
    private final FunctionRecord function;
    private final String logStream;
    private final ExecutorService shipper = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("lambda-logs-", 0).factory());
    /** Lines waiting to be written, oldest first; guards {@link #shipping} and {@link #closing}. */
    private final List<Logs.Event> unshipped = new ArrayList<>();
    /** Whether a drain is running (it takes lines added meanwhile). */
    private boolean shipping;
    private boolean closing;

    LogShipper(Logs logs, FunctionRecord function, String logStream) {
        this.logs = requireNonNull(logs, "logs is null");
        this.function = requireNonNull(function, "function is null");
        this.logStream = requireNonNull(logStream, "logStream is null");
    }

    /** Hands lines over to be written. */
    void ship(List<Logs.Event> lines) {
        if (lines.isEmpty()) {
            return;
        }
        synchronized (unshipped) {
            unshipped.addAll(lines);
            if (shipping) {
                // The running drain takes these too.
                return;
            }
            shipping = true;
        }
        try {
            shipper.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: the environment's last lines were shipped by close.
            synchronized (unshipped) {
                unshipped.clear();
                shipping = false;
            }
        }
    }

    /**
     * Writes what is waiting until nothing is, at most {@link #MAX_SHIPPED_LINES} lines a write,
     * having first waited {@link #SHIP_LINGER_MILLIS} (unless closing) so that the lines of the
     * invocations meanwhile go in the same write.
     */
    private void drain() {
        synchronized (unshipped) {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHIP_LINGER_MILLIS);
            for (long left = SHIP_LINGER_MILLIS; left > 0 && !closing; left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())) {
                try {
                    unshipped.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        while (true) {
            List<Logs.Event> lines;
            synchronized (unshipped) {
                if (unshipped.isEmpty()) {
                    shipping = false;
                    return;
                }
                int count = Math.min(unshipped.size(), MAX_SHIPPED_LINES);
                List<Logs.Event> head = unshipped.subList(0, count);
                lines = List.copyOf(head);
                head.clear();
            }
            try {
                logs.append(function.accountId(), function.region(), function.logGroupName(), logStream, lines);
            } catch (RuntimeException e) {
                LOG.warn("Could not write {} log lines of {} to CloudWatch Logs: {}", lines.size(), function.name(), e.toString());
            }
        }
    }

    /** Writes what is waiting at once (a lingering drain stops waiting), and waits up to 2 s for it. */
    @Override
    public void close() {
        synchronized (unshipped) {
            closing = true;
            unshipped.notifyAll();
        }
        shipper.shutdown();
        try {
            // The last lines reach CloudWatch Logs before Stratus, stopping, closes its store.
            shipper.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
