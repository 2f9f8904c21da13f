package io.stratus.events;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.RequestContext;
import io.stratus.events.EventsModel.Empty;
import io.stratus.events.EventsModel.ListTagsForResourceRequest;
import io.stratus.events.EventsModel.ListTagsForResourceResponse;
import io.stratus.events.EventsModel.TagResourceRequest;
import io.stratus.events.EventsModel.UntagResourceRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Tags of rules and event buses, addressed by ARN. Thread-safe. */
final class TagOperations {

    private final EventStore store;

    TagOperations(EventStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    Empty tagResource(RequestContext context, TagResourceRequest request) {
        if (request.tags() == null) {
            throw EventsErrors.constraint("tags", "null", "Member must not be null");
        }
        Map<String, String> added = Names.tags(request.tags());
        update(context, request.resourceARN(), tags -> {
            Map<String, String> all = new LinkedHashMap<>(tags);
            all.putAll(added);
            if (all.size() > 50) {
                throw EventsErrors.validation("The number of tags exceeds the limit of 50.");
            }
            return all;
        });
        return new Empty();
    }

    Empty untagResource(RequestContext context, UntagResourceRequest request) {
        if (request.tagKeys() == null) {
            throw EventsErrors.constraint("tagKeys", "null", "Member must not be null");
        }
        update(context, request.resourceARN(), tags -> {
            Map<String, String> all = new LinkedHashMap<>(tags);
            request.tagKeys().forEach(all::remove);
            return all;
        });
        return new Empty();
    }

    ListTagsForResourceResponse listTagsForResource(RequestContext context, ListTagsForResourceRequest request) {
        Resource resource = resource(context, request.resourceARN());
        Map<String, String> tags = resource.rule() == null
                ? EventStore.requireBus(store.store(), context.accountId(), context.region(), resource.bus()).tags()
                : EventStore.requireRule(store.store(), context.accountId(), context.region(), resource.bus(), resource.rule()).tags();
        return new ListTagsForResourceResponse(Names.tagList(tags));
    }

    private void update(RequestContext context, String arn, UnaryOperator<Map<String, String>> change) {
        Resource resource = resource(context, arn);
        store.store().transaction(txn -> {
            if (resource.rule() == null) {
                Bus bus = EventStore.requireBus(txn, context.accountId(), context.region(), resource.bus());
                EventStore.putBus(txn, context.accountId(), context.region(), bus.withTags(change.apply(bus.tags())));
            } else {
                Rule rule = EventStore.requireRule(txn, context.accountId(), context.region(), resource.bus(), resource.rule());
                EventStore.putRule(txn, context.accountId(), context.region(), rule.withTags(change.apply(rule.tags())));
            }
            return null;
        });
    }

    /** A bus ({@code rule} null) or a rule of a bus, named by ARN. */
    private record Resource(String bus, String rule) {}

    private static Resource resource(RequestContext context, String text) {
        if (text == null) {
            throw EventsErrors.constraint("resourceARN", "null", "Member must not be null");
        }
        Arn arn;
        try {
            arn = Arn.parse(text);
        } catch (IllegalArgumentException e) {
            throw EventsErrors.validation("Parameter ResourceARN is not valid. Reason: %s is not a valid ARN.", text);
        }
        if (!arn.service().equals("events") || !arn.accountId().equals(context.accountId()) || !arn.region().equals(context.region())) {
            throw EventsErrors.validation("Parameter ResourceARN is not valid. Reason: %s is not a rule or event bus ARN of this account.", text);
        }
        String resource = arn.resource();
        if (resource.startsWith("event-bus/")) {
            return new Resource(resource.substring("event-bus/".length()), null);
        }
        if (resource.startsWith("rule/")) {
            List<String> parts = List.of(resource.substring("rule/".length()).split("/"));
            return parts.size() == 1 ? new Resource(Bus.DEFAULT, parts.getFirst())
                    : new Resource(String.join("/", parts.subList(0, parts.size() - 1)), parts.getLast());
        }
        throw EventsErrors.validation("Parameter ResourceARN is not valid. Reason: %s is not a rule or event bus ARN.", text);
    }
}
