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
    void aGoneProcessHasNoMemory() {
        assertThat(MemoryWatch.residentBytes(Long.MAX_VALUE)).isZero();
    }

    @Test
    void dataLimitIsABackstopWellAboveTheFunctionsMemory() {
        assertThat(ExecutionEnvironment.dataLimitBytes(128)).isEqualTo(384L << 20);
        assertThat(ExecutionEnvironment.dataLimitBytes(1024)).isEqualTo(2048L << 20);
    }
}
