package io.stratus.e2e.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Java functions built in the test: handler sources compiled with the JDK's compiler against
 * {@code aws-lambda-java-core} (for Java 17, so they run on every Java runtime from {@code java17} up),
 * packaged as AWS takes them: classes at the zip's root, a zip of {@code lib/*.jar}, or a plain jar.
 */
final class JavaFunctions {

    private JavaFunctions() {}

    /** The compiled classes of {@code sources} (class name → source), by their path in a package ({@code example/Echo.class}). */
    static Map<String, byte[]> compile(Map<String, String> sources) {
        try {
            Path dir = Files.createTempDirectory("stratus-java-fn-");
            try {
                Path src = dir.resolve("src");
                Path out = dir.resolve("classes");
                Files.createDirectories(out);
                List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-d", out.toString(), "-classpath", coreJar().toString()));
                for (Map.Entry<String, String> source : sources.entrySet()) {
                    Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, source.getValue());
                    args.add(file.toString());
                }
                JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
                ByteArrayOutputStream errors = new ByteArrayOutputStream();
                int status = compiler.run(null, errors, errors, args.toArray(String[]::new));
                if (status != 0) {
                    throw new IllegalStateException("The test's handlers do not compile:\n" + errors.toString(StandardCharsets.UTF_8));
                }
                Map<String, byte[]> classes = new TreeMap<>();
                try (Stream<Path> files = Files.walk(out)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        classes.put(out.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                    }
                }
                return classes;
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A zip (or jar: the same thing) of these entries. */
    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A plain jar of these classes, with its manifest. */
    static byte[] jar(Map<String, byte[]> classes) {
        Map<String, byte[]> entries = new TreeMap<>(classes);
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nCreated-By: Stratus tests\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        return zip(entries);
    }

    /** A zip of {@code lib/<jarName>} holding these classes, as Gradle's and Maven's Lambda packaging make one. */
    static byte[] libZip(String jarName, Map<String, byte[]> classes) {
        return zip(Map.of("lib/" + jarName, jar(classes)));
    }

    private static Path coreJar() {
        try {
            return Path.of(RequestHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
