package io.stratus.e2e.events;

import static io.stratus.e2e.events.EventsFixture.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBus;
import software.amazon.awssdk.services.eventbridge.model.Tag;

/** Event buses: the default bus, custom buses, their policies and tags, and what AWS refuses. */
@StratusTest
class EventBusesIT {

    @Test
    void theDefaultBusAlwaysExistsAndCannotBeDeleted(EventBridgeClient events) {
        var bus = events.describeEventBus(r -> r.name("default"));
        assertThat(bus.name()).isEqualTo("default");
        assertThat(bus.arn()).isEqualTo("arn:aws:events:us-east-1:000000000000:event-bus/default");
        assertThat(events.describeEventBus(r -> {}).name()).isEqualTo("default");

        assertError(() -> events.deleteEventBus(r -> r.name("default")), "ValidationException", 400, "Cannot delete event bus default.");
        assertThat(events.listEventBuses(r -> r.namePrefix("def")).eventBuses()).extracting(EventBus::name).containsExactly("default");
    }

    @Test
    void customBusesAreCreatedDescribedListedAndDeleted(EventBridgeClient events) {
        var created = events.createEventBus(r -> r.name("orders").description("order events").tags(Tag.builder().key("team").value("shop").build()));
        assertThat(created.eventBusArn()).isEqualTo("arn:aws:events:us-east-1:000000000000:event-bus/orders");

        var described = events.describeEventBus(r -> r.name("orders"));
        assertThat(described.description()).isEqualTo("order events");
        assertThat(described.creationTime()).isNotNull();
        assertThat(events.describeEventBus(r -> r.name(created.eventBusArn())).name()).isEqualTo("orders");
        assertThat(events.listTagsForResource(r -> r.resourceARN(created.eventBusArn())).tags())
                .containsExactly(Tag.builder().key("team").value("shop").build());

        assertError(() -> events.createEventBus(r -> r.name("orders")), "ResourceAlreadyExistsException", 400, "Event bus orders already exists.");
        assertThat(events.listEventBuses(r -> r.namePrefix("ord")).eventBuses()).extracting(EventBus::name).containsExactly("orders");

        events.putRule(r -> r.name("on-order").eventBusName("orders").eventPattern("{\"source\":[\"shop\"]}"));
        assertError(() -> events.deleteEventBus(r -> r.name("orders")), "ValidationException", 400, "EventBus can't be deleted since it has rules.");
        events.deleteRule(r -> r.name("on-order").eventBusName("orders"));

        events.deleteEventBus(r -> r.name("orders"));
        assertError(() -> events.describeEventBus(r -> r.name("orders")), "ResourceNotFoundException", 400, "Event bus orders does not exist.");
        events.deleteEventBus(r -> r.name("orders")); // gone already: still fine, as on AWS
    }

    @Test
    void listingPagesThroughBusesInNameOrder(EventBridgeClient events) {
        for (String name : new String[] {"page-c", "page-a", "page-b"}) {
            events.createEventBus(r -> r.name(name));
        }
        var first = events.listEventBuses(r -> r.namePrefix("page-").limit(2));
        assertThat(first.eventBuses()).extracting(EventBus::name).containsExactly("page-a", "page-b");
        var second = events.listEventBuses(r -> r.namePrefix("page-").limit(2).nextToken(first.nextToken()));
        assertThat(second.eventBuses()).extracting(EventBus::name).containsExactly("page-c");
        assertThat(second.nextToken()).isNull();

        assertError(() -> events.listEventBuses(r -> r.limit(0)), "ValidationException", 400);
    }

    @Test
    void permissionsWriteAndRemoveStatementsOfTheBusPolicy(EventBridgeClient events) {
        events.createEventBus(r -> r.name("shared"));
        events.putPermission(r -> r.eventBusName("shared").action("events:PutEvents").principal("111122223333").statementId("partner"));
        String policy = events.describeEventBus(r -> r.name("shared")).policy();
        assertThat(EventsFixture.json(policy).get("Statement").get(0).get("Principal").get("AWS").asText())
                .isEqualTo("arn:aws:iam::111122223333:root");
        assertThat(EventsFixture.json(policy).get("Statement").get(0).get("Resource").asText())
                .isEqualTo("arn:aws:events:us-east-1:000000000000:event-bus/shared");

        assertError(() -> events.putPermission(r -> r.eventBusName("shared").action("events:PutEvents").principal("111122223333").statementId("partner")),
                "ResourceAlreadyExistsException", 400, "Statement with the provided id already exists.");
        assertError(() -> events.removePermission(r -> r.eventBusName("shared").statementId("nobody")),
                "ResourceNotFoundException", 400, "Statement with the provided id does not exist.");
        assertError(() -> events.putPermission(r -> r.eventBusName("missing").action("events:PutEvents").principal("111122223333").statementId("x")),
                "ResourceNotFoundException", 400, "Event bus missing does not exist.");

        events.removePermission(r -> r.eventBusName("shared").statementId("partner"));
        assertThat(events.describeEventBus(r -> r.name("shared")).policy()).isNull();
    }

    @Test
    void busesAreTaggedAndUntagged(EventBridgeClient events) {
        String arn = events.createEventBus(r -> r.name("tagged")).eventBusArn();
        events.tagResource(r -> r.resourceARN(arn).tags(Tag.builder().key("a").value("1").build(), Tag.builder().key("b").value("2").build()));
        events.untagResource(r -> r.resourceARN(arn).tagKeys("a"));
        assertThat(events.listTagsForResource(r -> r.resourceARN(arn)).tags()).containsExactly(Tag.builder().key("b").value("2").build());

        assertError(() -> events.listTagsForResource(r -> r.resourceARN("arn:aws:events:us-east-1:000000000000:event-bus/none")),
                "ResourceNotFoundException", 400, "Event bus none does not exist.");
    }

    @Test
    void whatStratusDoesNotServeIsAnErrorNotASuccess(EventBridgeClient events) {
        assertError(() -> events.createArchive(r -> r.archiveName("all").eventSourceArn("arn:aws:events:us-east-1:000000000000:event-bus/default")),
                "UnknownOperationException", 400);
        assertError(() -> events.listConnections(r -> {}), "UnknownOperationException", 400);
        assertError(() -> events.listApiDestinations(r -> {}), "UnknownOperationException", 400);
        assertError(() -> events.listReplays(r -> {}), "UnknownOperationException", 400);
        assertError(() -> events.listEndpoints(r -> {}), "UnknownOperationException", 400);
    }
}
