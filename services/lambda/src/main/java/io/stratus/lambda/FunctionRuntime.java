package io.stratus.lambda;

import io.stratus.core.AwsException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The runtimes Stratus runs, each as an OS process of a program found on the machine: {@code node}
 * and {@code python3} run the bootstraps that ship inside Stratus, {@code provided*} runs the zip's
 * own {@code bootstrap}. Immutable.
 */
enum FunctionRuntime {
    NODEJS18("nodejs18.x", Family.NODE),
    NODEJS20("nodejs20.x", Family.NODE),
    NODEJS22("nodejs22.x", Family.NODE),
    PYTHON39("python3.9", Family.PYTHON),
    PYTHON310("python3.10", Family.PYTHON),
    PYTHON311("python3.11", Family.PYTHON),
    PYTHON312("python3.12", Family.PYTHON),
    PYTHON313("python3.13", Family.PYTHON),
    PROVIDED_AL2("provided.al2", Family.PROVIDED),
    PROVIDED_AL2023("provided.al2023", Family.PROVIDED),
    JAVA8_AL2("java8.al2", 8),
    JAVA11("java11", 11),
    JAVA17("java17", 17),
    JAVA21("java21", 21),
    JAVA25("java25", 25);

    enum Family { NODE, PYTHON, PROVIDED, JAVA }

    /** Runtimes AWS accepts that Stratus does not run yet; named so the error can say so. */
    private static final Set<String> KNOWN_ELSEWHERE = Set.of(
            "dotnet8", "dotnet9", "ruby3.2", "ruby3.3", "ruby3.4", "nodejs24.x", "python3.14", "provided");

    private final String id;
    private final Family family;
    /** The Java feature version a {@code java*} runtime needs at least; 0 for the others. */
    private final int javaVersion;

    FunctionRuntime(String id, Family family) {
        this.id = id;
        this.family = family;
        this.javaVersion = 0;
    }

    FunctionRuntime(String id, int javaVersion) {
        this.id = id;
        this.family = Family.JAVA;
        this.javaVersion = javaVersion;
    }

    int javaVersion() {
        return javaVersion;
    }

    String id() {
        return id;
    }

    Family family() {
        return family;
    }

    /**
     * The runtime version Lambda names in a new environment's {@code INIT_START}, in AWS's form
     * ({@code python:3.13.v14}); always {@code v1} here, as Stratus runs the machine's interpreter
     * rather than a numbered build of AWS's.
     */
    String version() {
        // nodejs20.x -> nodejs:20, python3.12 -> python:3.12, java21 -> java:21, provided.al2023 -> provided:al2023
        boolean provided = family == Family.PROVIDED;
        int split = provided ? id.indexOf('.') + 1 : firstDigit(id);
        String name = id.substring(0, provided ? split - 1 : split);
        String release = id.endsWith(".x") ? id.substring(split, id.length() - 2) : id.substring(split);
        return name + ":" + release + ".v1";
    }

