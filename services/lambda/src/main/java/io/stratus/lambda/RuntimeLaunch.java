package io.stratus.lambda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an execution environment's runtime process is started and stopped: forked by the
 * {@link PythonForkServer} or started as a process of its own, with its command line (the machine's
 * interpreter with Stratus's bootstrap, AWS's Java client, or a {@code provided} zip's own
 * {@code bootstrap}, each in a session of its own where {@code setsid} exists), a private
 * {@code /tmp} ({@link PrivateTmp}) and the environment variables AWS sets; and how it is killed
 * with everything it started. Stateless.
 */
final class RuntimeLaunch {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeLaunch.class);
    /** Where Stratus's own bootstraps find the Runtime API's Unix domain socket. */
    private static final String LOCAL_RUNTIME_API = "STRATUS_RUNTIME_API_SOCKET";

    /** util-linux's setsid, to give each runtime a process group of its own; null where missing (then only descendants are killed). */
    static final Path SETSID = executable("/usr/bin/setsid", "/bin/setsid");
    /** util-linux's prlimit, to give a {@code provided} runtime a data-size limit; null where missing. */
    private static final Path PRLIMIT = executable("/usr/bin/prlimit", "/bin/prlimit");

    /** To kill a runtime's whole process group (see {@link #SETSID}); null where missing. */
    private static final Path KILL = executable("/bin/kill", "/usr/bin/kill");

    private RuntimeLaunch() {}

    /**
     * Starts the runtime of an environment whose Runtime API and directory are ready: forked where
     * that suits it, else a process of its own.
     *
     * @param optDir the directory that plays {@code /opt} (the function's layers), or null for none
     * @throws ExecutionEnvironment.InvalidEntrypoint when a {@code provided} function's bootstrap cannot be run
     */
    static Process start(FunctionRecord function, FunctionRuntime runtime, Path taskRoot, Path optDir, Path runtimeDir, LambdaSettings settings,
            String logStream, ExecutionEnvironment.Initialization initialization, FunctionCredentials.Issued credentials, RuntimeApiServer api,
            EnvironmentDirectory directory) throws IOException {
        Path tmpDir = directory.tmp();
        Map<String, String> env = environment(function, runtime, taskRoot, optDir, runtimeDir, settings, logStream, initialization, credentials, api,
                directory);
        // Stratus's own bootstraps reach the Runtime API through its Unix domain socket where there is one (they
        // take the variable out of their environment before loading the function).
        String localApi = api.localAddress() == null ? null : PrivateTmp.linkSocket(tmpDir, Path.of(api.localAddress()));
        if (localApi != null && (runtime.family() == FunctionRuntime.Family.NODE || runtime.family() == FunctionRuntime.Family.PYTHON)) {
            env.put(LOCAL_RUNTIME_API, localApi);
        }
        List<Path> needed = needed(taskRoot, optDir, runtimeDir, settings);
        Process process = forked(runtime, runtimeDir, taskRoot, env, directory, PrivateTmp.mounts(tmpDir, needed, code(taskRoot, optDir)));
        if (process != null) {
            return process;
        }
        List<String> command = PrivateTmp.wrap(tmpDir, needed, code(taskRoot, optDir),
                command(function, runtime, taskRoot, optDir, runtimeDir, PrivateTmp.seen(tmpDir)));
        try {
            return start(command, taskRoot, env);
        } catch (IOException e) {
            if (runtime.family() == FunctionRuntime.Family.PROVIDED) {
                // Not executable, a script without a valid interpreter line, another architecture.
                throw new ExecutionEnvironment.InvalidEntrypoint("The function's bootstrap cannot be run: " + e.getMessage());
            }
            throw e;
        }
    }

    /**
     * The function's external extensions, as AWS finds them: the files in its layers'
     * {@code extensions/} directory ({@code /opt/extensions}), by name; empty without layers.
     */
    static List<Path> extensions(Path optDir) throws IOException {
        Path dir = optDir == null ? null : optDir.resolve("extensions");
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /**
     * Starts an external extension: the runtime's environment, working directory and private
     * {@code /tmp} (the same directory: they share it, as on AWS), in a session of its own.
     */
    static Process startExtension(Path executable, FunctionRecord function, FunctionRuntime runtime, Path taskRoot, Path optDir, Path runtimeDir,
            LambdaSettings settings, String logStream, ExecutionEnvironment.Initialization initialization, FunctionCredentials.Issued credentials,
            RuntimeApiServer api, EnvironmentDirectory directory) throws IOException {
        // Zips made without Unix modes lose the executable bit.
        executable.toFile().setExecutable(true);
        Map<String, String> env = environment(function, runtime, taskRoot, optDir, runtimeDir, settings, logStream, initialization, credentials, api,
                directory);
        if (Files.exists(directory.hosts())) {
            // Its sandbox's names (the namespace's set-up mounts the file and takes the variable out).
            env.put("STRATUS_HOSTS", directory.hosts().toString());
        }
        List<String> command = new ArrayList<>();
        if (SETSID != null) {
            command.add(SETSID.toString());
        }
        command.add(executable.toString());
        return start(PrivateTmp.wrap(directory.tmp(), needed(taskRoot, optDir, runtimeDir, settings), code(taskRoot, optDir), command), taskRoot,
                env);
    }

    private static Process start(List<String> command, Path workingDirectory, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    /** What a runtime's private {@code /tmp} keeps of Stratus's (its code and bootstraps, when the data directory is in /tmp). */
    private static List<Path> needed(Path taskRoot, Path optDir, Path runtimeDir, LambdaSettings settings) {
        return Arrays.asList(taskRoot, optDir, runtimeDir, settings.nodeModules());
    }

    /** The function's code, read-only to it, as /var/task and /opt are on AWS. */
    private static List<Path> code(Path taskRoot, Path optDir) {
        return Arrays.asList(taskRoot, optDir);
    }

    /** The variables a runtime and its extensions see: nothing of the server's own (its credentials above all) but {@code PATH}. */
    private static Map<String, String> environment(FunctionRecord function, FunctionRuntime runtime, Path taskRoot, Path optDir, Path runtimeDir,
            LambdaSettings settings, String logStream, ExecutionEnvironment.Initialization initialization, FunctionCredentials.Issued credentials,
            RuntimeApiServer api, EnvironmentDirectory directory) {
        Map<String, String> env = new HashMap<>();
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("PATH", path);
        env.putAll(LayerPaths.variables(runtime, taskRoot, optDir, settings.nodeModules(), path));
        env.putAll(variables(function, runtime, taskRoot, runtimeDir, PrivateTmp.seen(directory.tmp()), api.address(), settings, logStream,
                initialization, credentials));
        env.remove(LOCAL_RUNTIME_API);
        return env;
    }

    /**
     * A Python runtime forked by the {@link PythonForkServer}; null for other runtimes, where it
     * does not suit the function's variables or is off, or where it fails (the runtime is then
     * started as a process of its own).
     */
    static Process forked(FunctionRuntime runtime, Path runtimeDir, Path taskRoot, Map<String, String> env, EnvironmentDirectory directory,
            PrivateTmp.Mounts tmp) {
        if (runtime.family() != FunctionRuntime.Family.PYTHON || !PythonForkServer.enabled() || directory.output() == null
                || !PythonForkServer.suits(env)) {
            return null;
        }
        PythonForkServer forkServer = PythonForkServer.of(runtime.interpreter().orElseThrow(), runtimeDir.resolve("forkserver.py"));
        if (forkServer == null) {
            return null;
        }
        try {
            return forkServer.spawn(runtimeDir.resolve("bootstrap.py"), taskRoot, env, directory.output(), tmp);
        } catch (IOException e) {
            LOG.warn("Starting a Python runtime as a process of its own: {}", e.getMessage());
            return null;
        }
    }

    /**
     * Kills a runtime and what it started: first its descendants while the tree still links them
     * (this reaches those that left its process group, like Node.js's {@code detached} children),
     * then its whole process group (this reaches those whose parent already exited, which are no
     * longer its descendants), then the process itself, then whatever is left in its mount
     * namespace (this reaches one that did both; see {@link MountNamespace}). A runtime that already
     * exited has no namespace to read: {@link #kill(Process, MountNamespace)} takes the one held earlier.
     */
    static void kill(Process process) {
        kill(process, null);
    }

    /** As {@link #kill(Process)}, with the runtime's mount namespace as held since it ran, or null (left open). */
    static void kill(Process process, MountNamespace namespace) {
        // Held before anything dies: the namespace cannot become another's while this looks through it.
        MountNamespace current = namespace == null && process.isAlive() ? MountNamespace.of(process.pid()) : null;
        try {
            killTree(process);
        } finally {
            MountNamespace left = current != null ? current : namespace;
            if (left != null) {
                left.killAll();
            }
            if (current != null) {
                current.close();
            }
        }
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        // Once the runtime is gone its pid may be another process's (which may lead a group of its
        // own): then its group is left alone.
        boolean pidReused = !process.isAlive() && ProcessHandle.of(process.pid()).isPresent();
        if (SETSID != null && KILL != null && !pidReused) {
            try {
                Process kill = new ProcessBuilder(KILL.toString(), "-KILL", "--", "-" + process.pid())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                kill.waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                // The process itself is still killed below.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process.destroyForcibly();
    }

    static List<String> command(FunctionRecord function, FunctionRuntime runtime, Path taskRoot, Path optDir, Path runtimeDir,
            Path tmpDir) {
        List<String> command = new ArrayList<>();
        if (SETSID != null) {
            // A session (and process group) of its own, so close() can kill everything the runtime
            // started, also children that outlived their parent. A JVM's child is never a group
            // leader, so setsid execs in place: the process's pid is its group's id.
            command.add(SETSID.toString());
        }
        switch (runtime.family()) {
            case NODE -> {
                command.add(runtime.interpreter().orElseThrow().toString());
                // As AWS does, size the heap from the function's memory so a leak fails like it would there.
                command.add("--max-old-space-size=" + Math.max(64, function.memorySize() * 9 / 10));
                command.add(runtimeDir.resolve("bootstrap.js").toString());
            }
            case PYTHON -> {
                command.add(runtime.interpreter().orElseThrow().toString());
                command.add("-u");
                command.add(runtimeDir.resolve("bootstrap.py").toString());
            }
            case JAVA -> command.addAll(JavaRuntimeClient.command(runtime.interpreter().orElseThrow(), runtime, function, runtimeDir, tmpDir, optDir));
            case PROVIDED -> {
                Path bootstrap = taskRoot.resolve("bootstrap");
                if (!Files.isRegularFile(bootstrap) && optDir != null) {
                    // As on AWS, a layer may bring the runtime: /opt/bootstrap when the zip has none.
                    bootstrap = optDir.resolve("bootstrap");
                }
                if (!Files.isRegularFile(bootstrap)) {
                    throw new ExecutionEnvironment.InvalidEntrypoint("The function's zip has no bootstrap file at its root.");
                }
                // Zips made without Unix modes (Windows, java.util.zip) lose the executable bit.
                bootstrap.toFile().setExecutable(true);
                if (PRLIMIT != null) {
                    // A backstop under the memory watch: an allocation far beyond the function's memory fails at once.
                    command.add(PRLIMIT.toString());
                    command.add("--data=" + dataLimitBytes(function.memorySize()));
                    command.add("--");
                }
                command.add(bootstrap.toString());
            }
        }
        return command;
    }

    static Map<String, String> variables(FunctionRecord function, FunctionRuntime runtime, Path taskRoot, Path runtimeDir, Path tmpDir,
            String runtimeApi, LambdaSettings settings, String logStream, ExecutionEnvironment.Initialization initialization,
            FunctionCredentials.Issued credentials) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", function.version());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memorySize()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", function.logGroupName());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStream);
        // How AWS hands a LoggingConfig to the runtimes, which format and filter their application logs by it.
        env.put("AWS_LAMBDA_LOG_FORMAT", function.logging().format());
        if (function.logging().json()) {
            env.put("AWS_LAMBDA_LOG_LEVEL", function.logging().applicationLevel());
        }
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", initialization.value);
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        if (runtime.family() != FunctionRuntime.Family.PROVIDED) {
            // AWS leaves it unset for the OS-only runtimes.
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime.id());
        }
        env.put("AWS_REGION", function.region());
        env.put("AWS_DEFAULT_REGION", function.region());
        env.put("_HANDLER", function.handler());
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir.toString());
        // The execution role's session (see FunctionCredentials): the function's own SDK calls act as it.
        env.putAll(credentials.variables());
        env.put("AWS_ENDPOINT_URL", settings.endpoint().toString());
        env.put("TZ", ":UTC");
        env.put("LANG", "C.UTF-8");
        env.put("TMPDIR", tmpDir.toString());
        env.put("TMP", tmpDir.toString());
        env.put("TEMP", tmpDir.toString());
        env.put("HOME", tmpDir.toString());
        if (runtime.family() == FunctionRuntime.Family.PYTHON) {
            // Keep the task root as uploaded: no __pycache__ next to the function's code.
            env.put("PYTHONDONTWRITEBYTECODE", "1");
        }
        // Last, so the function's own values win where AWS lets it set them (TZ, LANG, PATH,
        // AWS_ENDPOINT_URL, …); reserved keys never get here, CreateFunction refuses them.
        env.putAll(function.environment());
        return env;
    }

    /**
     * The data-size limit ({@code RLIMIT_DATA}) of runtimes that have no memory limit of their own: a
     * backstop well above the function's memory (which the memory watch enforces), since a
     * process's data also counts memory it never touches, like threads' stacks.
     */
    static long dataLimitBytes(int memoryMb) {
        return Math.max(2L * memoryMb, memoryMb + 256L) * 1024 * 1024;
    }

    /** A {@code provided} function whose zip has no runnable {@code bootstrap}: AWS's Runtime.InvalidEntrypoint. */
    /** The first of {@code candidates} that is an executable file, or null. */
    static Path executable(String... candidates) {
        for (String candidate : candidates) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        return null;
    }
}
