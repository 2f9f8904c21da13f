package io.stratus.events;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.Arn;
import io.stratus.events.EventsModel.RetryPolicy;
import io.stratus.events.EventsModel.Target;
import io.stratus.storage.Transaction;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Routes an event on a bus: every enabled rule whose pattern matches it gets a delivery per
 * target, recorded in the transaction that accepts the event. Thread-safe.
 */
final class EventRouting {

    private final EventPatterns patterns = new EventPatterns();
    private final Deliveries deliveries;

    EventRouting(Deliveries deliveries) {
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
    }

    EventPatterns patterns() {
        return patterns;
    }

    /** EventBridge's timestamps: ISO-8601 in UTC, to the second. */
    static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** An event as EventBridge delivers it. */
    static ObjectNode event(String id, String detailType, String source, String account, Instant time, String region, List<String> resources,
            ObjectNode detail) {
        ObjectNode event = TargetInput.object();
        event.put("version", "0");
        event.put("id", id);
        event.put("detail-type", detailType);
        event.put("source", source);
        event.put("account", account);
        event.put("time", time(time));
        event.put("region", region);
        resources.forEach(event.putArray("resources")::add);
        if (!event.has("resources")) {
            event.putArray("resources");
        }
        event.set("detail", detail);
        return event;
    }

    /**
     * Records, in {@code txn}, the deliveries of {@code event} on the bus {@code bus} of
     * {@code account} in {@code region}; returns how many. Call {@link Deliveries#wake()} after the commit.
     */
    int route(Transaction txn, String account, String region, String bus, String event, long acceptedAt) {
        int count = 0;
        for (Rule rule : EventStore.rules(txn, account, region, bus, null)) {
            if (!rule.enabled() || rule.eventPattern() == null || rule.targets().isEmpty()) {
                continue;
            }
            if (patterns.matches(rule.eventPattern(), event)) {
                count += deliver(txn, account, region, rule, event, acceptedAt);
            }
        }
        return count;
    }

    /** Records the deliveries of {@code event} to every target of {@code rule}. */
    int deliver(Transaction txn, String account, String region, Rule rule, String event, long acceptedAt) {
        String ruleArn = Rule.arn(account, region, rule.bus(), rule.name()).toString();
        String eventId = TargetInput.parse(event).path("id").asText(null);
        for (Target target : rule.targets()) {
            Arn arn = Arn.parse(target.arn());
            boolean forward = isBus(arn);
            String payload = forward ? event : TargetInput.render(target, event, ruleArn, rule.name(), time(Instant.ofEpochMilli(acceptedAt)));
            RetryPolicy retry = target.retryPolicy();
            int maxRetries = retry == null || retry.maximumRetryAttempts() == null ? Deliveries.DEFAULT_MAX_RETRIES : retry.maximumRetryAttempts();
            int maxAge = retry == null || retry.maximumEventAgeInSeconds() == null ? Deliveries.DEFAULT_MAX_AGE_SECONDS
                    : retry.maximumEventAgeInSeconds();
            String group = arn.service().equals("kinesis") ? partitionKey(target, event, eventId)
                    : target.sqsParameters() == null ? null : target.sqsParameters().messageGroupId();
            String deduplication = arn.service().equals("sqs") && arn.resource().endsWith(".fifo") ? eventId : null;
            String deadLetter = target.deadLetterConfig() == null ? null : target.deadLetterConfig().arn();
            deliveries.enqueue(txn, new Deliveries.Pending(account, ruleArn, target.arn(), payload, event, group, deduplication, forward, 0,
                    acceptedAt, acceptedAt, maxRetries, maxAge, deadLetter));
        }
        return rule.targets().size();
    }

    /**
     * A Kinesis target's partition key: what its {@code PartitionKeyPath} selects in the event, or,
     * without one (or when it selects nothing), the event's id, as EventBridge does.
     */
    private static String partitionKey(Target target, String event, String eventId) {
        String path = target.kinesisParameters() == null ? null : target.kinesisParameters().partitionKeyPath();
        if (path != null) {
            JsonNode selected = TargetInput.select(TargetInput.parse(event), path);
            if (selected != null && !selected.isNull() && !selected.isMissingNode()) {
                String key = selected.isValueNode() ? selected.asText() : selected.toString();
                if (!key.isEmpty()) {
                    return key.length() > 256 ? key.substring(0, 256) : key;
                }
            }
        }
        return eventId;
    }

    static boolean isBus(Arn arn) {
        return arn.service().equals("events") && arn.resource().startsWith("event-bus/");
    }
}
