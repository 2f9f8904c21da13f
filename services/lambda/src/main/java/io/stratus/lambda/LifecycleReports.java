package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.lambda.RuntimeApiServer.Event;
import io.stratus.lambda.RuntimeApiServer.Outcome;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * What the platform tells of one environment's life beyond each invocation's START, END and REPORT
 * lines: the end of its initialization (an {@code INIT_REPORT} line in its log when it failed), and
 * to its extensions, each invocation as the runtime takes it ({@code INVOKE}) and, to those that
 * subscribed to telemetry ({@link TelemetryApi}), the initialization's end and each invocation's
 * start and end.
 *
 * <p>Thread-safe: an invocation is taken on the Runtime API connection's thread, ended on another.
 */
final class LifecycleReports {

    private final String version;
    private final SystemLog systemLog;
    private final FunctionLog log;
    private final ExtensionsApi extensions;
    private final long startedNanos;
    /** Whether the end of the initialization was told (once). */
    private volatile boolean initEnded;

    /** @param startedNanos when the environment began to start ({@link System#nanoTime()}) */
    LifecycleReports(String version, SystemLog systemLog, FunctionLog log, ExtensionsApi extensions, long startedNanos) {
        this.version = requireNonNull(version, "version is null");
        this.systemLog = requireNonNull(systemLog, "systemLog is null");
        this.log = requireNonNull(log, "log is null");
        this.extensions = requireNonNull(extensions, "extensions is null");
        this.startedNanos = startedNanos;
    }

    /** Whether an invocation's taking needs telling ({@link #taking}): to extensions, or while the initialization may still end with it. */
    boolean told(boolean initialized) {
        return extensions.any() || !initialized || extensions.telemetry().active();
    }

    /** The runtime takes an event (it has not got it yet): its initialization ended well, then the invocation starts. */
    void taking(Event event) {
        TelemetryApi telemetry = extensions.telemetry();
        if (telemetry.active()) {
            initEnded("success", null, System.nanoTime(), line -> false);
            telemetry.start(event.requestId(), version, event.traceId());
        }
        if (extensions.any()) {
            extensions.invoke(event);
        }
    }

    /**
     * The initialization ended (told once): a failed one is reported in the log ({@code INIT_REPORT}),
     * right before the START line {@code start} recognizes when there is one; extensions that
     * subscribed to telemetry are told, and subscribing ends.
     *
     * @param status {@code success}, {@code error} or {@code timeout}
     * @param errorType why it failed, or null
     */
    void initEnded(String status, String errorType, long endedNanos, Predicate<String> start) {
        if (initEnded) {
            return;
        }
        initEnded = true;
        TelemetryApi telemetry = extensions.telemetry();
        long initNanos = Math.max(0, endedNanos - startedNanos);
        String report = status.equals("success") ? null : systemLog.initReport(telemetry.initializationType(), initNanos, status, errorType);
        if (report != null) {
            log.appendBeforeHeld(report, start);
        }
        telemetry.initDone(status, errorType, initNanos, extensions.registrations());
        telemetry.closeSubscriptions();
    }

    /** An invocation that never reached the runtime starts, for telemetry, once its initialization failed. */
    void startedWithoutRuntime(Event event) {
        extensions.telemetry().start(event.requestId(), version, event.traceId());
    }

    /**
     * An invocation ended, as its REPORT says: to telemetry, how the runtime was done with it
     * ({@code platform.runtimeDone}: the report's status, else {@code error} with the function's
     * error type when it answered with an error) and the report.
     */
    void invocationEnded(SystemLog.Report report, String functionError, CompletableFuture<Outcome> answer, long producedBytes) {
        TelemetryApi telemetry = extensions.telemetry();
        if (!telemetry.active()) {
            return;
        }
        String reported = report.errorType() != null ? report.errorType()
                : functionError != null && answer.isDone() && answer.join() instanceof Outcome.Error error ? error.errorType() : null;
        String status = report.status() != null ? report.status() : functionError != null ? "error" : "success";
        telemetry.invocationDone(report, status, reported, producedBytes);
    }
}
