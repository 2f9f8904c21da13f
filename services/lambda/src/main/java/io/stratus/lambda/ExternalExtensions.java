package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The external extensions of one execution environment: the executables of its layers'
 * {@code extensions/} directory, each a process of its own, started before the runtime as AWS starts
 * them (the {@code Extension init} phase: each must register with the {@link ExtensionsApi} under
 * its file name before the runtime starts), their output in the function's log, stopped with the
 * environment after their {@code SHUTDOWN} event. An extension that exits or does not register in
 * time fails the environment's initialization ({@code Extension.Crash}, {@code Sandbox.Timedout});
 * one that exits later fails the environment, which is then not used again.
 *
 * <p>Thread-safe: immutable once started.
 */
final class ExternalExtensions {

    /** None: most functions have no extensions. */
    static final ExternalExtensions NONE = new ExternalExtensions(List.of(), List.of());
    /** How long extensions registered for {@code SHUTDOWN} get to finish once it is sent, as on AWS. */
    static final long SHUTDOWN_MILLIS = 2_000;

    /** Starts one extension's process. */
    @FunctionalInterface
    interface Launcher {
        Process start(Path executable) throws IOException;
    }

    private final List<String> names;
    private final List<Process> processes;

    private ExternalExtensions(List<String> names, List<Process> processes) {
        this.names = List.copyOf(names);
        this.processes = List.copyOf(processes);
    }

    /**
     * Starts the extensions, their output followed into {@code log}, and waits until each registered
     * with {@code api}, exited, or {@code deadlineNanos} passed; those that did not register fail
     * {@code api}. Nothing started survives a failure to start one.
     */
    static ExternalExtensions start(List<Path> executables, Launcher launcher, ExtensionsApi api, FunctionLog log, long deadlineNanos)
            throws IOException {
        requireNonNull(api, "api is null");
        if (executables.isEmpty()) {
            return NONE;
        }
        List<String> names = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        try {
            for (Path executable : executables) {
                Process process = launcher.start(executable);
                processes.add(process);
                names.add(executable.getFileName().toString());
                process.getOutputStream().close();
                log.followExtension(process.getInputStream());
            }
        } catch (IOException | RuntimeException e) {
            processes.forEach(RuntimeLaunch::kill);
            throw e;
        }
        ExternalExtensions started = new ExternalExtensions(names, processes);
        started.awaitRegistered(api, deadlineNanos);
        return started;
    }

    private void awaitRegistered(ExtensionsApi api, long deadlineNanos) {
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Process process = processes.get(i);
            while (!api.registered(name) && process.isAlive() && System.nanoTime() - deadlineNanos < 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
            if (!api.registered(name)) {
                api.fail(name, process.isAlive() ? "Sandbox.Timedout" : "Extension.Crash");
                return;
            }
        }
    }

    /** Their processes. */
    List<Process> processes() {
        return processes;
    }

    /** Completes when one of them exits. */
    CompletableFuture<Object> anyExit() {
        return processes.isEmpty() ? new CompletableFuture<>()
                : CompletableFuture.anyOf(processes.stream().map(Process::onExit).toArray(CompletableFuture[]::new));
    }

    /** The name of an extension that exited, or null. */
    String exited() {
        for (int i = 0; i < processes.size(); i++) {
            if (!processes.get(i).isAlive()) {
                return names.get(i);
            }
        }
        return null;
    }

    /** Kills them and what they started (see {@link RuntimeLaunch#kill}). */
    void kill() {
        processes.forEach(RuntimeLaunch::kill);
    }
}
