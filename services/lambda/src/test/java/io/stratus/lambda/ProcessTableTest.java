package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessTableTest {

    @Test
    void findsTheParentAfterTheCommandWhateverItHolds() {
        assertThat(parentPid("4242 (python3) S 17 4242 4242 0 -1 4194560 1331 0 0 0 2 0 0 0 20 0 1")).isEqualTo(17);
        assertThat(parentPid("4242 (a) b) (c) R 1 4242 4242 0")).isEqualTo(1);
        // Cut short after the parent, as a read of the line's head is.
        assertThat(parentPid("4242 (lambda-runtime) S 977")).isEqualTo(977);
        assertThat(parentPid("2 (kthreadd) S 0 0 0 0")).isZero();
        assertThat(parentPid("4242 (truncated")).isZero();
        assertThat(parentPid("")).isZero();
    }

    @Test
    void listsEveryProcessUnderItsParent() throws Exception {
        Process shell = new ProcessBuilder("sh", "-c", "sleep 30 & sleep 30 & wait").start();
        try {
            long deadline = System.nanoTime() + 5_000_000_000L;
            List<Long> descendants = List.of();
            while (descendants.size() < 2 && System.nanoTime() < deadline) {
                Map<Long, List<Long>> children = new ProcessTable().childrenByParent();
                assertThat(children.get(ProcessHandle.current().pid())).contains(shell.pid());
                descendants = ProcessTable.descendants(shell.pid(), children);
                Thread.sleep(20);
            }
            assertThat(descendants).containsExactlyInAnyOrderElementsOf(shell.descendants().map(ProcessHandle::pid).toList());
            assertThat(descendants).hasSize(2);
        } finally {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
        }
    }

    private static long parentPid(String stat) {
        byte[] bytes = stat.getBytes(StandardCharsets.ISO_8859_1);
        return ProcessTable.parentPid(bytes, bytes.length);
    }
}
