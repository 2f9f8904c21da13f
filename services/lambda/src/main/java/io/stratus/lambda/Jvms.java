package io.stratus.lambda;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java runtimes (JDKs or JREs) installed on the machine, for Java functions: the one running
 * Stratus, {@code JAVA_HOME}, every one under {@code /usr/lib/jvm}, and the {@code java} on the
 * PATH — the places Stratus's own {@code stratus} script looks. A function's runtime ({@code java21})
 * runs on the oldest of them that is at least that version, the closest to what AWS runs.
 *
 * <p>Thread-safe: versions are found once per {@code java} binary and cached.
 */
final class Jvms {

    /** A {@code java} binary and its feature version (8, 11, 17, …). */
    record Jvm(Path java, int version) {}

    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");
    private static final Pattern SPEC_VERSION = Pattern.compile("java\\.specification\\.version = (?:1\\.)?(\\d+)");
    private static final Map<Path, Optional<Integer>> VERSIONS = new ConcurrentHashMap<>();

    private Jvms() {}

    /** The JVM found per minimum version, kept while it is there: every Invoke asks. */
    private static final Map<Integer, Jvm> FOUND = new ConcurrentHashMap<>();

    /** The oldest JVM on the machine of at least {@code minimum}, if any. */
    static Optional<Jvm> find(int minimum) {
        Jvm found = FOUND.get(minimum);
        if (found != null && Files.isExecutable(found.java())) {
            return Optional.of(found);
        }
        Optional<Jvm> jvm = find(minimum, candidates(System.getProperty("java.home"), System.getenv("JAVA_HOME"), Path.of("/usr/lib/jvm"),
                System.getenv("PATH")));
        jvm.ifPresent(j -> FOUND.put(minimum, j));
        return jvm;
    }

    /** The oldest of {@code javas} of at least {@code minimum}; the earlier one of two of the same version. */
    static Optional<Jvm> find(int minimum, List<Path> javas) {
        Jvm best = null;
        for (Path java : javas) {
            Optional<Integer> version = version(java);
            if (version.isPresent() && version.get() >= minimum && (best == null || version.get() < best.version())) {
                best = new Jvm(java, version.get());
            }
        }
        return Optional.ofNullable(best);
    }

    /** The {@code java} binaries to consider, in order of preference, each once. */
    static List<Path> candidates(String javaHome, String javaHomeVariable, Path jvmDir, String path) {
        Set<Path> javas = new LinkedHashSet<>();
        for (String home : new String[] {javaHome, javaHomeVariable}) {
            if (home != null && !home.isBlank()) {
                javas.add(Path.of(home, "bin", "java"));
            }
        }
        if (Files.isDirectory(jvmDir)) {
            try (Stream<Path> homes = Files.list(jvmDir)) {
                homes.sorted().forEach(home -> javas.add(home.resolve("bin").resolve("java")));
            } catch (IOException e) {
                // An unreadable folder holds no JVM we can use.
            }
        }
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    javas.add(Path.of(dir, "java"));
                }
            }
        }
        List<Path> usable = new ArrayList<>();
        for (Path java : javas) {
            if (Files.isRegularFile(java) && Files.isExecutable(java)) {
                try {
                    // Symbolic links (/usr/bin/java → /etc/alternatives → the JDK) to the JDK they name, once.
                    Path real = java.toRealPath();
                    if (!usable.contains(real)) {
                        usable.add(real);
                    }
                } catch (IOException e) {
                    // Gone meanwhile.
                }
            }
        }
        return usable;
    }

    /** A JVM's feature version: from its home's {@code release} file, else by asking it (~100 ms, once). */
    static Optional<Integer> version(Path java) {
        return VERSIONS.computeIfAbsent(java, Jvms::readVersion);
    }

    private static Optional<Integer> readVersion(Path java) {
        Path release = java.getParent() == null || java.getParent().getParent() == null ? null : java.getParent().getParent().resolve("release");
        try {
            if (release != null && Files.isRegularFile(release)) {
                Matcher matcher = RELEASE_VERSION.matcher(Files.readString(release, StandardCharsets.ISO_8859_1));
                if (matcher.find()) {
                    return Optional.of(Integer.parseInt(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            // Ask the binary instead.
        }
        try {
            Process process = new ProcessBuilder(java.toString(), "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            Matcher matcher = SPEC_VERSION.matcher(out);
            return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
