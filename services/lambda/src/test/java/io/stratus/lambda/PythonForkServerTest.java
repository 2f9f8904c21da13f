package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonForkServerTest {

    @TempDir
    Path dir;
    private PythonForkServer server;

    @BeforeEach
    void startServer() throws Exception {
        assumeTrue(FunctionRuntime.PYTHON312.interpreter().isPresent(), "python3 is not installed");
        Path script = dir.resolve("forkserver.py");
        try (InputStream in = LambdaService.class.getResourceAsStream("runtime/forkserver.py")) {
            Files.copy(in, script);
        }
        server = PythonForkServer.of(FunctionRuntime.PYTHON312.interpreter().orElseThrow(), script);
        assertThat(server).isNotNull();
    }

    private Path bootstrap(String code) throws Exception {
        Path runtime = Files.createDirectories(dir.resolve("runtime"));
        return Files.writeString(runtime.resolve("bootstrap.py"), code);
    }

    private static String output(Process process) throws Exception {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aForkedRuntimeRunsTheBootstrapAsANewInterpreterWould() throws Exception {
        Path bootstrap = bootstrap("""
                import os, sys
                print("env", sorted(os.environ), os.environ["GREETING"])
                print("cwd", os.getcwd())
                print("argv", sys.argv, __name__)
                print("path", sys.path[:2])
                print("bytecode", sys.dont_write_bytecode)
                print("to stderr", file=sys.stderr)
                sys.exit(3)
                """);
        Path task = Files.createDirectories(dir.resolve("task"));
        Path layer = Files.createDirectories(dir.resolve("layer"));

        Process process = server.spawn(bootstrap, task, Map.of("PATH", "/usr/bin:/bin", "GREETING", "hello", "PYTHONPATH", layer.toString(),
                "PYTHONDONTWRITEBYTECODE", "1"), dir.resolve("output.sock"), null);

        // Only what it was given, nothing of the server's own environment.
        assertThat(output(process)).isEqualTo("""
                env ['GREETING', 'PATH', 'PYTHONDONTWRITEBYTECODE', 'PYTHONPATH'] hello
                cwd %s
                argv ['%s'] __main__
                path ['%s', '%s']
                bytecode True
                to stderr
                """.formatted(task.toRealPath(), bootstrap, bootstrap.getParent(), layer));
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(3);
        assertThat(process.isAlive()).isFalse();
        assertThat(Files.exists(dir.resolve("output.sock"))).isFalse();
    }

    @Test
    void variablesThatActOnlyAsAnInterpreterStartsNeedANewProcess() {
        assertThat(PythonForkServer.suits(Map.of("PYTHONPATH", "/opt/python", "PYTHONDONTWRITEBYTECODE", "1", "LANG", "C.UTF-8", "TZ", ":UTC")))
                .isTrue();
        assertThat(PythonForkServer.suits(Map.of("PYTHONHASHSEED", "0"))).isFalse();
        assertThat(PythonForkServer.suits(Map.of("PYTHONWARNINGS", "error"))).isFalse();
        assertThat(PythonForkServer.suits(Map.of("LANG", "de_DE.ISO-8859-1"))).isFalse();
        assertThat(PythonForkServer.suits(Map.of("LC_ALL", "C"))).isFalse();
    }

    @Test
    void aKilledRuntimesEndIsReportedWithItsSignal() throws Exception {
        Path bootstrap = bootstrap("""
                import subprocess, sys, time
                child = subprocess.Popen(["sleep", "60"])
                print("started", flush=True)
                time.sleep(60)
                """);
        Process process = server.spawn(bootstrap, dir, Map.of("PATH", "/usr/bin:/bin"), dir.resolve("output.sock"), null);
        byte[] started = new byte["started\n".length()];
        assertThat(process.getInputStream().readNBytes(started, 0, started.length)).isEqualTo(started.length);
        // In a session of its own, as setsid gives the other runtimes: its group is its pid.
        assertThat(Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat")).split(" ")[5])
                .isEqualTo(Long.toString(process.pid()));
        assertThat(process.descendants()).hasSize(1);
        List<ProcessHandle> descendants = process.descendants().toList();

        process.destroyForcibly();

        assertThat(process.onExit().get(20, TimeUnit.SECONDS).exitValue()).isEqualTo(128 + 9);
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void aRuntimeGetsAPrivateTmpWhereTheMachineAllowsOne() throws Exception {
        assumeTrue(PrivateTmp.available(), "no private /tmp on this machine");
        Path bootstrap = bootstrap("""
                import os
                open("/tmp/written", "w").write("mine")
                print(sorted(os.listdir("/tmp")), os.path.exists(__file__))
                """);
        Path tmp = Files.createDirectories(dir.resolve("env-tmp"));

        Process process = server.spawn(bootstrap, dir, Map.of("PATH", "/usr/bin:/bin"), dir.resolve("output.sock"),
                PrivateTmp.mounts(tmp, List.of(bootstrap), List.of()));

        String kept = PrivateTmp.kept(List.of(bootstrap)).stream().map(path -> "'" + path.getFileName() + "', ").findFirst().orElse("");
        assertThat(output(process)).isEqualTo("[" + kept + "'written'] True\n");
        assertThat(process.waitFor()).isZero();
        assertThat(Files.readString(tmp.resolve("written"))).isEqualTo("mine");
    }

    @Test
    void aRuntimesCodeIsReadOnlyToIt() throws Exception {
        assumeTrue(PrivateTmp.available(), "no private /tmp on this machine");
        Path task = Files.createDirectories(dir.resolve("task"));
        Path bootstrap = bootstrap("""
                import os
                for path in (os.getcwd(), "/tmp"):
                    try:
                        open(os.path.join(path, "written"), "w").write("mine")
                        print(path == "/tmp", "written")
                    except OSError as e:
                        print(path == "/tmp", e.strerror)
                """);
        Path tmp = Files.createDirectories(dir.resolve("env-tmp"));

        Process process = server.spawn(bootstrap, task, Map.of("PATH", "/usr/bin:/bin"), dir.resolve("output.sock"),
                PrivateTmp.mounts(tmp, List.of(bootstrap, task), List.of(task)));

        assertThat(output(process)).isEqualTo("False Read-only file system\nTrue written\n");
        assertThat(process.waitFor()).isZero();
        assertThat(task.resolve("written")).doesNotExist();
    }
}
