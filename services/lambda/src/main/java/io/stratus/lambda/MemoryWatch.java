package io.stratus.lambda;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces functions' memory as AWS's sandboxes do: the resident memory of a runtime process and
 * everything it started (and its environment's extensions), read from Linux's {@code /proc}, may not pass the function's
 * {@code MemorySize}; when it does, the watch reports it (and the environment kills the runtime, as
 * the kernel's OOM killer does on AWS). It also remembers each process tree's peak, for the
 * {@code REPORT} line's {@code Max Memory Used}. Runtimes also get limits of their own where they
 * have them (the JVM's heap, Node.js's old space, a data-size limit for Python and {@code provided}),
 * which fail faster than sampling can; this is what catches the rest (native memory, children).
 *
 * <p>One daemon thread samples every watched process: those in an invocation every
 * {@value #BUSY_PERIOD_MILLIS} ms — less often when more than {@value #BUSY_SAMPLES_PER_SECOND} samples
 * a second would be due, so that a burst of environments does not spend a core on reading
 * {@code /proc} — and idle ones every {@value #IDLE_PERIOD_MILLIS} ms (AWS freezes an idle
 * environment; here it may run timers, which rarely move its memory). Where there is no
 * {@code /proc} (not Linux) nothing is enforced. Thread-safe.
 */
final class MemoryWatch {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryWatch.class);
    static final long BUSY_PERIOD_MILLIS = 20;
    /** At most this many samples of busy runtimes a second, spread over them (a sample reads a file or more). */
    static final long BUSY_SAMPLES_PER_SECOND = 1000;
    static final long IDLE_PERIOD_MILLIS = 1000;
    /** How often a process tree's membership is looked up again (walking /proc costs more than reading a few files). */
    private static final long DESCENDANTS_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final boolean SUPPORTED = Files.isReadable(Path.of("/proc/self/status"));
    private static final long PAGE_BYTES = SUPPORTED ? pageBytes() : 4096;

    static final MemoryWatch SHARED = new MemoryWatch();

    /**
     * One watched runtime.
     *
     * <p>{@link #exceeded} completes, on the watch's thread (dependent stages must not block it),
     * with the resident bytes seen when the tree passed its limit.
     */
    /** A REPORT line's Max Memory Used is read again after an invocation of at least this long ... */
    private static final long PEAK_REREAD_DURATION_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** ... or when the last reading is this old. */
    private static final long PEAK_REREAD_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    static final class Watched {
        private final long pid;
        private final long limitBytes;
        private final CompletableFuture<Long> exceeded = new CompletableFuture<>();
        private volatile boolean busy;
        private volatile long peakBytes;
        private long lastSampleNanos;
        private List<Long> descendants = List.of();
        /** The runtime's {@code /proc/<pid>/statm}, kept open (a read is then one system call); null until the first sample. */
        private volatile FileChannel statm;
        private volatile boolean gone;

        /** The runtime's peak resident memory ({@code VmHWM}) as last read, in kB, and when (see {@link #maxUsedMb}). */
        private long peakKb;
        private long peakReadNanos;

        /** Processes whose trees count with the runtime's (its environment's extensions), by pid. */
        private final List<Long> companions;

        private Watched(long pid, List<Long> companions, long limitBytes) {
            this.pid = pid;
            this.companions = List.copyOf(companions);
            this.limitBytes = limitBytes;
        }

        CompletableFuture<Long> exceeded() {
            return exceeded;
        }

        /** Whether an invocation runs: then it is sampled often. */
        void busy(boolean busy) {
            this.busy = busy;
            // Only a watch asleep for an idle period needs waking: one that samples busy runtimes
            // comes round within BUSY_PERIOD_MILLIS anyway (and waking it per invocation costs a
            // context switch each).
            if (busy && SHARED.dozing) {
                LockSupport.unpark(SHARED.thread);
            }
        }

        /** The largest resident memory of the tree seen so far, in bytes. */
        long peakBytes() {
            return peakBytes;
        }

        /**
         * What a REPORT line says of an invocation's Max Memory Used: the peak resident memory of
         * the runtime process (its {@code VmHWM}, from Linux's {@code /proc}) or of it and what it
         * started together, as this watch saw it, whichever is larger; 0 where unknown. Called by
         * one invocation's end at a time.
         */
        long maxUsedMb(long durationNanos) {
            long now = System.nanoTime();
            // Reading /proc costs three system calls: a quick invocation reuses the last reading (from
            // at most a second ago), as it could not have touched enough memory to move it.
            if (durationNanos >= PEAK_REREAD_DURATION_NANOS || now - peakReadNanos >= PEAK_REREAD_PERIOD_NANOS || peakReadNanos == 0) {
                peakKb = Math.max(peakKb, statusKb(pid, "VmHWM:"));
                peakReadNanos = now;
            }
            return Math.max(peakKb, peakBytes / 1024) / 1024;
        }
    }

    private final Map<Watched, Boolean> watched = new ConcurrentHashMap<>();
    /** The watch thread's own. */
    private final ProcessTable processes = new ProcessTable();
    private volatile Thread thread;
    /** When the watch thread last walked the process table; its own. */
    private long walkedNanos;
    /** How many runtimes were busy at the watch thread's last pass; its own. */
    private int busyCount;
    /** Whether the watch thread sleeps (or is about to) for an idle period; see {@link Watched#busy}. */
    private volatile boolean dozing;

    private MemoryWatch() {}

    /** Watches a runtime process (and what it starts) against a limit until it exits. */
    Watched watch(Process process, long limitBytes) {
        return watch(process, List.of(), limitBytes);
    }

    /**
     * Watches a runtime process and {@code companions} (its environment's extensions, which share
     * the function's memory on AWS), with all they start, against one limit until the runtime exits.
     */
    Watched watch(Process process, List<Process> companions, long limitBytes) {
        Watched entry = new Watched(process.pid(), companions.stream().map(Process::pid).toList(), limitBytes);
        if (!SUPPORTED) {
            return entry;
        }
        watched.put(entry, Boolean.TRUE);
        process.onExit().thenRun(() -> {
            watched.remove(entry);
            entry.gone = true;
            closeStatm(entry);
        });
        startIfNeeded();
        return entry;
    }

    private synchronized void startIfNeeded() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("lambda-memory-watch").start(this::run);
        }
    }

    private void run() {
        while (true) {
            long now = System.nanoTime();
            // Every busy runtime sampled once per this, by the last pass's count of them.
            long busyPeriodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(BUSY_PERIOD_MILLIS),
                    busyCount * TimeUnit.SECONDS.toNanos(1) / BUSY_SAMPLES_PER_SECOND);
            boolean anyBusy = false;
            int busy = 0;
            // One walk of the process table (a file read per process on the machine) looks up every
            // tree's members at once, at most once a period, however many trees there are.
            Map<Long, List<Long>> children = null;
            if (now - walkedNanos >= DESCENDANTS_PERIOD_NANOS) {
                walkedNanos = now;
                children = processes.childrenByParent();
            }
            for (Watched entry : watched.keySet()) {
                boolean entryBusy = entry.busy;
                anyBusy |= entryBusy;
                busy += entryBusy ? 1 : 0;
                if (children != null) {
                    entry.descendants = members(entry, children);
                }
                long period = entryBusy ? busyPeriodNanos : TimeUnit.MILLISECONDS.toNanos(IDLE_PERIOD_MILLIS);
                // A runtime that exited reads as no memory (and its entry goes): no liveness check per sample.
                if (now - entry.lastSampleNanos >= period && !entry.exceeded.isDone() && !entry.gone) {
                    entry.lastSampleNanos = now;
                    try {
                        sample(entry);
                    } catch (RuntimeException e) {
                        LOG.debug("Cannot sample the memory of process {}: {}", entry.pid, e.toString());
                    }
                }
            }
            busyCount = busy;
            if (!anyBusy) {
                // Announced before looking again (busy() sets its flag before reading this one), so
                // a runtime that became busy meanwhile is either seen here or wakes this thread.
                dozing = true;
                for (Watched entry : watched.keySet()) {
                    anyBusy |= entry.busy;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(anyBusy ? BUSY_PERIOD_MILLIS : IDLE_PERIOD_MILLIS));
            dozing = false;
        }
    }

    /** What counts with a runtime besides itself: its descendants, its companions and theirs. */
    private static List<Long> members(Watched entry, Map<Long, List<Long>> children) {
        if (entry.companions.isEmpty()) {
            return ProcessTable.descendants(entry.pid, children);
        }
        List<Long> members = new java.util.ArrayList<>(ProcessTable.descendants(entry.pid, children));
        for (long companion : entry.companions) {
            // One gone reads as no memory.
            members.add(companion);
            members.addAll(ProcessTable.descendants(companion, children));
        }
        return members;
    }

    private static void sample(Watched entry) {
        long total = residentBytes(entry);
        for (long member : entry.descendants) {
            total += residentBytes(member);
        }
        if (total > entry.peakBytes) {
            entry.peakBytes = total;
        }
        if (total > entry.limitBytes) {
            entry.exceeded.complete(total);
        }
    }

    /**
     * A process's resident memory ({@code VmRSS}), in bytes; 0 when it is gone. Read from
     * {@code /proc/<pid>/statm}, which the kernel makes far more cheaply than {@code status}.
     */
    static long residentBytes(long pid) {
        try (FileChannel statm = FileChannel.open(Path.of("/proc", Long.toString(pid), "statm"))) {
            return residentBytes(statm);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The watched runtime's resident memory, read through its statm file kept open; 0 when it is gone. */
    private static long residentBytes(Watched entry) {
        try {
            if (entry.statm == null) {
                entry.statm = FileChannel.open(Path.of("/proc", Long.toString(entry.pid), "statm"));
                if (entry.gone) {
                    // Exited while this opened it: closed here, as the exit's close found nothing to close.
                    closeStatm(entry);
                    return 0;
                }
            }
            return residentBytes(entry.statm);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** {@code statm}'s second field, resident pages, in bytes. */
    private static long residentBytes(FileChannel statm) throws IOException {
        // Seven numbers on one line: one read from the start has them all (the kernel makes the file
        // anew on every read at offset 0).
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(160);
        statm.read(buffer, 0);
        int at = 0;
        int limit = buffer.position();
        while (at < limit && buffer.get(at) != ' ') {
            at++;
        }
        long pages = 0;
        for (at++; at < limit && buffer.get(at) >= '0' && buffer.get(at) <= '9'; at++) {
            pages = pages * 10 + (buffer.get(at) - '0');
        }
        return pages * PAGE_BYTES;
    }

    private static void closeStatm(Watched entry) {
        FileChannel statm = entry.statm;
        if (statm != null) {
            try {
                statm.close();
            } catch (IOException e) {
                // Closed regardless.
            }
        }
    }

    /** The kernel's page size, which statm counts in: the first mapping's, from {@code /proc/self/smaps}; 4 KiB where unknown. */
    private static long pageBytes() {
        try (var lines = Files.lines(Path.of("/proc/self/smaps"), StandardCharsets.ISO_8859_1)) {
            return lines.filter(line -> line.startsWith("KernelPageSize:")).findFirst()
                    .map(line -> Long.parseLong(line.substring("KernelPageSize:".length()).replace("kB", "").trim()) * 1024).orElse(4096L);
        } catch (IOException | RuntimeException e) {
            return 4096;
        }
    }

    /** A {@code kB} value of {@code /proc/<pid>/status}; 0 when the process or the line is missing. */
    static long statusKb(long pid, String field) {
        try {
            String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.ISO_8859_1);
            int at = status.indexOf(field);
            if (at < 0) {
                return 0;
            }
            long kb = 0;
            for (int i = at + field.length(); i < status.length() && status.charAt(i) != '\n'; i++) {
                char c = status.charAt(i);
                if (c >= '0' && c <= '9') {
                    kb = kb * 10 + (c - '0');
                }
            }
            return kb;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
