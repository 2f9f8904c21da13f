package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryWatchTest {

    @Test
    void readsAProcesssResidentMemory() {
        long self = ProcessHandle.current().pid();
        long resident = MemoryWatch.residentBytes(self);
        assertThat(resident).isGreaterThan(10L << 20);
        // The peak, read after: never below what was resident before.
        assertThat(MemoryWatch.statusKb(self, "VmHWM:") * 1024).isGreaterThanOrEqualTo(resident);
    }

    @Test
    void residentMemoryFromStatmIsStatussVmRss() {
        long self = ProcessHandle.current().pid();
        long statm = MemoryWatch.residentBytes(self);
        long status = MemoryWatch.statusKb(self, "VmRSS:") * 1024;
        assertThat((double) statm).isCloseTo(status, org.assertj.core.data.Percentage.withPercentage(10));
    }

    @Test
    void reportsATreePastItsLimitAndRemembersItsPeak() throws Exception {
        // A shell whose child holds no more than a few MB: a limit of 1 KB is passed at once.
        Process shell = new ProcessBuilder("sh", "-c", "sleep 30 & wait").start();
        try {
            MemoryWatch.Watched watched = MemoryWatch.SHARED.watch(shell, 1024);
            watched.busy(true);
            long exceeded = watched.exceeded().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(exceeded).isGreaterThan(1024);
            assertThat(watched.peakBytes()).isGreaterThanOrEqualTo(exceeded);

            MemoryWatch.Watched roomy = MemoryWatch.SHARED.watch(shell, 1L << 40);
            roomy.busy(true);
            Thread.sleep(3 * MemoryWatch.BUSY_PERIOD_MILLIS + 600);
            assertThat(roomy.exceeded()).isNotDone();
            assertThat(roomy.peakBytes()).as("the shell and its sleep").isGreaterThan(MemoryWatch.residentBytes(shell.pid()));
        } finally {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
        }
    }

    @Test
    void companionsCountWithTheRuntime() throws Exception {
        Process runtime = new ProcessBuilder("sleep", "30").start();
        Process companion = new ProcessBuilder("sh", "-c", "sleep 30 & wait").start();
        try {
            long alone = MemoryWatch.residentBytes(runtime.pid());
            MemoryWatch.Watched watched = MemoryWatch.SHARED.watch(runtime, java.util.List.of(companion), 1L << 40);
            watched.busy(true);
            Thread.sleep(3 * MemoryWatch.BUSY_PERIOD_MILLIS + 600);
            assertThat(watched.peakBytes()).as("the runtime, the companion shell and its sleep")
                    .isGreaterThanOrEqualTo(alone + MemoryWatch.residentBytes(companion.pid()));
        } finally {
            companion.descendants().forEach(ProcessHandle::destroyForcibly);
            companion.destroyForcibly();
            runtime.destroyForcibly();
        }
    }

    @Test
    void aGoneProcessHasNoMemory() {
        assertThat(MemoryWatch.residentBytes(Long.MAX_VALUE)).isZero();
    }

    @Test
    void dataLimitIsABackstopWellAboveTheFunctionsMemory() {
        assertThat(RuntimeLaunch.dataLimitBytes(128)).isEqualTo(384L << 20);
        assertThat(RuntimeLaunch.dataLimitBytes(1024)).isEqualTo(2048L << 20);
    }
}
