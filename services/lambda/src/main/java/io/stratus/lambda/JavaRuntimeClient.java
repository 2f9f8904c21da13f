package io.stratus.lambda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * AWS's runtime interface client for Java ({@code aws-lambda-java-runtime-interface-client}, with
 * {@code aws-lambda-java-core} and {@code aws-lambda-java-serialization}), which the build puts inside
 * this module as jars; installed once per Stratus process into {@code <runtime dir>/java/}, and run
 * by a JVM of the machine over the function's task root, with the JVM flags AWS's Java runtimes use.
 *
 * <p>Thread-safe.
 */
final class JavaRuntimeClient {

    private static final String RESOURCES = "runtime/java/";
    private static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** Where the client looks for its JNI library; without it, it unpacks one to a fixed /tmp path that concurrent JVMs share. */
    private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    private static final String JNI_FILE = "libaws-lambda-jni.so";
    /** The classpath per runtime directory, installed once. */
    private static final Map<Path, Installed> INSTALLED = new ConcurrentHashMap<>();

    private record Installed(List<Path> jars, Path jni) {}

    /** What the client exits after reporting (a VirtualMachineError or an IOError), as its runtime loop does. */
    private static final java.util.regex.Pattern FATAL_ERROR = java.util.regex.Pattern.compile(
            "\"errorType\"\\s*:\\s*\"java\\.(lang\\.(OutOfMemoryError|StackOverflowError|InternalError|UnknownError)|io\\.IOError)\"");

    private JavaRuntimeClient() {}

    /** Whether the client exits after reporting this error document: its environment cannot serve another invocation. */
    static boolean exitsAfter(byte[] errorDocument) {
        return FATAL_ERROR.matcher(new String(errorDocument, StandardCharsets.UTF_8)).find();
    }

    /**
     * The command that runs a Java function: the JVM, AWS's flags sized from the function's memory,
     * and the runtime interface client with the handler. {@code JAVA_TOOL_OPTIONS} in the function's
     * environment adds to them, as on AWS (the JVM reads it itself).
     *
     * @param tmpDir the environment's private temporary directory (the JVM ignores {@code TMPDIR})
     * @param optDir the directory playing {@code /opt} (the function's layers), or null: its
     *     {@code java/lib} jars join the class path, where the client looks for them on AWS
     */
    static List<String> command(Path java, FunctionRuntime runtime, FunctionRecord function, Path runtimeDir, Path tmpDir, Path optDir) {
        Installed installed = install(runtimeDir);
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(memoryFlags(function.memorySize()));
        if (runtime.javaVersion() >= 17) {
            // Lambda stops tiered compilation at C1 from java17 on, for a quicker cold start.
            command.add("-XX:+TieredCompilation");
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.add("-XX:+UseSerialGC");
        command.add("-Xshare:auto");
        // No hsperfdata files in the machine's /tmp, and a little less to do at start.
        command.add("-XX:-UsePerfData");
        if (Jvms.version(java).orElse(0) >= 22) {
            // The client loads its JNI library: without this, JVMs from 22 on warn about it in every cold start's log.
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-Djava.io.tmpdir=" + tmpDir);
        if (installed.jni() != null) {
            command.add("-D" + JNI_PROPERTY + "=" + installed.jni());
        }
        List<String> classPath = new ArrayList<>(installed.jars().stream().map(Path::toString).toList());
        if (optDir != null && Files.isDirectory(optDir.resolve("java").resolve("lib"))) {
            classPath.add(optDir.resolve("java").resolve("lib") + File.separator + "*");
        }
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(MAIN_CLASS);
        command.add(function.handler());
        return command;
    }

    /**
     * The heap, metaspace and code cache limits AWS gives a Java function: 85 %, 10 % and 5 % of its
     * memory, so the JVM throws {@code OutOfMemoryError} where it would on AWS.
     */
    static List<String> memoryFlags(int memoryMb) {
        long kb = memoryMb * 1024L;
        return List.of("-XX:MaxHeapSize=" + kb * 85 / 100 + "k", "-XX:MaxMetaspaceSize=" + kb * 10 / 100 + "k",
                "-XX:ReservedCodeCacheSize=" + kb * 5 / 100 + "k");
    }

    private static Installed install(Path runtimeDir) {
        return INSTALLED.computeIfAbsent(runtimeDir, JavaRuntimeClient::installNow);
    }

    private static Installed installNow(Path runtimeDir) {
        Path dir = runtimeDir.resolve("java");
        try {
            Files.createDirectories(dir);
            String index;
            try (InputStream in = JavaRuntimeClient.class.getResourceAsStream(RESOURCES + "jars.txt")) {
                if (in == null) {
                    throw new IllegalStateException("AWS's Java runtime interface client is missing from the Stratus build (" + RESOURCES + "jars.txt)");
                }
                index = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            List<Path> jars = new ArrayList<>();
            Path client = null;
            for (String entry : index.split("[:;]")) {
                String name = entry.substring(entry.lastIndexOf('/') + 1).strip();
                if (name.isEmpty()) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = JavaRuntimeClient.class.getResourceAsStream(RESOURCES + name)) {
                    if (in == null) {
                        throw new IllegalStateException("The runtime file " + RESOURCES + name + " is missing from the Stratus build");
                    }
                    bytes = in.readAllBytes();
                }
                Path jar = dir.resolve(name);
                write(jar, bytes);
                jars.add(jar);
                if (name.startsWith("aws-lambda-java-runtime-interface-client")) {
                    client = jar;
                }
            }
            if (client == null) {
                throw new IllegalStateException("The Stratus build has no aws-lambda-java-runtime-interface-client jar");
            }
            return new Installed(List.copyOf(jars), unpackJni(client, dir));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot install the Java runtime interface client under " + dir, e);
        }
    }

    /** The client's JNI library for this machine, unpacked next to it; null where it has none (then the client tries its own way). */
    private static Path unpackJni(Path client, Path dir) throws IOException {
        String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> null;
        };
        if (arch == null || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null;
        }
        boolean musl = Files.exists(Path.of("/lib/ld-musl-" + (arch.equals("x86_64") ? "x86_64" : "aarch64") + ".so.1"));
        String entryName = "jni/libaws-lambda-jni.linux" + (musl ? "_musl-" : "-") + arch + ".so";
        try (ZipFile zip = new ZipFile(client.toFile())) {
            ZipEntry entry = zip.getEntry(entryName);
            if (entry == null) {
                return null;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Path jni = dir.resolve(JNI_FILE);
                write(jni, in.readAllBytes());
                return jni;
            }
        }
    }

    /** Writes a file unless it already has these bytes: a temporary file, then renamed over it, so a running JVM never sees half of one. */
    private static void write(Path target, byte[] bytes) throws IOException {
        if (Files.isRegularFile(target) && Files.size(target) == bytes.length && java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
            return;
        }
        Path tmp = Files.createTempFile(target.getParent(), ".install-", ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
