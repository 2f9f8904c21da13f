package io.stratus.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.EventBus;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Targets;
import io.stratus.events.EventsModel.PutRuleRequest;
import io.stratus.events.EventsModel.PutTargetsRequest;
import io.stratus.events.EventsModel.Target;
import io.stratus.storage.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@link EventBus} other services put events through: the default bus, bus ARNs, policies, forwarding. */
class EventBusSpiTest {

    private static final String ACCOUNT = "000000000000";
    private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:q";

    /** A delivery the fake targets took. */
    private record Delivery(Arn target, String payload, Targets.Options options) {}

    /** Targets that take every delivery and remember it. */
    private static final class RecordingTargets implements Targets {
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();

        @Override
        public boolean exists(Arn target) {
            return true;
        }

        @Override
        public boolean allows(Arn target, ServiceCaller caller) {
            return true;
        }

        @Override
        public void deliver(Arn target, byte[] payload, Options options) {
            deliveries.add(new Delivery(target, new String(payload, StandardCharsets.UTF_8), options));
        }

        Delivery next() throws InterruptedException {
            Delivery delivery = deliveries.poll(10, TimeUnit.SECONDS);
            assertThat(delivery).as("a delivery").isNotNull();
            return delivery;
        }
    }

    private final MemoryStore store = new MemoryStore();
    private final RecordingTargets targets = new RecordingTargets();
    private final EventsService service = new EventsService(store, Clock.systemUTC(), targets, Duration.ofMillis(10));
    private final EventBus buses = service.buses();
    private final EventStore events = new EventStore(store);

    EventBusSpiTest() {
        service.start();
    }

    @AfterEach
    void close() {
        service.close();
        store.close();
    }

    private static RequestContext context() {
        return new RequestContext("r", ACCOUNT, "us-east-1", "test", Principal.root(ACCOUNT), Instant.now());
    }

    private void ruleToQueue(String bus, String name, String pattern) {
        new RuleOperations(events, Clock.systemUTC()).putRule(context(), new PutRuleRequest(name, null, pattern, null, null, null, null, bus));
        new TargetOperations(events).putTargets(context(), new PutTargetsRequest(name, bus,
                List.of(new Target("q", QUEUE, null, null, null, null, null, null, null, null))));
    }

    @Test
    void anEmittedEventGoesToTheDefaultBusAndReachesTargetsAsEventBridge() throws Exception {
        ruleToQueue(null, "objects", "{\"source\":[\"aws.s3\"]}");

        String id = buses.emit(ACCOUNT, "us-east-1", new EventBus.Event("aws.s3", "Object Created", "{\"bucket\":{\"name\":\"b\"}}",
                List.of("arn:aws:s3:::b"), null));

        Delivery delivery = targets.next();
        assertThat(delivery.target().toString()).isEqualTo(QUEUE);
        JsonNode event = EventStore.JSON.readTree(delivery.payload());
        assertThat(event.get("id").asText()).isEqualTo(id);
        assertThat(event.get("source").asText()).isEqualTo("aws.s3");
        assertThat(event.get("resources").get(0).asText()).isEqualTo("arn:aws:s3:::b");
        assertThat(delivery.options().caller()).isEqualTo(new ServiceCaller("events.amazonaws.com",
                "arn:aws:events:us-east-1:000000000000:rule/objects", ACCOUNT));
    }

    @Test
    void busesAreCheckedForExistenceAndPolicy() {
        Arn missing = Arn.parse("arn:aws:events:us-east-1:000000000000:event-bus/missing");
        Arn defaultBus = Arn.parse("arn:aws:events:us-east-1:000000000000:event-bus/default");
        ServiceCaller sameAccount = new ServiceCaller("lambda.amazonaws.com", "arn:aws:lambda:us-east-1:000000000000:function:f", ACCOUNT);
        ServiceCaller otherAccount = new ServiceCaller("lambda.amazonaws.com", "arn:aws:lambda:us-east-1:111122223333:function:f", "111122223333");

        assertThat(buses.exists(defaultBus)).isTrue();
        assertThat(buses.exists(missing)).isFalse();
        assertThat(buses.allows(defaultBus, sameAccount)).isTrue();
        assertThat(buses.allows(defaultBus, otherAccount)).isFalse();

        EventBus.Event event = new EventBus.Event("lambda", "Lambda Function Invocation Result - Success", "{}", List.of(), null);
        assertThatThrownBy(() -> buses.put(missing, event, null)).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.errorCode()).isEqualTo(EventsErrors.RESOURCE_NOT_FOUND));
        assertThatThrownBy(() -> buses.put(defaultBus, event, otherAccount)).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.errorCode().code()).isEqualTo("AccessDeniedException"));

        new BusOperations(events, Clock.systemUTC()).putPermission(context(),
                new EventsModel.PutPermissionRequest(null, "events:PutEvents", "111122223333", "partner", null, null));
        assertThat(buses.allows(defaultBus, otherAccount)).isTrue();
        assertThat(buses.put(defaultBus, event, otherAccount)).isNotBlank();
    }

    @Test
    void aForwardedEventKeepsItsId() throws Exception {
        ruleToQueue(null, "forwarded", "{\"source\":[\"elsewhere\"]}");
        String event = "{\"version\":\"0\",\"id\":\"fixed-id\",\"detail-type\":\"T\",\"source\":\"elsewhere\",\"account\":\"111122223333\","
                + "\"time\":\"2026-12-03T12:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":{}}";

        assertThat(buses.forward(Arn.parse("arn:aws:events:us-east-1:000000000000:event-bus/default"), event, null)).isEqualTo("fixed-id");

        assertThat(EventStore.JSON.readTree(targets.next().payload()).get("id").asText()).isEqualTo("fixed-id");
    }
}
