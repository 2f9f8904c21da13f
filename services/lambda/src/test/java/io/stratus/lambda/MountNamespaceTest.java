package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountNamespaceTest {

    @Test
    void stratusOwnNamespaceIsNeverARuntimes() throws Exception {
        assertThat(MountNamespace.of(ProcessHandle.current().pid())).isNull();
        Process sharing = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(MountNamespace.of(sharing.pid())).as("a process in Stratus's namespace").isNull();
        } finally {
            sharing.destroyForcibly();
        }
        assertThat(MountNamespace.of(Long.MAX_VALUE)).as("no such process").isNull();
    }

    @Test
    void killsWhatEscapedTheProcessTreeAndTheGroup(@TempDir Path dir) throws Exception {
        assumeTrue(PrivateTmp.available(), "no private /tmp on this machine");
        Path tmp = Files.createDirectories(dir.resolve("env-tmp"));
        // Its own session, its parent shell gone: neither the tree nor the group holds it.
        Process runtime = new ProcessBuilder(PrivateTmp.wrap(tmp, List.of(), List.of(), List.of("/bin/sh", "-c",
                "sh -c 'setsid sleep 61.7 > /dev/null 2>&1 &'; echo started; exec sleep 30"))).start();
        try {
            assertThat(new String(runtime.getInputStream().readNBytes(8))).isEqualTo("started\n");
            String namespace = awaitNamespace(runtime);
            assertThat(namespace).isNotNull();
            ProcessHandle escaped = awaitSleep("61.7");

            RuntimeLaunch.kill(runtime);

            assertThat(escaped.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
        } finally {
            runtime.destroyForcibly();
        }
    }

    private static String awaitNamespace(Process process) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            String namespace = MountNamespace.of(process.pid());
            if (namespace != null) {
                return namespace;
            }
            Thread.sleep(20);
        }
        return null;
    }

    private static ProcessHandle awaitSleep(String seconds) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            var found = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(line -> line.endsWith("sleep " + seconds)).orElse(false)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("sleep " + seconds + " did not start");
    }
}
