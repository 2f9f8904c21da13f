package io.stratus.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Python runtimes by forking them from one {@code python3} that has already started
 * ({@code forkserver.py}): a new interpreter costs tens of milliseconds of CPU before it runs a
 * line of the bootstrap (several times that behind a version manager's shim or a heavy
 * {@code site}), a fork about one, so a burst of invocations that needs many environments at once
 * gets them without queueing for the CPU. Each forked runtime is what {@code python3 -u
 * bootstrap.py} would be: its own process and session, the function's environment variables and
 * working directory, its own {@code /tmp} where {@link PrivateTmp} gives one, and its output on a
 * Unix domain socket that Stratus reads as it would the process's stdout.
 *
 * <p>One server per interpreter, started on first use and shared by every Stratus in the JVM; it
 * exits when the JVM does (its stdin closes). Where it cannot start, or {@value #PROPERTY} is
 * {@code false}, runtimes are started as processes of their own. Thread-safe.
 */
final class PythonForkServer {

    private static final Logger LOG = LoggerFactory.getLogger(PythonForkServer.class);
    /** The system property that turns the fork server off ({@code false}): each Python runtime is then a new process. */
    static final String PROPERTY = "stratus.lambda.pythonForkServer";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The server's locale, as runtimes started on their own get it (see {@link RuntimeLaunch#variables}). */
    private static final String LANG = "C.UTF-8";
    private static final long START_TIMEOUT_SECONDS = 10;
    /** How long a forked runtime has to connect its output before it is given up on. */
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Map<Path, PythonForkServer> SERVERS = new ConcurrentHashMap<>();
    /** The interpreters whose fork server could not start. */
    private static final java.util.Set<Path> UNAVAILABLE = ConcurrentHashMap.newKeySet();

    private final Process server;
    private final OutputStream requests;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Forked>> pending = new ConcurrentHashMap<>();
    /** The forked runtimes still running, by pid; the server reports each one's end. */
    private final Map<Long, Forked> children = new ConcurrentHashMap<>();
    /** Whether its children can have a private /tmp, once it is ready. */
    private final CompletableFuture<Boolean> ready = new CompletableFuture<>();
    private volatile boolean gone;

    private PythonForkServer(Process server) {
        this.server = server;
        this.requests = server.getOutputStream();
        Thread.ofPlatform().daemon().name("lambda-python-fork-server").start(this::readReports);
    }

    /** Whether Python runtimes are forked rather than started as new processes. */
    static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /**
     * Whether a runtime with these environment variables can be forked: the server's interpreter
     * started with its own, so variables that act only as an interpreter starts (other
     * {@code PYTHON*} ones than the two a fork honours, another locale) need a new process.
     */
    static boolean suits(Map<String, String> env) {
        for (Map.Entry<String, String> variable : env.entrySet()) {
            String name = variable.getKey();
            if (name.startsWith("PYTHON") && !name.equals("PYTHONPATH") && !name.equals("PYTHONDONTWRITEBYTECODE")
                    || name.equals("LANG") && !variable.getValue().equals(LANG) || name.equals("LC_ALL") || name.equals("LC_CTYPE")) {
                return false;
            }
        }
        return true;
    }

    /**
     * The running fork server of {@code python}, started (from {@code script}) if there is none;
     * null where it cannot start (then each runtime is a process of its own).
     */
    static PythonForkServer of(Path python, Path script) {
        PythonForkServer running = SERVERS.get(python);
        if (running != null && !running.gone) {
            return running;
        }
        if (UNAVAILABLE.contains(python)) {
            return null;
        }
        synchronized (SERVERS) {
            running = SERVERS.get(python);
            if (running == null || running.gone) {
                running = start(python, script);
                if (running == null) {
                    // Not tried again: each new environment would pay for the attempt.
                    UNAVAILABLE.add(python);
                    return null;
                }
                SERVERS.put(python, running);
            }
            return running;
        }
    }

    private static PythonForkServer start(Path python, Path script) {
        Path probe = null;
        Process started = null;
        try {
            List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
            if (PrivateTmp.available()) {
                // Its children must get a private /tmp as the other runtimes do: it tries one first.
                probe = Files.createTempDirectory("stratus-fork-server-check");
                Files.createFile(probe.resolve("marker"));
                command.add(probe.toString());
            }
            ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("/").toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
            Map<String, String> env = builder.environment();
            String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
            env.clear();
            env.put("PATH", path);
            // What a runtime started on its own gets: the interpreter's encodings come from its start.
            env.put("LANG", LANG);
            env.put("PYTHONDONTWRITEBYTECODE", "1");
            // Where a user's own site-packages would be found (~/.local): a runtime started on its own has its /tmp as HOME, so none.
            env.put("HOME", "/nonexistent");
            started = builder.start();
            PythonForkServer forkServer = new PythonForkServer(started);
            boolean privateTmp = forkServer.ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (probe != null && !privateTmp) {
                started.destroyForcibly();
                LOG.info("Python runtimes start as processes of their own: the fork server of {} cannot give them a private /tmp", python);
                return null;
            }
            return forkServer;
        } catch (IOException | ExecutionException | TimeoutException e) {
            LOG.info("Python runtimes start as processes of their own: the fork server of {} did not start ({})", python, e.toString());
            if (started != null) {
                started.destroyForcibly();
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (started != null) {
                started.destroyForcibly();
            }
            return null;
        } finally {
            if (probe != null) {
                try {
                    CodeStore.deleteTree(probe);
                } catch (java.io.UncheckedIOException e) {
                    // A temporary directory.
                }
            }
        }
    }

    /**
     * Forks a runtime that runs {@code bootstrap} in {@code cwd} with exactly {@code env}, its
     * output (stdout and stderr) the returned process's input stream.
     *
     * @param output where the runtime connects its output (a Unix domain socket path, not yet bound)
     * @param tmp the directory to mount over its {@code /tmp}, the entries of {@code /tmp} to keep (see {@link PrivateTmp#kept})
     *        and the paths to make read-only, or null
     * @throws IOException when the server cannot fork, or the runtime does not connect its output
     */
    Process spawn(Path bootstrap, Path cwd, Map<String, String> env, Path output, PrivateTmp.Mounts tmp) throws IOException {
        long id = ids.incrementAndGet();
        ObjectNode request = JSON.createObjectNode().put("id", id).put("bootstrap", bootstrap.toString()).put("cwd", cwd.toString())
                .put("output", output.toString());
        ObjectNode variables = request.putObject("env");
        env.forEach(variables::put);
        if (tmp != null) {
            ObjectNode mounts = request.putObject("tmp").put("dir", tmp.dir().toString());
            tmp.kept().forEach(mounts.putArray("kept")::add);
            tmp.readOnly().forEach(mounts.putArray("readOnly")::add);
        }
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(output));
            listener.configureBlocking(false);
            CompletableFuture<Forked> forked = new CompletableFuture<>();
            pending.put(id, forked);
            Forked process;
            try {
                send(request);
                process = forked.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IOException("The Python fork server cannot start a runtime: " + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                gone = true;
                server.destroyForcibly();
                throw new IOException("The Python fork server did not answer", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while starting a runtime", e);
            } finally {
                pending.remove(id);
            }
            try {
                process.output = connection(listener, process);
            } catch (IOException e) {
                process.destroyForcibly();
                throw e;
            } finally {
                Files.deleteIfExists(output);
            }
            return process;
        }
    }

    /**
     * The runtime's output connection: it connects first thing after the fork, so polling for it
     * is brief. Once it ended without (its set-up failed before), its output is empty.
     */
    private static InputStream connection(ServerSocketChannel listener, Forked process) throws IOException {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT_NANOS;
        long pause = 50_000;
        while (true) {
            // An exit seen before the accept: a connection it made is already queued, so this accept finds it.
            boolean ended = process.exit.isDone();
            SocketChannel connection = listener.accept();
            if (connection != null) {
                return Channels.newInputStream(connection);
            }
            if (ended) {
                return InputStream.nullInputStream();
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("The runtime did not connect its output");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 2_000_000);
        }
    }

    private synchronized void send(JsonNode request) throws IOException {
        if (gone) {
            throw new IOException("The Python fork server exited");
        }
        requests.write(JSON.writeValueAsBytes(request));
        requests.write('\n');
        requests.flush();
    }

    private void readReports() {
        try (BufferedReader reports = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reports.readLine(); line != null; line = reports.readLine()) {
                report(JSON.readTree(line));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("The Python fork server's reports broke off: {}", e.toString());
        } finally {
            gone = true;
            server.destroyForcibly();
            ready.completeExceptionally(new IOException("The Python fork server exited"));
            pending.values().forEach(forked -> forked.completeExceptionally(new IOException("The Python fork server exited")));
            // Runtimes it forked live on (reparented), but nothing reports their end any more: watch them instead.
            children.values().forEach(child -> ProcessHandle.of(child.pid)
                    .ifPresentOrElse(handle -> handle.onExit().thenRun(() -> child.exited(1)), () -> child.exited(1)));
        }
    }

    private void report(JsonNode report) {
        if (report.has("exit")) {
            Forked child = children.remove(report.get("exit").asLong());
            if (child != null) {
                child.exited(report.get("status").asInt());
            }
        } else if (report.has("id")) {
            CompletableFuture<Forked> forked = pending.get(report.get("id").asLong());
            if (report.has("pid")) {
                Forked child = new Forked(report.get("pid").asLong());
                // Known before the next report is read: its end can only be reported after this.
                children.put(child.pid, child);
                if (forked == null) {
                    // Its caller gave up waiting: nothing may keep running without an owner.
                    child.destroyForcibly();
                } else {
                    forked.complete(child);
                }
            } else if (forked != null) {
                forked.completeExceptionally(new IOException(report.path("error").asText()));
            }
        } else if (report.has("ready")) {
            ready.complete(report.path("privateTmp").asBoolean());
        }
    }

    /** A forked runtime, as a {@link Process}: not the JVM's child, so its end comes from the fork server's report. */
    static final class Forked extends Process {
        private final long pid;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private volatile InputStream output = InputStream.nullInputStream();

        private Forked(long pid) {
            this.pid = pid;
        }

        private void exited(int status) {
            exit.complete(status);
        }

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return output;
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            try {
                return exit.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            try {
                exit.get(timeout, unit);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        @Override
        public int exitValue() {
            if (!exit.isDone()) {
                throw new IllegalThreadStateException("The runtime " + pid + " has not exited");
            }
            return exit.join();
        }

        @Override
        public void destroy() {
            // Only while it runs: once ended, its pid may be another process's.
            if (!exit.isDone()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            }
        }

        @Override
        public Process destroyForcibly() {
            if (!exit.isDone()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            return this;
        }

        @Override
        public boolean supportsNormalTermination() {
            return true;
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone();
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public CompletableFuture<Process> onExit() {
            return exit.thenApply(status -> this);
        }

        @Override
        public ProcessHandle toHandle() {
            return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("The runtime " + pid + " has exited"));
        }

        @Override
        public Stream<ProcessHandle> children() {
            return isAlive() ? ProcessHandle.of(pid).stream().flatMap(ProcessHandle::children) : Stream.empty();
        }

        @Override
        public Stream<ProcessHandle> descendants() {
            return isAlive() ? ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants) : Stream.empty();
        }
    }
}
