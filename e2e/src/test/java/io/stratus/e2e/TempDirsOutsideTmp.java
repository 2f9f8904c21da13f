package io.stratus.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Creates the tests' {@code @TempDir} directories outside the machine's {@code /tmp}: a Lambda
 * function has a {@code /tmp} of its own (as on AWS), so a file a test and a function share (a
 * record a function writes, a gate it waits for) must live elsewhere — under {@code target/test-tmp},
 * or {@code /var/tmp} when the build itself runs somewhere in {@code /tmp}. Named in
 * {@code junit-platform.properties}.
 */
public final class TempDirsOutsideTmp implements TempDirFactory {

    private static final Path ROOT = root();

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
        Files.createDirectories(ROOT);
        return Files.createTempDirectory(ROOT, "junit-");
    }

    private static Path root() {
        Path target = Path.of("target", "test-tmp").toAbsolutePath().normalize();
        Path real = target;
        try {
            real = Path.of("target").toRealPath().resolve("test-tmp");
        } catch (IOException e) {
            // No target directory yet: as it is written.
        }
        return real.startsWith("/tmp") ? Path.of("/var/tmp", "stratus-e2e-" + System.getProperty("user.name", "build")) : target;
    }
}
