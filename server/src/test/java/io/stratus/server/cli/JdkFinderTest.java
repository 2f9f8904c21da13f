package io.stratus.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher scripts' JDK search ({@code .mvn/jdk.sh}, used by ./stratus and ./mvnw). */
class JdkFinderTest {

    private static final Path SCRIPT = Path.of("..", ".mvn", "jdk.sh").toAbsolutePath().normalize();

    private static Result find(Path jvmDir, String javaHome) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", ". \"$0\"; stratus_find_jdk && echo \"$JAVA_HOME\"", SCRIPT.toString());
        builder.environment().put("STRATUS_JVM_DIR", jvmDir.toString());
        if (javaHome == null) {
            builder.environment().remove("JAVA_HOME");
        } else {
            builder.environment().put("JAVA_HOME", javaHome);
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return new Result(process.waitFor(), out, err);
    }

    private record Result(int exitCode, String out, String err) {}

    @Test
    void withoutAJdk21ItSaysWhatToInstallAndFails(@TempDir Path emptyJvmDir) throws Exception {
        Result result = find(emptyJvmDir, null);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("needs a JDK 21 or newer").contains("install");
    }

    @Test
    void findsTheJdkThisTestRunsOn(@TempDir Path jvmDir) throws Exception {
        Path running = Path.of(System.getProperty("java.home"));
        Path link = Files.createSymbolicLink(jvmDir.resolve("this-jdk"), running);
        try {
            Result result = find(jvmDir, "/nonexistent");

            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).isEqualTo(link.toString());
        } finally {
            Files.delete(link);
        }
    }
}