    /** The ARN of {@link #version()} in a region, as AWS forms it: a hash of the version under {@code runtime:}. */
    String versionArn(String region) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(version().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "arn:aws:lambda:" + region + "::runtime:" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private static int firstDigit(String id) {
        for (int i = 0; i < id.length(); i++) {
            if (Character.isDigit(id.charAt(i))) {
                return i;
            }
        }
        return id.length();
    }

    /**
     * The runtime of this id.
     *
     * @throws AwsException InvalidParameterValueException for a runtime AWS does not know or Stratus does not run
     */
    static FunctionRuntime of(String id) {
        for (FunctionRuntime runtime : values()) {
            if (runtime.id.equals(id)) {
                return runtime;
            }
        }
        if (KNOWN_ELSEWHERE.contains(id)) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "The runtime %s is not supported by Stratus yet. Supported runtimes: %s", id, ids());
        }
        Set<String> all = new TreeSet<>(KNOWN_ELSEWHERE);
        all.addAll(ids());
        throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                "Value %s at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: %s or be a valid ARN", id, all);
    }

    /** Every runtime id AWS knows, as layers' {@code CompatibleRuntimes} may name them. */
    static Set<String> knownIds() {
        Set<String> all = new TreeSet<>(KNOWN_ELSEWHERE);
        all.addAll(ids());
        return all;
    }

    private static List<String> ids() {
        return Arrays.stream(values()).map(FunctionRuntime::id).toList();
    }

    /**
     * The interpreter this runtime needs on the machine's PATH (for {@code java*}, the {@code java}
     * of a JVM of at least its version, see {@link Jvms}); empty for {@code provided*}.
     *
     * @throws AwsException InvalidParameterValueException naming what to install when it is missing
     */
    Optional<Path> interpreter() {
        return interpreter(SERVER_PATH);
    }

    /** The server's PATH, read once (every invocation asks for its interpreter, and reading the environment costs a conversion). */
    private static final String SERVER_PATH = System.getenv("PATH");

    /** {@link #interpreter()} searching {@code searchPath} (a PATH value) instead of the server's PATH. */
    Optional<Path> interpreter(String searchPath) {
        return switch (family) {
            case PROVIDED -> Optional.empty();
            // node of any version runs every nodejs runtime; the version the function asked for is not enforced.
            case NODE -> Optional.of(RESOLVED_NODE.computeIfAbsent(String.valueOf(searchPath), p -> find(searchPath, List.of("node"))
                    .orElseThrow(() -> missing("node", "Node.js (https://nodejs.org, or your package manager's 'nodejs')"))));
            // The machine's python3 runs every python3.x runtime; the minor version is not enforced.
            case PYTHON -> Optional.of(RESOLVED_PYTHON.computeIfAbsent(String.valueOf(searchPath), p -> realPython(find(searchPath, List.of("python3"))
                    .orElseThrow(() -> missing("python3", "Python 3 (https://www.python.org, or your package manager's 'python3')")))));
            // The oldest JVM of at least the runtime's version: java17 runs on a JDK 17 when there is one.
            case JAVA -> Optional.of(java(Jvms.find(javaVersion)));
        };
    }

    /**
     * The {@code java} of the JVM found for this runtime.
     *
     * @throws AwsException InvalidParameterValueException naming what to install when there is none
     */
    Path java(Optional<Jvms.Jvm> found) {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "The runtime %s needs a Linux machine: AWS's runtime interface client for Java has its native library for Linux only.", id);
        }
        return found.orElseThrow(() -> AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                "The runtime %s needs a Java %d or newer runtime on the Stratus server (JAVA_HOME, /usr/lib/jvm or 'java' on the PATH), "
                        + "and there is none. Install a JDK %d or newer (https://adoptium.net, or your package manager's 'openjdk-%d-jdk') "
                        + "and restart Stratus.", id, javaVersion, javaVersion, javaVersion)).java();
    }

    /** The resolved python3 per PATH, found once: version managers' shims (pyenv) cost hundreds of ms per start. */
    private static final java.util.Map<String, Path> RESOLVED_PYTHON = new java.util.concurrent.ConcurrentHashMap<>();
    /** Where {@code node} was found on a search path: looked up once, not on every invocation (a stat per PATH directory). */
    private static final java.util.Map<String, Path> RESOLVED_NODE = new java.util.concurrent.ConcurrentHashMap<>();

    private static Path realPython(Path onPath) {
        try {
            Process process = new ProcessBuilder(onPath.toString(), "-c", "import sys; print(sys.executable)")
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (process.waitFor() == 0 && !out.isEmpty() && Files.isExecutable(Path.of(out))) {
                return Path.of(out);
            }
        } catch (java.io.IOException e) {
            // Fall back to the program on the PATH.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return onPath;
    }

    private AwsException missing(String program, String what) {
        return AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                "The runtime %s needs '%s' on the PATH of the Stratus server, and it is not there. Install %s and restart Stratus.",
                id, program, what);
    }

    private static Optional<Path> find(String path, List<String> programs) {
        if (path == null) {
            return Optional.empty();
        }
        List<Path> dirs = new ArrayList<>();
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                dirs.add(Path.of(dir));
            }
        }
        for (String program : programs) {
            for (Path dir : dirs) {
                Path candidate = dir.resolve(program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
