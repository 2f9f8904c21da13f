package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.spi.Logs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one execution environment: every line its process writes to stdout or stderr, plus the
 * platform's START/END/REPORT lines, gathered per invocation so Invoke can return the tail
 * ({@code LogType: Tail}) and ship them to CloudWatch Logs, each line stamped with when it was read.
 *
 * <p>The runtimes write an end marker after an invocation's output; {@link #awaitEnd} waits for it
 * so lines the function wrote just before answering are not lost to the pipe's delay. A line is an
 * event, except that Stratus's bootstraps write one log record (of several lines) as one line, its
 * line breaks as {@code U+001E}.
 *
 * <p>Lines are cut at {@link #MAX_LINE_BYTES}, and an invocation keeps only its latest
 * {@link #MAX_KEPT_CHARS}, so a function printing without end costs bounded memory and time.
 *
 * <p>Thread-safe: reader threads (the runtime's, its extensions') append, the invoking thread takes.
 */
final class FunctionLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.stratus.lambda.function");
    private static final String END_MARKER = "\u001fstratus-invocation-end ";
    /** Marks the end of a runtime's initialization: what it wrote before belongs before the first invocation's START. */
    private static final String INIT_MARKER = "\u001fstratus-init-end";
    /**
     * Stands for a line break inside one log event in Stratus's bootstraps' output: a log record
     * (Python's {@code logging}, Node.js's {@code console}) is one event, as AWS's runtimes make it.
     */
    private static final char EVENT_LINE_BREAK = '\u001e';
    /** CloudWatch Logs' limit on one event: the rest of a longer line is dropped. */
    static final int MAX_LINE_BYTES = 256 * 1024;
    /** What one invocation's log keeps, its latest lines; Tail needs only 4 KB, CloudWatch will stream instead. */
    static final int MAX_KEPT_CHARS = 1024 * 1024;
    /** How many of the lines a log level left out {@link #mentions} still looks at. */
    private static final int MAX_DROPPED = 16;

    /** The reader thread's stack: it splits lines and nothing deeper. */
    private static final long READER_STACK_BYTES = 256 * 1024;

    private final String functionName;
    private final Clock clock;
    /** Which of the process's own lines reach the log (see {@link SystemLog#keeps}); the platform's lines always do. */
    private final Predicate<String> keeps;
    private final TelemetryApi telemetry;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ended = lock.newCondition();
    /** The latest lines, oldest first, dropped from the front beyond {@link #MAX_KEPT_CHARS}. */
    private final ArrayDeque<Logs.Event> lines = new ArrayDeque<>();
    private long keptChars;
    /** The latest lines the filter dropped since the last take, at most {@link #MAX_DROPPED}: {@link #mentions} still sees them. */
    private final ArrayDeque<String> dropped = new ArrayDeque<>();
    private String lastEndedRequestId;
    /** Whether the runtime marked the end of its initialization: set by the reader thread (which reads it unlocked), under the lock. */
    private boolean initEnded;
    /** A line waiting for the end of the initialization (see {@link #appendAfterInit}), or null. */
    private String afterInit;
    private final CountDownLatch finished = new CountDownLatch(1);

    FunctionLog(String functionName, Clock clock) {
        this(functionName, clock, line -> true);
    }

    FunctionLog(String functionName, Clock clock, Predicate<String> keeps) {
        this(functionName, clock, keeps, null);
    }

    /** @param telemetry where the function's and the extensions' lines also go (to extensions that subscribed), or null */
    FunctionLog(String functionName, Clock clock, Predicate<String> keeps, TelemetryApi telemetry) {
        this.functionName = requireNonNull(functionName, "functionName is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.keeps = requireNonNull(keeps, "keeps is null");
        this.telemetry = telemetry;
    }

    /**
     * Reads the process's output until it closes, on a platform thread of its own: a pipe read
     * blocks its thread in the kernel, which a virtual thread would pin (and its carrier be
     * replaced) on every read; a platform thread is woken by the kernel alone.
     */
    void follow(InputStream output) {
        Thread.ofPlatform().daemon().name("lambda-log-" + functionName).stackSize(READER_STACK_BYTES).start(() -> read(output, true));
    }

    /**
     * Reads an extension's output until it closes, as {@link #follow} does the runtime's: its lines
     * join the log as they come (in the invocation running then), with no markers of their own.
     */
    void followExtension(InputStream output) {
        Thread.ofPlatform().daemon().name("lambda-log-extension-" + functionName).stackSize(READER_STACK_BYTES).start(() -> read(output, false));
    }

    /**
     * Splits the output into lines as it comes, in chunks, holding at most one capped line. An end
     * marker past the cap of a line (output of over 256 KB written without a newline) is lost with
     * the rest of it, and {@link #awaitEnd} waits out its timeout.
     */
    private void read(InputStream output, boolean runtime) {
        byte[] chunk = new byte[8192];
        byte[] line = new byte[8192];
        int length = 0;
        try (output) {
            for (int read = output.read(chunk); read >= 0; read = output.read(chunk)) {
                int start = 0;
                for (int i = 0; i < read; i++) {
                    if (chunk[i] == '\n') {
                        line = add(line, length, chunk, start, i);
                        length = Math.min(MAX_LINE_BYTES, length + i - start);
                        line(line, length, runtime);
                        length = 0;
                        start = i + 1;
                    }
                }
                line = add(line, length, chunk, start, read);
                length = Math.min(MAX_LINE_BYTES, length + read - start);
            }
            if (length > 0) {
                line(line, length, runtime);
            }
        } catch (IOException e) {
            // The process is gone, or its output was closed; nothing more to read.
        } finally {
            if (runtime) {
                finished.countDown();
            }
        }
    }

    /** Waits, at most {@code timeout}, until the output is read to its end; whether it was. */
    boolean awaitFinished(Duration timeout) {
        try {
            return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Appends {@code chunk[from, to)} to a line of {@code length} bytes, up to the cap; returns the (maybe grown) line. */
    private static byte[] add(byte[] line, int length, byte[] chunk, int from, int to) {
        int count = Math.min(to - from, MAX_LINE_BYTES - length);
        if (count <= 0) {
            return line;
        }
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(length + count, line.length * 2)));
        }
        System.arraycopy(chunk, from, line, length, count);
        return line;
    }

    private void line(byte[] bytes, int length, boolean runtime) {
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        String line = new String(bytes, 0, length, StandardCharsets.UTF_8);
        if (!runtime) {
            appendOwn(line, false);
            return;
        }
        if (line.indexOf(EVENT_LINE_BREAK) >= 0) {
            line = line.replace(EVENT_LINE_BREAK, '\n');
        }
        int init = initEnded ? -1 : line.indexOf(INIT_MARKER);
        if (init >= 0) {
            if (init > 0) {
                appendOwn(line.substring(0, init), true);
            }
            markInitEnd();
            return;
        }
        int marker = line.indexOf(END_MARKER);
        if (marker >= 0) {
            if (marker > 0) {
                appendOwn(line.substring(0, marker), true);
            }
            markEnd(line.substring(marker + END_MARKER.length()).strip());
        } else {
            appendOwn(line, true);
        }
    }

    private void appendOwn(String line, boolean runtime) {
        if (keeps.test(line)) {
            append(line);
            if (telemetry != null && telemetry.active()) {
                telemetry.line(!runtime, line);
            }
            return;
        }
        lock.lock();
        try {
            if (dropped.size() == MAX_DROPPED) {
                dropped.removeFirst();
            }
            dropped.addLast(line);
        } finally {
            lock.unlock();
        }
    }

    /** Adds a line as one event whose message, as AWS writes each, ends with a line break. */
    void append(String line) {
        LOG.debug("{}: {}", functionName, line);
        String message = line + "\n";
        lock.lock();
        try {
            lines.addLast(new Logs.Event(clock.millis(), message));
            keptChars += message.length();
            while (keptChars > MAX_KEPT_CHARS && lines.size() > 1) {
                keptChars -= lines.removeFirst().message().length();
            }
        } finally {
            lock.unlock();
        }
    }

    private void markInitEnd() {
        lock.lock();
        try {
            initEnded = true;
            ended.signalAll();
        } finally {
            lock.unlock();
        }
        flushAfterInit();
    }

    /**
     * Waits, at most {@code timeout}, until the runtime marked the end of its initialization: one
     * that failed to load marks it after logging why, so that its error comes before the START line
     * even though its report of the error may arrive before its output is read.
     */
    void awaitInitEnd(Duration timeout) {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!initEnded && remaining > 0) {
                remaining = ended.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a line once the runtime has marked the end of its initialization, so that what the
     * function's code logs while it loads comes before it, as on AWS (where initialization is a
     * phase of its own before the first START); at once if it already has. A runtime that never
     * marks it (it failed to load) gets the line at {@link #flushAfterInit}.
     */
    void appendAfterInit(String line) {
        lock.lock();
        try {
            if (!initEnded) {
                afterInit = line;
                return;
            }
        } finally {
            lock.unlock();
        }
        append(line);
    }

    /**
     * Adds a line that belongs before the line {@link #appendAfterInit} holds (a failed
     * initialization's report before the invocation's START): ahead of it while it waits, else
     * right before the latest line {@code held} recognizes as it (at the end when none does).
     */
    void appendBeforeHeld(String line, Predicate<String> held) {
        lock.lock();
        try {
            if (afterInit == null) {
                List<Logs.Event> kept = new ArrayList<>(lines);
                for (int i = kept.size() - 1; i >= 0; i--) {
                    if (held.test(kept.get(i).message())) {
                        String message = line + "\n";
                        kept.add(i, new Logs.Event(kept.get(i).timestamp(), message));
                        lines.clear();
                        lines.addAll(kept);
                        keptChars += message.length();
                        return;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        append(line);
    }

    /** Adds the line waiting for the end of the initialization, if one is. */
    void flushAfterInit() {
        String line;
        lock.lock();
        try {
            line = afterInit;
            afterInit = null;
        } finally {
            lock.unlock();
        }
        if (line != null) {
            append(line);
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

    /** Whether a line the process wrote since the last take contains {@code text}, also one the log level left out. */
    boolean mentions(String text) {
        lock.lock();
        try {
            return lines.stream().anyMatch(line -> line.message().contains(text)) || dropped.stream().anyMatch(line -> line.contains(text));
        } finally {
            lock.unlock();
        }
    }

    /** Returns the lines logged since the last take, oldest first, and starts afresh. */
    List<Logs.Event> take() {
        lock.lock();
        try {
            List<Logs.Event> taken = List.copyOf(lines);
            lines.clear();
            dropped.clear();
            keptChars = 0;
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** The events' messages one after the other (each ends with its line break): what {@code LogType: Tail} returns the end of. */
    static String text(List<Logs.Event> lines) {
        StringBuilder text = new StringBuilder();
        for (Logs.Event line : lines) {
            text.append(line.message());
        }
        return text.toString();
    }
}
