package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.spi.Logs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FunctionLogTest {

    private static final String END = "\u001fstratus-invocation-end ";

    private static String follow(byte[] output, String requestId) {
        FunctionLog log = new FunctionLog("fn", java.time.Clock.systemUTC());
        log.follow(new ByteArrayInputStream(output));
        log.awaitEnd(requestId, Duration.ofSeconds(20));
        return FunctionLog.text(log.take());
    }

    @Test
    void anInitErrorLoggedAfterItsReportStillComesBeforeTheStartLine() throws Exception {
        FunctionLog log = new FunctionLog("fn", java.time.Clock.systemUTC());
        java.io.PipedOutputStream runtime = new java.io.PipedOutputStream();
        log.follow(new java.io.PipedInputStream(runtime));
        log.appendAfterInit("START RequestId: r1");
        // The runtime's report of its init error came first; what it logged before the report is read later.
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
                runtime.write("[ERROR] Runtime.UserCodeSyntaxError: bad\n\u001fstratus-init-end\n".getBytes(StandardCharsets.UTF_8));
                runtime.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        log.awaitInitEnd(Duration.ofSeconds(20));
        log.flushAfterInit();

        assertThat(FunctionLog.text(log.take())).isEqualTo("[ERROR] Runtime.UserCodeSyntaxError: bad\nSTART RequestId: r1\n");
    }

    @Test
    void linesTheFilterLeavesOutAreNotLoggedYetMentioned() {
        FunctionLog log = new FunctionLog("fn", java.time.Clock.systemUTC(), line -> !line.startsWith("FATAL"));
        log.follow(new ByteArrayInputStream(("kept\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n"
                + END + "r1\n").getBytes(StandardCharsets.UTF_8)));
        log.awaitEnd("r1", Duration.ofSeconds(20));

        assertThat(log.mentions("JavaScript heap out of memory")).isTrue();
        assertThat(FunctionLog.text(log.take())).isEqualTo("kept\n");
        assertThat(log.mentions("JavaScript heap out of memory")).isFalse();
    }

    @Test
    void mentionsLooksAtTheLinesNotYetTaken() {
        FunctionLog log = new FunctionLog("fn", java.time.Clock.systemUTC());
        log.follow(new ByteArrayInputStream("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(log.awaitFinished(Duration.ofSeconds(20))).isTrue();

        assertThat(log.mentions("JavaScript heap out of memory")).isTrue();
        assertThat(log.mentions("something else")).isFalse();
        log.take();
        assertThat(log.mentions("JavaScript heap out of memory")).isFalse();
    }

    @Test
    void aHugeLineIsCutAtTheCloudWatchEventLimit() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        byte[] huge = new byte[20 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'x');
        output.writeBytes(huge);
        output.writeBytes(("\nafter\r\npartial" + END + "req-1\n").getBytes(StandardCharsets.UTF_8));

        String log = follow(output.toByteArray(), "req-1");

        assertThat(log).isEqualTo("x".repeat(FunctionLog.MAX_LINE_BYTES) + "\nafter\npartial\n");
    }

    @Test
    void manyLinesKeepOnlyTheLatestAndCostLinearTime() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int count = 300_000;
        for (int i = 0; i < count; i++) {
            output.writeBytes(("line " + i + " " + "y".repeat(40) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        output.writeBytes((END + "req-2\n").getBytes(StandardCharsets.UTF_8));

        long start = System.nanoTime();
        String log = follow(output.toByteArray(), "req-2");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // Copying the whole kept log on each line once full took tens of seconds for this much output.
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(log.length()).isLessThanOrEqualTo(FunctionLog.MAX_KEPT_CHARS).isGreaterThan(FunctionLog.MAX_KEPT_CHARS - 100);
        assertThat(log).startsWith("line ").endsWith("line " + (count - 1) + " " + "y".repeat(40) + "\n");
        assertThat(log).doesNotContain("line 0 ");
    }

    @Test
    void takeStartsAfreshAndPlatformLinesInterleave() {
        FunctionLog log = new FunctionLog("fn", java.time.Clock.systemUTC());
        log.append("START RequestId: a");
        log.follow(new ByteArrayInputStream(("hello\n" + END + "a\n").getBytes(StandardCharsets.UTF_8)));
        log.awaitEnd("a", Duration.ofSeconds(5));
        log.append("END RequestId: a");

        assertThat(FunctionLog.text(log.take())).isEqualTo("START RequestId: a\nhello\nEND RequestId: a\n");
        assertThat(log.take()).isEmpty();
    }

    @Test
    void aLineCanGoBeforeTheHeldStartWhetherItWaitsOrWasAdded() {
        FunctionLog waiting = new FunctionLog("fn", java.time.Clock.systemUTC());
        waiting.appendAfterInit("START RequestId: r1");
        waiting.appendBeforeHeld("INIT_REPORT failed", line -> line.startsWith("START "));
        waiting.flushAfterInit();
        assertThat(waiting.take()).extracting(Logs.Event::message).containsExactly("INIT_REPORT failed\n", "START RequestId: r1\n");

        FunctionLog added = new FunctionLog("fn", java.time.Clock.systemUTC());
        added.append("loading");
        added.append("START RequestId: r2");
        added.append("an error");
        added.appendBeforeHeld("INIT_REPORT failed", line -> line.startsWith("START "));
        assertThat(added.take()).extracting(Logs.Event::message)
                .containsExactly("loading\n", "INIT_REPORT failed\n", "START RequestId: r2\n", "an error\n");
    }
}
