package io.stratus.events;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.EventBus;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.events.EventsModel.PutEventsRequest;
import io.stratus.events.EventsModel.PutEventsRequestEntry;
import io.stratus.events.EventsModel.PutEventsResponse;
import io.stratus.events.EventsModel.PutEventsResultEntry;
import io.stratus.events.EventsModel.TestEventPatternRequest;
import io.stratus.events.EventsModel.TestEventPatternResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Putting events on buses: PutEvents, TestEventPattern, and {@link EventBus} for the other
 * services (S3's notifications, Lambda's destinations, rules targeting a bus). An accepted event's
 * deliveries are in the store before the put returns. Thread-safe.
 */
final class EventOperations implements EventBus {

    static final int MAX_ENTRIES = 10;
    static final int MAX_REQUEST_BYTES = 256 * 1024;

    private final EventStore store;
    private final EventRouting routing;
    private final Deliveries deliveries;
    private final BusPolicy access = new BusPolicy();
    private final Clock clock;

    EventOperations(EventStore store, EventRouting routing, Deliveries deliveries, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.routing = requireNonNull(routing, "routing is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    PutEventsResponse putEvents(RequestContext context, PutEventsRequest request) {
        List<PutEventsRequestEntry> entries = request.entries();
        if (entries == null || entries.isEmpty()) {
            throw EventsErrors.constraint("entries", entries == null ? "null" : "[]", "Member must have length greater than or equal to 1");
        }
        if (entries.size() > MAX_ENTRIES) {
            throw EventsErrors.constraint("entries", "[" + entries.size() + " entries]", "Member must have length less than or equal to 10");
        }
        if (request.endpointId() != null) {
            throw EventsErrors.validation("Stratus does not serve global endpoints: EndpointId must not be set.");
        }
        long size = entries.stream().mapToLong(EventOperations::size).sum();
        if (size > MAX_REQUEST_BYTES) {
            throw EventsErrors.validation("Total size of the entries in the request is over the limit.");
        }
        Instant now = clock.instant();
        List<PutEventsResultEntry> results = new ArrayList<>();
        List<Accepted> accepted = new ArrayList<>();
        for (PutEventsRequestEntry entry : entries) {
            try {
                accepted.add(accept(context, entry, now));
                results.add(new PutEventsResultEntry(accepted.getLast().id(), null, null));
            } catch (EntryError e) {
                accepted.add(null);
                results.add(new PutEventsResultEntry(null, e.code, e.getMessage()));
            }
        }
        int routed = store.store().transaction(txn -> {
            int count = 0;
            for (Accepted event : accepted) {
                if (event != null && event.bus() != null) {
                    count += routing.route(txn, event.bus().account(), event.bus().region(), event.bus().name(), event.json(), now.toEpochMilli());
                }
            }
            return count;
        });
        if (routed > 0) {
            deliveries.wake();
        }
        int failed = (int) results.stream().filter(result -> result.errorCode() != null).count();
        return new PutEventsResponse(failed, results);
    }

    /** An entry that passed: its id, the bus it goes to (null when that bus does not exist), its JSON. */
    private record Accepted(String id, Names.BusRef bus, String json) {}

    /** An entry's failure, as PutEvents reports it in the entry's result. */
    private static final class EntryError extends RuntimeException {
        private final String code;

        EntryError(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private Accepted accept(RequestContext context, PutEventsRequestEntry entry, Instant now) {
        if (entry == null) {
            throw new EntryError("InvalidArgument", "Parameter Entry is not valid. Reason: Entry is a required argument.");
        }
        if (entry.source() == null || entry.source().isEmpty()) {
            throw new EntryError("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.");
        }
        if (entry.detailType() == null || entry.detailType().isEmpty()) {
            throw new EntryError("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
        }
        if (entry.detail() == null || entry.detail().isEmpty()) {
            throw new EntryError("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.");
        }
        JsonNode detail = TargetInput.parse(entry.detail());
        if (!(detail instanceof ObjectNode detailObject)) {
            throw new EntryError("MalformedDetail", "Detail is malformed.");
        }
        if (entry.source().startsWith("aws.")) {
            throw new EntryError("NotAuthorizedForSourceException", "Not authorized for the source.");
        }
        Names.BusRef ref;
        try {
            ref = Names.bus(context, entry.eventBusName());
        } catch (AwsException e) {
            throw new EntryError("InvalidArgument", e.getMessage());
        }
        Optional<Bus> bus = EventStore.bus(store.store(), ref.account(), ref.region(), ref.name());
        if (bus.isPresent() && !access.allows(context, bus.get(), ref.arn())) {
            throw new EntryError("AccessDeniedException", "User: " + context.principal().arn()
                    + " is not authorized to perform: events:PutEvents on resource: " + ref.arn() + " because no resource-based policy allows the events:PutEvents action");
        }
        String id = UUID.randomUUID().toString();
        Instant time = entry.time() == null ? now : entry.time();
        ObjectNode event = EventRouting.event(id, entry.detailType(), entry.source(), context.accountId(), time, context.region(),
                entry.resources() == null ? List.of() : entry.resources(), detailObject);
        // As on AWS, an event put on a bus that does not exist is acknowledged and goes nowhere.
        return new Accepted(id, bus.isPresent() ? ref : null, event.toString());
    }

    /** An entry's size as AWS counts it against the request's 256 KiB. */
    private static long size(PutEventsRequestEntry entry) {
        if (entry == null) {
            return 0;
        }
        long size = entry.time() == null ? 0 : 14;
        size += utf8(entry.source()) + utf8(entry.detailType()) + utf8(entry.detail());
        if (entry.resources() != null) {
            size += entry.resources().stream().mapToLong(EventOperations::utf8).sum();
        }
        return size;
    }

    private static long utf8(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    TestEventPatternResponse testEventPattern(RequestContext context, TestEventPatternRequest request) {
        if (request.eventPattern() == null) {
            throw EventsErrors.constraint("eventPattern", "null", "Member must not be null");
        }
        if (request.event() == null) {
            throw EventsErrors.constraint("event", "null", "Member must not be null");
        }
        EventPatterns.validate(request.eventPattern());
        JsonNode event = TargetInput.parse(request.event());
        if (!(event instanceof ObjectNode)) {
            throw EventsErrors.validation("Parameter Event is not valid.");
        }
        for (String field : List.of("id", "account", "source", "time", "region", "detail-type")) {
            if (!event.hasNonNull(field)) {
                throw EventsErrors.validation("Parameter Event is not valid.");
            }
        }
        return new TestEventPatternResponse(routing.patterns().matches(request.eventPattern(), request.event()));
    }

    // EventBus, for the other services

    @Override
    public boolean exists(Arn bus) {
        return lookup(bus).isPresent();
    }

    @Override
    public boolean allows(Arn bus, ServiceCaller caller) {
        requireNonNull(caller, "caller is null");
        return lookup(bus).map(found -> access.allows(caller, found, bus)).orElse(false);
    }

    @Override
    public String emit(String accountId, String region, Event event) {
        requireNonNull(event, "event is null");
        return putChecked(Bus.arn(accountId, region, Bus.DEFAULT), event, accountId);
    }

    @Override
    public String put(Arn bus, Event event, ServiceCaller caller) {
        requireNonNull(event, "event is null");
        check(bus, caller);
        return putChecked(bus, event, caller == null ? bus.accountId() : caller.sourceAccount());
    }

    private String putChecked(Arn bus, Event event, String account) {
        JsonNode detail = TargetInput.parse(event.detail());
        if (!(detail instanceof ObjectNode detailObject)) {
            throw AwsException.of(EventsErrors.VALIDATION, "Detail is malformed.");
        }
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        ObjectNode json = EventRouting.event(id, event.detailType(), event.source(), account, event.time() == null ? now : event.time(),
                bus.region(), event.resources(), detailObject);
        route(bus, json.toString(), now);
        return id;
    }

    @Override
    public String forward(Arn bus, String event, ServiceCaller caller) {
        requireNonNull(event, "event is null");
        check(bus, caller);
        JsonNode json = TargetInput.parse(event);
        if (!(json instanceof ObjectNode) || !json.hasNonNull("id")) {
            throw AwsException.of(EventsErrors.VALIDATION, "Parameter Event is not valid.");
        }
        route(bus, event, clock.instant());
        return json.get("id").asText();
    }

    private void check(Arn bus, ServiceCaller caller) {
        Bus found = lookup(bus).orElseThrow(() -> EventsErrors.busNotFound(busName(bus)));
        if (caller != null && !access.allows(caller, found, bus)) {
            throw AwsException.of(CommonErrors.ACCESS_DENIED_EXCEPTION, "%s is not authorized to perform: events:PutEvents on resource: %s",
                    caller.principal(), bus);
        }
    }

    private void route(Arn bus, String event, Instant now) {
        int routed = store.store().transaction(txn -> routing.route(txn, bus.accountId(), bus.region(), busName(bus), event, now.toEpochMilli()));
        if (routed > 0) {
            deliveries.wake();
        }
    }

    private Optional<Bus> lookup(Arn bus) {
        requireNonNull(bus, "bus is null");
        if (!bus.service().equals("events") || !bus.resource().startsWith("event-bus/")) {
            return Optional.empty();
        }
        return EventStore.bus(store.store(), bus.accountId(), bus.region(), busName(bus));
    }

    private static String busName(Arn bus) {
        return bus.resource().substring("event-bus/".length());
    }
}
