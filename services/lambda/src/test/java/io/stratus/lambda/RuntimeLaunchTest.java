package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeLaunchTest {

    @TempDir
    Path dir;
    private Path runtimeDir;
    private EnvironmentDirectory directory;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(FunctionRuntime.PYTHON312.interpreter().isPresent(), "python3 is not installed");
        assumeTrue(PythonForkServer.enabled(), "the Python fork server is off");
        runtimeDir = Files.createDirectories(dir.resolve("runtime"));
        try (InputStream in = LambdaService.class.getResourceAsStream("runtime/forkserver.py")) {
            Files.copy(in, runtimeDir.resolve("forkserver.py"));
        }
        directory = EnvironmentDirectory.create();
    }

    @AfterEach
    void tearDown() {
        if (directory != null) {
            directory.delete();
        }
    }

    private Process forked(String bootstrap) throws Exception {
        Files.writeString(runtimeDir.resolve("bootstrap.py"), bootstrap);
        Path task = Files.createDirectories(dir.resolve("task"));
        return RuntimeLaunch.forked(FunctionRuntime.PYTHON312, runtimeDir, task, Map.of("PATH", "/usr/bin:/bin"), directory, null);
    }

    @Test
    void aPythonRuntimeIsForkedWhereTheForkServerCanStartIt() throws Exception {
        Process process = forked("print('forked')\n");

        assertThat(process).isInstanceOf(PythonForkServer.Forked.class);
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("forked\n");
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aPythonRuntimeTheForkServerCannotStartIsLeftToAProcessOfItsOwn() throws Exception {
        // The fork server compiles the bootstrap before it forks: one that does not compile fails the fork, not the child.
        assertThat(forked("def broken(:\n")).isNull();
    }
}
