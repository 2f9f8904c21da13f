package io.stratus.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.RequestContext;
import io.stratus.core.spi.Logs;
import io.stratus.storage.MemoryStore;
import io.stratus.storage.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What other services see of CloudWatch Logs: append, creating the group and stream on first use. */
class LogsWriterTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private final Store store = new MemoryStore();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final LogsService service = new LogsService(store, new RecordingTargets(), clock);
    private final RequestContext context = new RequestContext("r", "000000000000", "us-east-1", null,
            io.stratus.core.Principal.root("000000000000"), NOW);

    @Test
    void appendCreatesTheGroupAndStreamAndSortsTheLines() {
        Logs logs = service.logs();

        logs.append("000000000000", "us-east-1", "/aws/lambda/echo", "2026/12/03/[$LATEST]abc", List.of(
                new Logs.Event(NOW.toEpochMilli() + 5, "END RequestId: 1"),
                new Logs.Event(NOW.toEpochMilli(), "START RequestId: 1 Version: $LATEST"),
                new Logs.Event(NOW.toEpochMilli() + 1, "")));
        logs.append("000000000000", "us-east-1", "/aws/lambda/echo", "2026/12/03/[$LATEST]abc", List.of(
                new Logs.Event(NOW.toEpochMilli() + 9, "REPORT RequestId: 1")));

        var reader = new EventOperations(new LogStore(store), new SubscriptionDeliveries(store, new RecordingTargets(), clock), clock);
        var events = reader.getLogEvents(context,
                new LogsModel.GetLogEventsRequest("/aws/lambda/echo", null, "2026/12/03/[$LATEST]abc", null, null, null, null, true)).events();
        assertThat(events).extracting(LogsModel.OutputLogEvent::message)
                .containsExactly("START RequestId: 1 Version: $LATEST", "END RequestId: 1", "REPORT RequestId: 1");
    }
}
