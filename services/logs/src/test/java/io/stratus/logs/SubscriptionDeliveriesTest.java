package io.stratus.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.storage.KeyRange;
import io.stratus.storage.MemoryStore;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Subscription filters: the events a filter matches are staged with the append that wrote them and
 * delivered as CloudWatch Logs delivers them to Lambda — durably (a service that never got to send
 * them leaves them to the next one on the same store), retried while the destination fails for a
 * while, dropped when it refuses for good. The destinations are {@link RecordingTargets}.
 */
class SubscriptionDeliveriesTest {

    private static final String ACCOUNT = "000000000000";
    private static final String REGION = "us-east-1";
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:000000000000:function:shipper";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store = new MemoryStore();
    private final Clock clock = Clock.systemUTC();
    private final RecordingTargets targets = new RecordingTargets();
    private final List<SubscriptionDeliveries> started = new ArrayList<>();
    private final RequestContext context = new RequestContext("r", ACCOUNT, REGION, null, Principal.root(ACCOUNT), clock.instant());

    @AfterEach
    void stop() {
        started.forEach(SubscriptionDeliveries::close);
    }

    /** The parts of the service these tests drive, on {@link #store}. */
    private final class Logs {
        final LogStore logs = new LogStore(store);
        final SubscriptionDeliveries deliveries = new SubscriptionDeliveries(store, targets, clock);
        final EventOperations events = new EventOperations(logs, deliveries, clock);
        final SubscriptionOperations subscriptions = new SubscriptionOperations(logs, targets, clock);

        Logs start() {
            deliveries.start();
            started.add(deliveries);
            return this;
        }

        void group(String name, String... streams) {
            new GroupOperations(logs, clock).create(ACCOUNT, REGION, new LogGroup(name, clock.millis(), 1, null, null, null, null));
            for (String stream : streams) {
                new StreamOperations(logs, clock).create(ACCOUNT, REGION, name, stream);
            }
        }

        void subscribe(String group, String filter, String pattern) {
            subscriptions.putSubscriptionFilter(context,
                    new LogsModel.PutSubscriptionFilterRequest(group, filter, pattern, FUNCTION, null, null, null, null, null));
        }

        void put(String group, String stream, String... messages) {
            List<LogsModel.InputLogEvent> batch = new ArrayList<>();
            for (String message : messages) {
                batch.add(new LogsModel.InputLogEvent(clock.millis(), message));
            }
            events.append(ACCOUNT, REGION, group, stream, batch, clock.millis());
        }
    }

