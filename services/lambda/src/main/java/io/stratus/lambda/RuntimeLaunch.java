package io.stratus.lambda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How an execution environment's runtime process is started: its command line (the machine's
 * interpreter with Stratus's bootstrap, AWS's Java client, or a {@code provided} zip's own
 * {@code bootstrap}, each in a session of its own where {@code setsid} exists) and the environment
 * variables AWS sets. Stateless.
 */
final class RuntimeLaunch {

    /** util-linux's setsid, to give each runtime a process group of its own; null where missing (then only descendants are killed). */
    static final Path SETSID = executable("/usr/bin/setsid", "/bin/setsid");
    /** util-linux's prlimit, to give a {@code provided} runtime a data-size limit; null where missing. */
    private static final Path PRLIMIT = executable("/usr/bin/prlimit", "/bin/prlimit");

    private RuntimeLaunch() {}

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
        Map<String, String> env = new java.util.HashMap<>();
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
