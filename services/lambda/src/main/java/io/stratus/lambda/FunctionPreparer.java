package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes new and updated functions ready in the background, as AWS does between CreateFunction
 * ({@code State: Pending}) and {@code Active}, and between an update ({@code LastUpdateStatus:
 * InProgress}) and {@code Successful}: extracts the code into its task root and the layers into its
 * {@code /opt}, then records the outcome. The state is in the store, so a function a stop caught
 * preparing is prepared again when Stratus starts ({@link #resume}) and ends {@code Active} or
 * {@code Failed}. Until an update is {@code Successful}, invocations run the code and configuration
 * before it ({@link FunctionRecord#running}); once it is, environments of those retire.
 *
 * <p>Thread-safe: each preparation runs on a virtual thread of its own; two of the same function
 * at once are harmless (extraction is idempotent, and an outcome is recorded only while the record
 * is the revision that was prepared and still preparing).
 */
final class FunctionPreparer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionPreparer.class);

    private final FunctionStore functions;
    private final CodeStore code;
    private final Consumer<FunctionRecord> updated;
    private volatile boolean closed;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("lambda-prepare-", 0).factory());

    /** @param updated told of each {@code $LATEST} whose update became {@code Successful}, so environments of the code before it retire */
    FunctionPreparer(FunctionStore functions, CodeStore code, Consumer<FunctionRecord> updated) {
        this.functions = requireNonNull(functions, "functions is null");
        this.code = requireNonNull(code, "code is null");
        this.updated = requireNonNull(updated, "updated is null");
    }

    /** Prepares, in the background, every version of the function that is still preparing. */
    void prepare(String accountId, String region, String name) {
        try {
            executor.execute(() -> {
                try {
                    run(accountId, region, name);
                } catch (RuntimeException e) {
                    // Stopping, or the store failed: the next start prepares it again.
                    LOG.warn("Could not prepare function {}: {}", name, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // Stopping: the next start resumes it.
        }
    }

    /** Prepares the functions a previous run left preparing. Call it on start. */
    void resume() {
        Set<List<String>> preparing = new LinkedHashSet<>();
        for (FunctionRecord function : functions.everything()) {
            if (function.preparing()) {
                preparing.add(List.of(function.accountId(), function.region(), function.name()));
            }
        }
        preparing.forEach(f -> prepare(f.get(0), f.get(1), f.get(2)));
    }

    private void run(String accountId, String region, String name) {
        // Published versions first: once $LATEST is ready, so are the versions published with it.
        for (FunctionRecord version : functions.versions(accountId, region, name, 0, Integer.MAX_VALUE)) {
            if (version.preparing() && !closed) {
                String outcome = ready(version);
                if (!closed) {
                    functions.updateVersion(accountId, region, name, Long.parseLong(version.version()), f -> settle(f, version, outcome));
                }
            }
        }
        functions.get(accountId, region, name).filter(FunctionRecord::preparing).ifPresent(latest -> {
            String outcome = ready(latest);
            // A stop interrupts extraction: that is no failure of the function, the next start prepares it again.
            if (!closed) {
                AtomicBoolean succeeded = new AtomicBoolean();
                functions.update(accountId, region, name, f -> {
                    FunctionRecord settled = settle(f, latest, outcome);
                    succeeded.set(settled != f && f.previous() != null && settled.previous() == null);
                    // A completed update gets a revision of its own (see FunctionRecord.revised).
                    return succeeded.get() ? settled.revised() : settled;
                }).filter(f -> succeeded.get()).ifPresent(f -> {
                    updated.accept(f);
                    // The code before the update, once no invocation or environment holds it.
                    code.sweep(accountId, region, name);
                });
            }
        });
    }

    /** Extracts a version's code and layers; null when they are ready, else why not. */
    private String ready(FunctionRecord function) {
        try (CodeStore.Reference reference = code.reference(function)) {
            reference.taskRoot();
            reference.optDir();
            return null;
        } catch (RuntimeException e) {
            LOG.warn("Could not prepare the code of function {}", function.name(), e);
            return "Stratus could not extract the function's code or layers: " + e.getMessage();
        }
    }

    /** The record with the outcome, if it is still the revision that was prepared and still preparing. */
    private static FunctionRecord settle(FunctionRecord current, FunctionRecord prepared, String failure) {
        if (!current.revisionId().equals(prepared.revisionId()) || !current.preparing()) {
            return current;
        }
        return failure == null ? current.ready() : current.failed(failure);
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
