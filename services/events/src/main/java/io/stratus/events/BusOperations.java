package io.stratus.events;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.events.EventsModel.CreateEventBusRequest;
import io.stratus.events.EventsModel.CreateEventBusResponse;
import io.stratus.events.EventsModel.DescribeEventBusResponse;
import io.stratus.events.EventsModel.Empty;
import io.stratus.events.EventsModel.EventBusEntry;
import io.stratus.events.EventsModel.ListEventBusesRequest;
import io.stratus.events.EventsModel.ListEventBusesResponse;
import io.stratus.events.EventsModel.NameRequest;
import io.stratus.events.EventsModel.PutPermissionRequest;
import io.stratus.events.EventsModel.RemovePermissionRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** Event buses: create, delete, describe, list, and their resource policies. Thread-safe. */
final class BusOperations {

    /** AWS's quota of event buses per account and region (the default bus not counted). */
    static final int MAX_BUSES = 100;
    private static final Pattern CUSTOM_NAME = Pattern.compile("[.\\-_A-Za-z0-9]{1,256}");

    private final EventStore store;
    private final Clock clock;

    BusOperations(EventStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    CreateEventBusResponse createEventBus(RequestContext context, CreateEventBusRequest request) {
        String name = request.name();
        if (name == null) {
            throw EventsErrors.constraint("name", "null", "Member must not be null");
        }
        if (request.eventSourceName() != null || name.startsWith("aws.partner/")) {
            throw EventsErrors.validation("Stratus does not serve partner event sources: event bus %s cannot be created.", name);
        }
        if (!CUSTOM_NAME.matcher(name).matches()) {
            throw EventsErrors.validation("Event bus name must not contain '/'.");
        }
        if (request.kmsKeyIdentifier() != null || request.deadLetterConfig() != null) {
            throw EventsErrors.validation("Stratus does not serve event bus encryption or dead-letter queues on buses yet.");
        }
        if (request.description() != null && request.description().length() > 512) {
            throw EventsErrors.constraint("description", request.description(), "Member must have length less than or equal to 512");
        }
        var tags = Names.tags(request.tags());
        long now = clock.millis();
        store.store().transaction(txn -> {
            if (EventStore.bus(txn, context.accountId(), context.region(), name).isPresent()) {
                throw AwsException.of(EventsErrors.RESOURCE_ALREADY_EXISTS, "Event bus %s already exists.", name);
            }
            long custom = store.buses(context.accountId(), context.region(), null).stream().filter(b -> !b.name().equals(Bus.DEFAULT)).count();
            if (custom >= MAX_BUSES) {
                throw AwsException.of(EventsErrors.LIMIT_EXCEEDED, "The requested resource exceeds the maximum number allowed.");
            }
            EventStore.putBus(txn, context.accountId(), context.region(), new Bus(name, request.description(), null, now, now, tags));
            return null;
        });
        return new CreateEventBusResponse(Bus.arn(context.accountId(), context.region(), name).toString(), request.description());
    }

    Empty deleteEventBus(RequestContext context, NameRequest request) {
        String name = Names.ownBus(context, requireName(request.name()));
        if (name.equals(Bus.DEFAULT)) {
            throw EventsErrors.validation("Cannot delete event bus default.");
        }
        store.store().transaction(txn -> {
            if (!EventStore.rules(txn, context.accountId(), context.region(), name, null).isEmpty()) {
                throw EventsErrors.validation("EventBus can't be deleted since it has rules.");
            }
            txn.delete(EventStore.BUSES, EventStore.busKey(context.accountId(), context.region(), name));
            return null;
        });
        return new Empty();
    }

    DescribeEventBusResponse describeEventBus(RequestContext context, NameRequest request) {
        String name = Names.ownBus(context, request.name());
        Bus bus = EventStore.requireBus(store.store(), context.accountId(), context.region(), name);
        return new DescribeEventBusResponse(bus.name(), Bus.arn(context.accountId(), context.region(), name).toString(), bus.description(),
                bus.policy(), time(bus.creationTime()), time(bus.lastModifiedTime()));
    }

    ListEventBusesResponse listEventBuses(RequestContext context, ListEventBusesRequest request) {
        int limit = Names.limit(request.limit());
        String prefix = request.namePrefix();
        List<Bus> buses = new ArrayList<>(store.buses(context.accountId(), context.region(), prefix));
        if (buses.stream().noneMatch(b -> b.name().equals(Bus.DEFAULT)) && (prefix == null || Bus.DEFAULT.startsWith(prefix))) {
            buses.add(Bus.defaultBus());
        }
        buses.sort(Comparator.comparing(Bus::name));
        Names.Page<Bus> page = Names.page(buses, Bus::name, request.nextToken(), limit);
        return new ListEventBusesResponse(page.items().stream()
                .map(bus -> new EventBusEntry(bus.name(), Bus.arn(context.accountId(), context.region(), bus.name()).toString(),
                        bus.description(), bus.policy(), time(bus.creationTime()), time(bus.lastModifiedTime())))
                .toList(), page.nextToken());
    }

    Empty putPermission(RequestContext context, PutPermissionRequest request) {
        String name = Names.ownBus(context, request.eventBusName());
        var arn = Bus.arn(context.accountId(), context.region(), name);
        long now = clock.millis();
        store.store().transaction(txn -> {
            Bus bus = EventStore.requireBus(txn, context.accountId(), context.region(), name);
            String policy = request.policy() != null
                    ? BusPolicy.validate(request.policy())
                    : BusPolicy.addStatement(bus.policy(), arn, request.statementId(), request.action(), request.principal(), request.condition());
            EventStore.putBus(txn, context.accountId(), context.region(), bus.withPolicy(policy, now));
            return null;
        });
        return new Empty();
    }

    Empty removePermission(RequestContext context, RemovePermissionRequest request) {
        String name = Names.ownBus(context, request.eventBusName());
        boolean all = Boolean.TRUE.equals(request.removeAllPermissions());
        if (!all && request.statementId() == null) {
            throw EventsErrors.validation("Parameter StatementId is required when RemoveAllPermissions is not true.");
        }
        long now = clock.millis();
        store.store().transaction(txn -> {
            Bus bus = EventStore.requireBus(txn, context.accountId(), context.region(), name);
            String policy = all ? null : BusPolicy.removeStatement(bus.policy(), request.statementId());
            EventStore.putBus(txn, context.accountId(), context.region(), bus.withPolicy(policy, now));
            return null;
        });
        return new Empty();
    }

    private static String requireName(String name) {
        if (name == null) {
            throw EventsErrors.constraint("name", "null", "Member must not be null");
        }
        return name;
    }

    private static Instant time(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }
}
