package io.stratus.lambda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one execution environment: every line its process writes to stdout or stderr, plus the
 * platform's START/END/REPORT lines, gathered per invocation so Invoke can return the tail
 * ({@code LogType: Tail}). CloudWatch Logs will read the same lines once it exists.
 *
 * <p>The runtimes write an end marker after an invocation's output; {@link #awaitEnd} waits for it
 * so lines the function wrote just before answering are not lost to the pipe's delay.
 *
 * <p>Thread-safe: one reader thread appends, the invoking thread takes.
 */
final class FunctionLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.stratus.lambda.function");
    private static final String END_MARKER = "\u001fstratus-invocation-end ";
    /** What one invocation's log keeps; Tail needs only 4 KB, CloudWatch will stream instead. */
    private static final int MAX_CHARS = 256 * 1024;

    private final String functionName;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ended = lock.newCondition();
    private final StringBuilder lines = new StringBuilder();
    private String lastEndedRequestId;

    FunctionLog(String functionName) {
        this.functionName = functionName;
    }

    /** Reads the process's output until it closes, on a virtual thread of its own. */
    void follow(InputStream output) {
        Thread.ofVirtual().name("lambda-log-" + functionName).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    int marker = line.indexOf(END_MARKER);
                    if (marker >= 0) {
                        if (marker > 0) {
                            append(line.substring(0, marker));
                        }
                        markEnd(line.substring(marker + END_MARKER.length()).strip());
                    } else {
                        append(line);
                    }
                }
            } catch (IOException e) {
                // The process is gone; nothing more to read.
            }
        });
    }

    void append(String line) {
        LOG.debug("{}: {}", functionName, line);
        lock.lock();
        try {
            lines.append(line).append('\n');
            if (lines.length() > MAX_CHARS) {
                lines.delete(0, lines.length() - MAX_CHARS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void markEnd(String requestId) {
        lock.lock();
        try {
            lastEndedRequestId = requestId;
            ended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits, at most {@code timeout}, until the runtime marked the end of this invocation's output. */
    void awaitEnd(String requestId, Duration timeout) {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!requestId.equals(lastEndedRequestId) && remaining > 0) {
                remaining = ended.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Returns what was logged since the last take, and starts afresh. */
    String take() {
        lock.lock();
        try {
            String text = lines.toString();
            lines.setLength(0);
            return text;
        } finally {
            lock.unlock();
        }
    }
}
