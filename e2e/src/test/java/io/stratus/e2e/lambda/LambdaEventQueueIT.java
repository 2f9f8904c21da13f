package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.StratusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** {@code Event} invocations wait in their function's queue and run a few at a time, with a real node function. */
@StratusTest
class LambdaEventQueueIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code LambdaSettings.DEFAULT_ASYNC_CONCURRENCY}, which the test server runs with. */
    private static final int BOUND = 4;
    private static final int EVENTS = 40;

    /** When one invocation ran, as the function saw it, in epoch milliseconds. */
    private record Run(int n, long start, long end) {}

    @Test
    void burstOfEventsRunsEveryEventOnceAndNoMoreThanTheBoundAtOnce(LambdaClient lambda, @TempDir Path dir) throws Exception {
        // A generous timeout: four cold starts at once on a loaded machine can pass the default 3 s,
        // and a timed-out event would be retried (after a minute).
        lambda.createFunction(request("event-burst", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", """
                const fs = require('fs');
                exports.handler = async (event) => {
                  const start = Date.now();
                  await new Promise((resolve) => setTimeout(resolve, 100));
                  const end = Date.now();
                  fs.appendFileSync(event.path, `${event.n} ${start} ${end}\\n`);
                };
                """)).timeout(30).build());
        FunctionStates.awaitUpdated(lambda, "event-burst");
        Path runs = dir.resolve("runs.txt");

        for (int n = 0; n < EVENTS; n++) {
            String payload = JSON.createObjectNode().put("path", runs.toString()).put("n", n).toString();
            assertThat(lambda.invoke(r -> r.functionName("event-burst").invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String(payload))).statusCode()).isEqualTo(202);
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Run> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = read(runs);
            if (lines.size() >= EVENTS) {
                break;
            }
            Thread.sleep(50);
        }

        assertThat(lines).hasSize(EVENTS);
        assertThat(lines).extracting(Run::n).containsExactlyInAnyOrderElementsOf(IntStream.range(0, EVENTS).boxed().toList());
        int peak = peakConcurrency(lines);
        assertThat(peak).as("most invocations running at once").isLessThanOrEqualTo(BOUND);
        assertThat(peak).as("the queue still runs events side by side").isGreaterThan(1);
    }

    private static List<Run> read(Path runs) throws Exception {
        if (!Files.exists(runs)) {
            return List.of();
        }
        List<Run> lines = new ArrayList<>();
        String text = Files.readString(runs);
        // A line still being appended (no newline yet) is read next time round.
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).lines().toList()) {
            String[] parts = line.split(" ");
            lines.add(new Run(Integer.parseInt(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])));
        }
        return lines;
    }

    /**
     * The most runs whose intervals overlap. An end and a start in the same millisecond count as
     * not overlapping: the function records its end before it returns, so the run that took its
     * place started after it.
     */
    private static int peakConcurrency(List<Run> runs) {
        List<long[]> edges = new ArrayList<>();
        for (Run run : runs) {
            edges.add(new long[] {run.start(), 1});
            edges.add(new long[] {run.end(), -1});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int running = 0;
        int peak = 0;
        for (long[] edge : edges) {
            running += (int) edge[1];
            peak = Math.max(peak, running);
        }
        return peak;
    }
}
