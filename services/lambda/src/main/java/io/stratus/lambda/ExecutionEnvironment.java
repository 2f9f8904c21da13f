package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.spi.Logs;
import io.stratus.lambda.RuntimeApiServer.Event;
import io.stratus.lambda.RuntimeApiServer.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One execution environment: an OS process running the function's runtime against a Runtime API of
 * its own, in the function's task root, with a private temporary directory. It initializes once and
 * then serves one invocation at a time, warm, until it times out, fails, goes idle too long, or its
 * function changes.
 *
 * <p>Thread safety: {@link #invoke} is called by one thread at a time (the pool hands an environment
 * to one invocation at once); {@link #close} may be called from any thread, also during an invoke.
 */
final class ExecutionEnvironment implements AutoCloseable {

    /** AWS's limit on a runtime's initialization (on top of which the first invocation's timeout applies). */
    private static final long INIT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** What the machine's Node.js prints when its heap limit is reached, just before it aborts. */
    private static final String NODE_HEAP_EXHAUSTED = "JavaScript heap out of memory";
    private static final String OUT_OF_MEMORY = "Runtime.OutOfMemory";
    private static final DateTimeFormatter STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    /** When a timeout line says it happened, in milliseconds, as AWS writes it. */
    private static final DateTimeFormatter LINE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * What one invocation came to; its log's lines become text only when asked for (LogType Tail).
     *
     * @param stream the response the function streamed (also when an error ended it), or null
     */
    record Result(byte[] payload, String functionError, List<Logs.Event> lines, StreamedResponse stream) {
        String log() {
            return FunctionLog.text(lines);
        }
    }

    private final FunctionRecord function;
    private final Process process;
    /** Its layers' extensions, started before the runtime (see {@link ExtensionsApi} for all of them). */
    private final ExternalExtensions external;
    /** Whether the extensions asked for their first event (checked before the first invocation); one invocation at a time. */
    private boolean extensionsReady;
    /** Whether an invocation timed out, for the reason the SHUTDOWN event gives. */
    private volatile boolean timedOut;
    /** Its exit, asked for once: every call of {@code onExit()} adds a stage kept until the process exits. */
    private final CompletableFuture<Process> exited;
    private final RuntimeApiServer api;
    private final FunctionLog log;
    /** The lines Lambda itself adds to the log, in the function's log format. */
    private final SystemLog systemLog;
    /** Writes this environment's log lines to its stream of the function's CloudWatch log group. */
    private final LogShipper shipper;
    /** Its private {@code /tmp} and the Runtime API's socket. */
    private final EnvironmentDirectory directory;
    private final long startedNanos;
    /** Whether the runtime marks the end of each invocation's output (Stratus's bootstraps do; a zip's own does not). */
    private final boolean marksEnd;
    private final Clock clock;
    /** When the credentials the runtime was given stop working (null: never); the environment retires before. */
    private final Instant credentialsExpiry;
    private volatile long lastUsedNanos;
    private volatile boolean broken;
    /** The runtime's mount namespace, held once it initialized (null before, or where it has none; see {@link MountNamespace}). */
    private volatile MountNamespace namespace;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether a REPORT line has shown (or need not show) the initialization's duration; read and set by one invocation at a time. */
    private volatile boolean initReported;
    /** What the platform tells of the environment's life besides each invocation's lines. */
    private final LifecycleReports reports;
    /** The runtime's memory, against the function's MemorySize. */
    private final MemoryWatch.Watched memory;
    /** Completes when the runtime can answer nothing more: it reported an init error, exited, or passed its memory. */
    private final CompletableFuture<Object> trouble;

    private ExecutionEnvironment(FunctionRecord function, Process process, ExternalExtensions external, RuntimeApiServer api, FunctionLog log,
            SystemLog systemLog, Logs logs, String logStream, EnvironmentDirectory directory, long startedNanos, boolean marksEnd, Clock clock,
            Instant credentialsExpiry) {
        this.function = function;
        this.external = external;
        this.credentialsExpiry = credentialsExpiry;
        this.systemLog = systemLog;
        this.shipper = new LogShipper(logs, function, logStream);
        this.clock = clock;
        this.marksEnd = marksEnd;
        this.process = process;
        this.exited = process.onExit();
        this.api = api;
        this.log = log;
        this.directory = directory;
        this.startedNanos = startedNanos;
        this.lastUsedNanos = startedNanos;
        this.reports = new LifecycleReports(function.version(), systemLog, log, api.extensions(), startedNanos);
        // Its extensions share the function's memory, as on AWS.
        this.memory = MemoryWatch.SHARED.watch(process, external.processes(), function.memorySize() * 1024L * 1024L);
        this.trouble = CompletableFuture.anyOf(api.initError(), exited, memory.exceeded());
        // Asked once here rather than per invocation: an invocation then waits on its own future alone.
        trouble.thenRun(api::abandon);
        // An extension that exits or reports an error fails the environment (its initialization, when it had not finished).
        external.anyExit().thenRun(() -> {
            if (!closed.get()) {
                String name = external.exited();
                api.extensions().fail(name == null ? "extension" : name, "Extension.Crash");
            }
        });
        api.extensions().failure().thenRun(() -> broken = true);
        // Held while the runtime surely runs in it: should the runtime exit first, close() still finds what it left behind.
        api.initialized().thenRun(() -> {
            namespace = MountNamespace.of(process.pid());
            if (closed.get() && namespace != null) {
                namespace.close();
            }
        });
        // Past its memory the runtime is killed at once, as AWS's OOM killer does, busy or idle.
        memory.exceeded().thenRunAsync(() -> {
            broken = true;
            RuntimeLaunch.kill(process);
        }, Thread::startVirtualThread);
    }

    /** What {@code AWS_LAMBDA_INITIALIZATION_TYPE} tells a runtime: started for an invocation, or ahead of them. */
    enum Initialization {
        ON_DEMAND("on-demand"), PROVISIONED_CONCURRENCY("provisioned-concurrency");

        final String value;

        Initialization(String value) {
            this.value = value;
        }
    }

    /**
     * Starts the runtime process; it initializes while the first event is on its way.
     *
     * @param optDir the directory that plays {@code /opt} (the function's layers), or null for none
     */
    static ExecutionEnvironment start(FunctionRecord function, FunctionRuntime runtime, Path taskRoot, Path optDir, Path runtimeDir,
            LambdaSettings settings, Clock clock, Logs logs, Initialization initialization, FunctionCredentials.Issued credentials) {
        requireNonNull(function, "function is null");
        requireNonNull(logs, "logs is null");
        HexFormat hex = HexFormat.of();
        String logStream = STREAM_DATE.format(clock.instant()) + "/[" + function.version() + "]"
                + hex.toHexDigits(ThreadLocalRandom.current().nextLong()) + hex.toHexDigits(ThreadLocalRandom.current().nextLong());
        long started = System.nanoTime();
        RuntimeApiServer api = null;
        EnvironmentDirectory directory = null;
        ExternalExtensions external = ExternalExtensions.NONE;
        Process process = null;
        try {
            directory = EnvironmentDirectory.create();
            List<Path> extensions = RuntimeLaunch.extensions(optDir);
            // Extensions resolve sandbox.localdomain, where telemetry goes, to an address of the environment's own.
            String sandbox = !extensions.isEmpty() && PrivateTmp.available() ? directory.writeHosts() : "127.0.0.1";
            TelemetryApi telemetry = new TelemetryApi(function.name(), function.version(), function.logging().json(), sandbox, clock);
            api = RuntimeApiServer.start(directory.socket(), new ExtensionsApi(new ExtensionsApi.Function(function.name(), function.version(),
                    function.handler(), function.accountId()), clock, telemetry));
            SystemLog systemLog = new SystemLog(function.logging(), clock);
            FunctionLog log = new FunctionLog(function.name(), clock, systemLog::keeps, telemetry);
            String initStart = systemLog.initStart(runtime, function.region(), initialization.value, function.name(), function.version());
            if (initStart != null) {
                // First, before anything the runtime or its extensions write.
                log.append(initStart);
            }
            telemetry.initStart(initialization.value, runtime.version(), runtime.versionArn(function.region()));
            RuntimeApiServer server = api;
            EnvironmentDirectory environmentDirectory = directory;
            external = ExternalExtensions.start(extensions, executable -> RuntimeLaunch.startExtension(executable, function,
                    runtime, taskRoot, optDir, runtimeDir, settings, logStream, initialization, credentials, server, environmentDirectory),
                    api.extensions(), log, System.nanoTime() + INIT_TIMEOUT_NANOS);
            process = RuntimeLaunch.start(function, runtime, taskRoot, optDir, runtimeDir, settings, logStream, initialization, credentials, api,
                    directory);
            process.getOutputStream().close();
            log.follow(process.getInputStream());
            // Stratus's own bootstraps mark the end of each invocation's output; a zip's bootstrap and AWS's Java client do not.
            boolean marksEnd = runtime.family() == FunctionRuntime.Family.NODE || runtime.family() == FunctionRuntime.Family.PYTHON;
            return new ExecutionEnvironment(function, process, external, api, log, systemLog, logs, logStream, directory, started, marksEnd, clock,
                    credentials.expiration());
        } catch (IOException | RuntimeException e) {
            external.kill();
            if (process != null) {
                // Started, but a later step failed: nothing may keep running without an owner.
                RuntimeLaunch.kill(process);
            }
            if (api != null) {
                api.close();
            }
            if (directory != null) {
                directory.delete();
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot start the runtime of " + function.name(), io);
            }
            throw (RuntimeException) e;
        }
    }

    FunctionRecord function() {
        return function;
    }

    /**
     * Waits until the runtime has initialized (loaded the function's code and asked for its first
     * event), as provisioned concurrency does before an environment is counted: its first
     * invocation then has no cold start, and its REPORT line no {@code Init Duration} (as on AWS).
     *
     * @return null when it is ready, else why not (the init error's type, or that it exited or took too long)
     */
    String initialize() {
        String failure = awaitInitialization();
        boolean timeout = "Sandbox.Timedout".equals(failure);
        reports.initEnded(failure == null ? "success" : timeout ? "timeout" : "error", timeout ? null : failure, System.nanoTime(), line -> false);
        return failure;
    }

    private String awaitInitialization() {
        try {
            CompletableFuture.anyOf(api.initialized(), api.initError(), exited, memory.exceeded()).get(INIT_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            broken = true;
            return "Sandbox.Timedout";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broken = true;
            return "Interrupted";
        } catch (ExecutionException e) {
            broken = true;
            return e.getCause().toString();
        }
        if (api.initialized().isDone() && api.extensions().any() && !extensionsReady) {
            extensionsReady = awaitExtensions(api.extensions());
        }
        if (api.initialized().isDone() && usable()) {
            initReported = true;
            return null;
        }
        broken = true;
        if (memory.exceeded().isDone()) {
            RuntimeLaunch.kill(process);
            return OUT_OF_MEMORY;
        }
        return api.initError().isDone() ? api.initError().join().errorType() : "Runtime.ExitError";
    }

    long createdNanos() {
        return startedNanos;
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /** Whether this environment can serve another invocation (its credentials outlasting it by a margin). */
    boolean usable() {
        return !broken && process.isAlive()
                && (credentialsExpiry == null || credentialsExpiry.isAfter(clock.instant().plus(FunctionCredentials.RETIRE_BEFORE)));
    }

    /**
     * Runs one invocation to its end: the function's answer, its error, or a timeout (which stops
     * this environment, as on AWS). The calling thread waits only while the runtime initializes. The
     * invocation then ends on the thread that brings the runtime's answer (the Runtime API
     * connection's), so the caller's thread neither waits nor has to be woken for it; an invocation
     * that ends otherwise (timed out, the runtime failed or ran out of memory) ends on a virtual
     * thread of its own, since that end kills processes and waits for their output.
     *
     * @param invokedArn the ARN the caller invoked (an alias's, say), as the context reports it; null
     *     for this version's own
     * @param traceHeader the invocation's X-Ray trace header ({@code Lambda-Runtime-Trace-Id}, see {@link TraceLineage#next})
     * @param streaming told, on the Runtime API connection's thread, when the function begins to
     *     stream its response (before the invocation ends), which it then {@linkplain StreamedResponse#follow follows};
     *     null when the caller waits for the end
     */
    CompletableFuture<Result> invoke(String requestId, String invokedArn, byte[] payload, String clientContext, String traceHeader,
            Consumer<StreamedResponse> streaming) {
        long timeoutNanos = TimeUnit.SECONDS.toNanos(function.timeout());
        String start = systemLog.start(requestId, function.version());
        if (start != null && marksEnd) {
            // Stratus's bootstraps mark the end of their initialization: what the code logs while it loads goes before START.
            log.appendAfterInit(start);
        } else {
            appendSystem(start);
        }
        ExtensionsApi extensions = api.extensions();
        if (extensions.any() && !extensionsReady) {
            // As on AWS, the first event goes out once every extension finished its initialization too.
            extensionsReady = awaitExtensions(extensions);
        }
        Event event = new Event(requestId, payload, TimeUnit.NANOSECONDS.toMillis(timeoutNanos),
                invokedArn != null ? invokedArn : function.latest() ? function.arn() : function.qualifiedArn(), traceHeader, clientContext);
        // When the runtime takes it, to the extensions registered for it (the runtime's own register while it initializes) and to telemetry.
        RuntimeApiServer.Invocation invocation = api.submit(event, streaming, reports.told(api.initialized().isDone()) ? () -> reports.taking(event) : null);
        long submitted = System.nanoTime();
        memory.busy(true);
        try {
            // Initialization has a limit of its own and does not eat into the function's timeout;
            // a warm runtime is already waiting, so this returns at once.
            if (!invocation.taken().isDone()) {
                CompletableFuture.anyOf(invocation.taken(), trouble).get(INIT_TIMEOUT_NANOS + timeoutNanos, TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            return CompletableFuture.completedFuture(end(invocation, requestId, submitted, true));
        } catch (InterruptedException e) {
            memory.busy(false);
            Thread.currentThread().interrupt();
            broken = true;
            close();
            throw new IllegalStateException("Interrupted while invoking " + function.name(), e);
        } catch (ExecutionException e) {
            memory.busy(false);
            throw new IllegalStateException("Cannot invoke " + function.name(), e.getCause());
        }
        long begin = invocation.taken().isDone() ? invocation.taken().join() : submitted;
        CompletableFuture<Result> ended = new CompletableFuture<>();
        // Settles with the runtime's answer, or once the runtime can give none (see trouble), or times out.
        CompletableFuture<Void> settled = invocation.settled().copy();
        Deadlines.SHARED.watch(settled, begin + timeoutNanos);
        settled.whenComplete((ignored, timeout) -> {
            boolean timedOut = timeout != null;
            if (!timedOut && answered(invocation)) {
                end(ended, invocation, requestId, begin, false);
            } else {
                Thread.startVirtualThread(() -> end(ended, invocation, requestId, begin, timedOut));
            }
        });
        return ended;
    }

    /** Why an initialization that never took its event failed: the init error the runtime reported, running out of memory, or its exit. */
    private String initFailureType() {
        if (api.initError().isDone() && api.initError().join().errorType() != null) {
            return api.initError().join().errorType();
        }
        return memory.exceeded().isDone() ? OUT_OF_MEMORY : process.isAlive() ? "Runtime.Unknown" : "Runtime.ExitError";
    }

    /** Waits until the extensions asked for their first event; whether they did in time (else the environment failed). */
    private boolean awaitExtensions(ExtensionsApi extensions) {
        try {
            if (extensions.awaitReady(System.nanoTime() + INIT_TIMEOUT_NANOS)) {
                return true;
            }
            extensions.fail("extension", "Sandbox.Timedout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * Completes when this environment may take its next invocation: at once without extensions,
     * else once each extension asked for its next event after the last invocation's (its work after
     * the response done), as on AWS; one still busy when the function's timeout has passed again
     * fails the environment.
     */
    CompletableFuture<Void> afterInvocation() {
        ExtensionsApi extensions = api.extensions();
        if (!extensions.any() || !usable()) {
            // An environment that will not be used again (it timed out, failed) is stopped at once, its extensions with it.
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> idle = extensions.idle().copy();
        Deadlines.SHARED.watch(idle, System.nanoTime() + TimeUnit.SECONDS.toNanos(function.timeout()));
        return idle.exceptionally(timeout -> {
            broken = true;
            return null;
        });
    }

    /** Whether the runtime answered the invocation, and not with its own report of running out of memory. */
    private static boolean answered(RuntimeApiServer.Invocation invocation) {
        CompletableFuture<Outcome> answer = invocation.outcome();
        // Stratus's Python bootstrap reports a MemoryError (its data limit reached) with this type.
        return answer.isDone() && !(answer.join() instanceof Outcome.Error reported && OUT_OF_MEMORY.equals(reported.errorType()));
    }

    private void end(CompletableFuture<Result> ended, RuntimeApiServer.Invocation invocation, String requestId, long begin, boolean timedOut) {
        try {
            ended.complete(end(invocation, requestId, begin, timedOut));
        } catch (Throwable t) {
            ended.completeExceptionally(t);
        }
    }

    /** Ends an invocation that settled (or timed out): its result, its END and REPORT lines. */
    private Result end(RuntimeApiServer.Invocation invocation, String requestId, long begin, boolean timedOut) {
        if (timedOut || !answered(invocation)) {
            if (marksEnd && api.initError().isDone()) {
                // It reported its init error after logging it and marking its initialization's end; the log may lag the report.
                log.awaitInitEnd(java.time.Duration.ofMillis(200));
            }
            if (!invocation.taken().isDone()) {
                // It never took the event: its initialization failed or ran out of time, which AWS reports before START.
                // (Runtimes that do not mark their initialization's end had their START before their output: the report goes last.)
                reports.initEnded(timedOut ? "timeout" : "error", timedOut ? null : initFailureType(), System.nanoTime(), message -> marksEnd
                        && message.contains(requestId) && (message.startsWith("START ") || message.contains("\"platform.start\"")));
                reports.startedWithoutRuntime(invocation.event());
            }
            // A runtime that never finished initializing never marked it: its START goes here, after what it logged.
            log.flushAfterInit();
        }
        // A stream the runtime left unfinished (timed out, killed) ends with the invocation.
        invocation.streaming().thenAccept(StreamedResponse::end);
        CompletableFuture<Outcome> answer = invocation.outcome();
        byte[] result;
        String functionError = null;
        StreamedResponse stream = null;
        String status = null;
        String errorType = null;
        try {
            if (timedOut) {
                String message = String.format(Locale.ROOT, "Task timed out after %.2f seconds", (double) function.timeout());
                result = errorDocument("Sandbox.Timedout", "RequestId: " + requestId + " Error: " + message);
                functionError = "Unhandled";
                status = "timeout";
                broken = true;
                this.timedOut = true;
                // Killed now, not closed: closing ships the lines so far and ends the shipping, which would
                // lose this invocation's END and REPORT lines; the pool stops the environment after it.
                RuntimeLaunch.kill(process);
                appendSystem(systemLog.error(LINE_TIME.format(clock.instant()) + " " + requestId + " " + message));
            } else if (answered(invocation)) {
                Outcome outcome = answer.join();
                switch (outcome) {
                    case Outcome.Response response -> {
                        result = response.body();
                        stream = response.stream();
                    }
                    case Outcome.Error error -> {
                        result = error.body();
                        stream = error.stream();
                        functionError = "Unhandled";
                        // AWS's Java client exits after an OutOfMemoryError or the like, the Node.js bootstrap after a
                        // crash outside the handler's promise: no next invocation here.
                        if (error.exiting()
                                || FunctionRuntime.of(function.runtime()).family() == FunctionRuntime.Family.JAVA && JavaRuntimeClient.exitsAfter(error.body())) {
                            broken = true;
                        }
                    }
                }
                if (marksEnd) {
                    log.awaitEnd(requestId, java.time.Duration.ofMillis(200));
                    log.flushAfterInit();
                }
            } else if (answer.isDone() || memory.exceeded().isDone() || outOfNodeHeap()) {
                // Past its memory (a runtime's own limit reached, or the watch's), as AWS reports a sandbox its OOM killer stopped.
                result = errorDocument(OUT_OF_MEMORY, "RequestId: " + requestId + " Error: Runtime exited with error: signal: killed");
                functionError = "Unhandled";
                status = "error";
                errorType = OUT_OF_MEMORY;
                broken = true;
                // Killed now; the pool stops the environment once this invocation's lines are shipped.
                RuntimeLaunch.kill(process);
                appendSystem(systemLog.error("RequestId: " + requestId + " Error: Runtime exited with error: signal: killed"));
                appendSystem(systemLog.error(OUT_OF_MEMORY));
            } else if (api.initError().isDone()) {
                result = api.initError().join().body();
                functionError = "Unhandled";
                status = "error";
                broken = true;
            } else if (FunctionRuntime.of(function.runtime()).family() == FunctionRuntime.Family.PROVIDED && RuntimeLaunch.SETSID != null && !invocation.taken().isDone() && (process.exitValue() == 126 || process.exitValue() == 127)) {
                // setsid could not exec the zip's bootstrap (not runnable, or a bad interpreter line).
                result = errorDocument("Runtime.InvalidEntrypoint",
                        "RequestId: " + requestId + " Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]");
                functionError = "Unhandled";
                status = "error";
                broken = true;
            } else {
                // AWS's words: a clean exit gave no reason, another names its status.
                String message = "RequestId: " + requestId + " Error: " + (process.exitValue() == 0 ? "Runtime exited without providing a reason"
                        : "Runtime exited with error: exit status " + process.exitValue());
                result = errorDocument("Runtime.ExitError", message);
                functionError = "Unhandled";
                status = "error";
                errorType = "Runtime.ExitError";
                broken = true;
                appendSystem(systemLog.error(message));
                appendSystem(systemLog.error("Runtime.ExitError"));
            }
        } finally {
            memory.busy(false);
        }
        long end = System.nanoTime();
        lastUsedNanos = end;
        long durationNanos = Math.max(0, end - begin);
        long initNanos = -1;
        if (!initReported) {
            initReported = true;
            initNanos = Math.max(0, begin - startedNanos);
        }
        appendSystem(systemLog.end(requestId));
        SystemLog.Report report = new SystemLog.Report(requestId, durationNanos, function.memorySize(),
                OUT_OF_MEMORY.equals(errorType) ? function.memorySize() : memory.maxUsedMb(durationNanos), initNanos, status, errorType);
        appendSystem(systemLog.report(report));
        reports.invocationEnded(report, functionError, answer, result.length);
        List<Logs.Event> lines = log.take();
        shipper.ship(lines);
        return new Result(result, functionError, lines, stream);
    }

    /** Adds one of Lambda's own lines to the log; null (what the log format leaves out) adds nothing. */
    private void appendSystem(String line) {
        if (line != null) {
            log.append(line);
        }
    }

    /** Whether a Node.js runtime that exited said it had reached its heap limit ({@code --max-old-space-size}). */
    private boolean outOfNodeHeap() {
        if (FunctionRuntime.of(function.runtime()).family() != FunctionRuntime.Family.NODE || process.isAlive()) {
            return false;
        }
        log.awaitFinished(java.time.Duration.ofMillis(200));
        return log.mentions(NODE_HEAP_EXHAUSTED);
    }

    static final class InvalidEntrypoint extends RuntimeException {
        InvalidEntrypoint(String message) {
            super(message, null, false, false);
        }
    }

    static byte[] errorDocument(String type, String message) {
        String json = "{\"errorType\":\"" + type + "\",\"errorMessage\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** Stops the runtime process (and anything it started), its Runtime API and its temporary files. */
    @Override
    public void close() {
        // Why it stops, as the SHUTDOWN event tells extensions: timed out, failed, or no longer needed.
        String reason = timedOut ? "timeout" : broken || !process.isAlive() ? "failure" : "spindown";
        broken = true;
        if (!closed.compareAndSet(false, true)) {
            // A timed-out environment is closed at once, and again when the pool stops it.
            return;
        }
        if (api.extensions().any()) {
            try {
                // What they subscribed to goes out before they are told to stop, as on AWS.
                api.extensions().telemetry().flush(java.time.Duration.ofSeconds(1));
                api.extensions().shutdown(reason, ExternalExtensions.SHUTDOWN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        external.kill();
        MountNamespace held = namespace;
        RuntimeLaunch.kill(process, held);
        if (held != null) {
            held.close();
        }
        api.close();
        try {
            process.onExit().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Killed regardless; the directory goes below either way.
        }
        // Everything that held the output pipe is killed, so the log reader reads what is left and
        // reaches its end. Should a writer have escaped, closing our end stops the reader at its
        // next read instead of when that process exits.
        if (!log.awaitFinished(java.time.Duration.ofMillis(200))) {
            try {
                process.getInputStream().close();
            } catch (IOException e) {
                // Already closed.
            }
        }
        shipper.ship(log.take());
        shipper.close();
        directory.delete();
    }
}