    @Test
    void whatAFilterMatchesReachesTheFunctionAsAGzippedDataMessage() throws IOException {
        Logs logs = new Logs().start();
        logs.group("/app/api", "web-1");
        logs.subscribe("/app/api", "errors", "ERROR");

        logs.put("/app/api", "web-1", "INFO all good", "ERROR disk full", "ERROR again");

        await(() -> targets.delivered.size() == 1);
        RecordingTargets.Delivered delivery = targets.delivered.getFirst();
        assertThat(delivery.target().toString()).isEqualTo(FUNCTION);
        assertThat(delivery.caller().principal()).isEqualTo("logs.amazonaws.com");
        assertThat(delivery.caller().sourceArn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/app/api:*");
        assertThat(delivery.caller().sourceAccount()).isEqualTo(ACCOUNT);
        JsonNode message = unpack(delivery.payload());
        assertThat(message.path("messageType").asText()).isEqualTo("DATA_MESSAGE");
        assertThat(message.path("owner").asText()).isEqualTo(ACCOUNT);
        assertThat(message.path("logGroup").asText()).isEqualTo("/app/api");
        assertThat(message.path("logStream").asText()).isEqualTo("web-1");
        assertThat(message.path("subscriptionFilters").get(0).asText()).isEqualTo("errors");
        assertThat(message.path("logEvents")).hasSize(2);
        assertThat(message.path("logEvents").get(0).path("message").asText()).isEqualTo("ERROR disk full");
        assertThat(message.path("logEvents").get(1).path("message").asText()).isEqualTo("ERROR again");
        assertThat(message.path("logEvents").get(0).path("id").asText()).isNotEqualTo(message.path("logEvents").get(1).path("id").asText());
        await(() -> staged() == 0); // settled once delivered
    }

    @Test
    void aBatchNothingMatchesStagesNothing() {
        Logs logs = new Logs();
        logs.group("/app/api", "web-1");
        logs.subscribe("/app/api", "errors", "ERROR");

        logs.put("/app/api", "web-1", "INFO all good");

        assertThat(staged()).isZero();
    }

    @Test
    void whatWasStagedButNotSentIsSentByTheNextServiceOnTheStore() {
        Logs before = new Logs(); // never started: a crash right after the append committed
        before.group("/app/api", "web-1");
        before.subscribe("/app/api", "all", "");
        before.put("/app/api", "web-1", "first");
        assertThat(staged()).isOne();

        new Logs().start();

        await(() -> targets.delivered.size() == 1);
        await(() -> staged() == 0);
    }

    @Test
    void aDestinationThatFailsForAWhileGetsTheEventsLater() {
        Logs logs = new Logs().start();
        logs.group("/app/api", "web-1");
        logs.subscribe("/app/api", "all", "");
        targets.failure = new AwsException(CommonErrors.SERVICE_UNAVAILABLE, "the function's service is having a bad day");

        logs.put("/app/api", "web-1", "kept for later");
        await(() -> staged() == 1 && storedAttempts() >= 1);
        targets.failure = null;

        await(() -> targets.delivered.size() == 1);
        await(() -> staged() == 0);
    }

    @Test
    void aDestinationThatRefusesForGoodDropsTheEvents() {
        Logs logs = new Logs().start();
        logs.group("/app/api", "web-1");
        logs.subscribe("/app/api", "all", "");
        targets.failure = AwsException.of(LogsErrors.RESOURCE_NOT_FOUND, "Function not found");

        logs.put("/app/api", "web-1", "lost");

        await(() -> staged() == 0);
        assertThat(targets.delivered).isEmpty();
    }

    @Test
    void aBatchTooLargeForOneInvocationIsSplit() throws IOException {
        Logs logs = new Logs().start();
        logs.group("/app/api", "web-1");
        logs.subscribe("/app/api", "all", "");
        String big = "x".repeat(200 * 1024);

        logs.put("/app/api", "web-1", big, big, big, big);

        await(() -> targets.delivered.size() == 2);
        int events = 0;
        for (RecordingTargets.Delivered delivery : targets.delivered) {
            assertThat(delivery.payload().length).isLessThan(1024 * 1024);
            events += unpack(delivery.payload()).path("logEvents").size();
        }
        assertThat(events).isEqualTo(4);
    }

    @Test
    void aGroupHasTwoFiltersAtMostAndEachGetsItsOwnDelivery() throws IOException {
        Logs logs = new Logs().start();
        logs.group("/app/api", "web-1");
        logs.subscribe("/app/api", "errors", "ERROR");
        logs.subscribe("/app/api", "all", "");
        logs.subscribe("/app/api", "errors", "?ERROR ?FATAL"); // replaces: still two

        assertThatThrownBy(() -> logs.subscribe("/app/api", "third", ""))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(LogsErrors.LIMIT_EXCEEDED));
        var described = logs.subscriptions.describeSubscriptionFilters(context,
                new LogsModel.DescribeSubscriptionFiltersRequest("/app/api", null, null, null)).subscriptionFilters();
        assertThat(described).extracting(LogsModel.SubscriptionFilterDescription::filterName).containsExactly("all", "errors");
        assertThat(described.get(1).filterPattern()).isEqualTo("?ERROR ?FATAL");
        assertThat(described.get(1).distribution()).isEqualTo("ByLogStream");

        logs.put("/app/api", "web-1", "FATAL out of memory");

        await(() -> targets.delivered.size() == 2);
        List<String> filters = new ArrayList<>();
        for (RecordingTargets.Delivered delivery : targets.delivered) {
            filters.add(unpack(delivery.payload()).path("subscriptionFilters").get(0).asText());
        }
        assertThat(filters).containsExactlyInAnyOrder("all", "errors");
    }

    @Test
    void aFunctionThatDoesNotLetLogsInvokeItIsRefused() {
        Logs logs = new Logs();
        logs.group("/app/api");
        targets.refusing = true;

        assertThatThrownBy(() -> logs.subscribe("/app/api", "errors", "ERROR"))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(LogsErrors.INVALID_PARAMETER);
                    assertThat(e.getMessage()).isEqualTo(
                            "Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.");
                });
    }

    private static JsonNode unpack(byte[] payload) throws IOException {
        String data = JSON.readTree(payload).path("awslogs").path("data").asText();
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(data)))) {
            return JSON.readTree(in);
        }
    }

    private int staged() {
        int count = 0;
        try (Scan scan = store.scan(SubscriptionDeliveries.OUTBOX, KeyRange.all())) {
            while (scan.hasNext()) {
                scan.next();
                count++;
            }
        }
        return count;
    }

    private int storedAttempts() {
        try (Scan scan = store.scan(SubscriptionDeliveries.OUTBOX, KeyRange.all())) {
            return scan.hasNext() ? LogStore.read(scan.next().value(), SubscriptionDeliveries.Delivery.class).attempts() : 0;
        }
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
