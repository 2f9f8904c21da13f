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
            ProcessHandle escaped = awaitSleep("61.7");

            RuntimeLaunch.kill(runtime);

            assertThat(escaped.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
        } finally {
            runtime.destroyForcibly();
        }
    }

    @Test
    void aRuntimeThatExitedLeavesItsNamespaceToBeSearchedAndNoOneElses(@TempDir Path dir) throws Exception {
        assumeTrue(PrivateTmp.available(), "no private /tmp on this machine");
        Path tmp = Files.createDirectories(dir.resolve("env-tmp"));
        Process runtime = new ProcessBuilder(PrivateTmp.wrap(tmp, List.of(), List.of(), List.of("/bin/sh", "-c",
                "sh -c 'setsid sleep 61.8 > /dev/null 2>&1 &'; echo started; read line"))).start();
        MountNamespace held = awaitNamespace(runtime);
        try {
            assertThat(new String(runtime.getInputStream().readNBytes(8))).isEqualTo("started\n");
            ProcessHandle escaped = awaitSleep("61.8");
            runtime.getOutputStream().close();
            assertThat(runtime.waitFor(5, TimeUnit.SECONDS)).as("the runtime exits").isTrue();
            // Gone, with its escaped child still in the namespace held here.
            Process other = new ProcessBuilder(PrivateTmp.wrap(Files.createDirectories(dir.resolve("other-tmp")), List.of(), List.of(),
                    List.of("/bin/sh", "-c", "echo started; exec sleep 30"))).start();
            try {
                assertThat(new String(other.getInputStream().readNBytes(8))).isEqualTo("started\n");

                RuntimeLaunch.kill(runtime, held);

                assertThat(escaped.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
                assertThat(other.isAlive()).as("another environment's runtime").isTrue();
            } finally {
                other.destroyForcibly();
            }
        } finally {
            held.close();
            runtime.destroyForcibly();
        }
    }

    @Test
    void aHeldNamespacesNumberIsNoOtherNamespacesAfterItsProcessesAreGone(@TempDir Path dir) throws Exception {
        assumeTrue(PrivateTmp.available(), "no private /tmp on this machine");
        Process first = new ProcessBuilder(PrivateTmp.wrap(Files.createDirectories(dir.resolve("first")), List.of(), List.of(),
                List.of("/bin/sh", "-c", "read line"))).start();
        try (MountNamespace held = awaitNamespace(first)) {
            first.getOutputStream().close();
            assertThat(first.waitFor(5, TimeUnit.SECONDS)).isTrue();
            // The kernel numbers a new namespace with the lowest free number: the one just freed, were it not held.
            for (int i = 0; i < 3; i++) {
                Process next = new ProcessBuilder(PrivateTmp.wrap(Files.createDirectories(dir.resolve("next-" + i)), List.of(), List.of(),
                        List.of("/bin/sh", "-c", "read line"))).start();
                try (MountNamespace other = awaitNamespace(next)) {
                    assertThat(other.toString()).isNotEqualTo(held.toString());
                } finally {
                    next.destroyForcibly();
                }
            }
        }
    }

    private static MountNamespace awaitNamespace(Process process) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            MountNamespace namespace = MountNamespace.of(process.pid());
            if (namespace != null) {
                return namespace;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no namespace of its own");
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
