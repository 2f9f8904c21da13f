package io.stratus.logs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Targets;
import io.stratus.storage.Store;
import io.stratus.storage.Transaction;
import io.stratus.storage.outbox.Outbox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the events that a log group's subscription filters match to their destinations, as
 * CloudWatch Logs does: the matching events of each appended batch are staged in the append's own
 * transaction (an outbox entry per filter, so what PutLogEvents acknowledged reaches the
 * destination even across a crash), then delivered through {@link Targets} as
 * {@code logs.amazonaws.com} acting for the group — an asynchronous invocation of a Lambda
 * function whose event is {@code {"awslogs": {"data": <base64 of the gzipped DATA_MESSAGE>}}}.
 *
 * <p>A destination that refuses for good (the function is gone, its policy no longer lets Logs
 * invoke it, the payload is refused) drops the batch with a warning; any other failure is retried
 * with a backoff (1 s doubling to 5 min) for up to a day after the events arrived. One stream's
 * batches reach one destination in the order they were written. Thread-safe.
 */
final class SubscriptionDeliveries implements Outbox.Courier<SubscriptionDeliveries.Delivery>, AutoCloseable {

    static final String SERVICE_PRINCIPAL = "logs.amazonaws.com";
    static final String OUTBOX = "logs.subscriptions.outbox";
    /**
     * The most message bytes one delivery carries: its gzipped, base64-encoded payload then stays
     * under Lambda's 1 MB asynchronous limit even for messages that do not compress.
     */
    static final int MAX_DELIVERY_BYTES = 512 * 1024;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(5);
    private static final Duration GIVE_UP_AFTER = Duration.ofDays(1);
    /** Parsed patterns by their text; cleared when it grows past this many. */
    private static final int MAX_CACHED_PATTERNS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionDeliveries.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One event as the destination gets it. */
    record Event(String id, long timestamp, String message) {}

    /**
     * What one filter matched in one appended batch, to be delivered.
     *
     * @param ingestedAt when the events arrived, epoch milliseconds: retries stop a day later
     * @param notBefore when the next attempt may be made (0: at once)
     * @param distribution the filter's {@code Random} or {@code ByLogStream} (null, in deliveries staged before it was kept:
     *     ByLogStream), which a Kinesis stream's partition key follows
     */
    record Delivery(String account, String region, String logGroup, String logStream, String filterName, String destinationArn,
            List<Event> events, long ingestedAt, int attempts, long notBefore, String distribution) {

        Delivery failed(long retryAt) {
            return new Delivery(account, region, logGroup, logStream, filterName, destinationArn, events, ingestedAt, attempts + 1, retryAt,
                    distribution);
        }
    }

    private final Targets targets;
    private final Outbox<Delivery> outbox;
    private final Map<String, FilterPattern> patterns = new ConcurrentHashMap<>();

    SubscriptionDeliveries(Store store, Targets targets, Clock clock) {
        this.targets = requireNonNull(targets, "targets is null");
        this.outbox = new Outbox<>("logs-subscription", store, OUTBOX, clock, this);
    }

    /** CloudWatch Logs delivering a group's events, as the destination's resource policy sees it. */
    static ServiceCaller caller(String account, String region, String group) {
        return new ServiceCaller(SERVICE_PRINCIPAL, "arn:aws:logs:" + region + ":" + account + ":log-group:" + group + ":*", account);
    }

    /**
     * Stages, in {@code txn}, what each of the group's subscription filters matches among a batch
     * appended to one of its streams; call {@link #wake()} once the transaction committed.
     *
     * @param events the batch in time order; the n-th has sequence number {@code firstSequence + n}
     * @return whether anything was staged
     */
    boolean stage(Transaction txn, String account, String region, LogGroup group, String stream, List<LogsModel.InputLogEvent> events,
            long firstSequence, long ingestionTime) {
        boolean staged = false;
        for (SubscriptionFilter filter : group.subscriptionFilters()) {
            FilterPattern pattern = pattern(filter.filterPattern());
            List<Event> matched = new ArrayList<>();
            int bytes = 0;
            for (int i = 0; i < events.size(); i++) {
                LogsModel.InputLogEvent event = events.get(i);
                if (!pattern.matches(event.message())) {
                    continue;
                }
                int size = event.message().getBytes(StandardCharsets.UTF_8).length;
                if (!matched.isEmpty() && bytes + size > MAX_DELIVERY_BYTES) {
                    outbox.add(txn, delivery(account, region, group, stream, filter, matched, ingestionTime));
                    matched = new ArrayList<>();
                    bytes = 0;
                }
                matched.add(new Event(EventOperations.eventId(event.timestamp(), firstSequence + i), event.timestamp(), event.message()));
                bytes += size;
            }
            if (!matched.isEmpty()) {
                outbox.add(txn, delivery(account, region, group, stream, filter, matched, ingestionTime));
                staged = true;
            }
        }
        return staged;
    }

    private static Delivery delivery(String account, String region, LogGroup group, String stream, SubscriptionFilter filter, List<Event> events,
            long ingestionTime) {
        return new Delivery(account, region, group.name(), stream, filter.filterName(), filter.destinationArn(), List.copyOf(events),
                ingestionTime, 0, 0, filter.distribution());
    }

    private FilterPattern pattern(String text) {
        FilterPattern pattern = patterns.get(text);
        if (pattern == null) {
            if (patterns.size() >= MAX_CACHED_PATTERNS) {
                patterns.clear();
            }
            pattern = FilterPattern.parse(text);
            patterns.put(text, pattern);
        }
        return pattern;
    }

    void wake() {
        outbox.wake();
    }

    void start() {
        outbox.start();
    }

    @Override
    public void close() {
        outbox.close();
    }

    @Override
    public byte[] encode(Delivery delivery) {
        return LogStore.write(delivery);
    }

    @Override
    public Delivery decode(byte[] stored) {
        return LogStore.read(stored, Delivery.class);
    }

    @Override
    public long dueAt(Delivery delivery) {
        return delivery.notBefore();
    }

    /** One stream's batches reach one destination in order. */
    @Override
    public String lane(Delivery delivery) {
        return String.join("\n", delivery.destinationArn(), delivery.account(), delivery.region(), delivery.logGroup(), delivery.logStream());
    }

    @Override
    public Delivery deliver(Delivery delivery, long now) {
        try {
            Arn destination = Arn.parse(delivery.destinationArn());
            Targets.Options options = Targets.Options.on(caller(delivery.account(), delivery.region(), delivery.logGroup()));
            if (destination.service().equals("kinesis")) {
                // A stream's record is the gzipped message itself; its partition key groups it by log stream unless the filter says Random.
                String partitionKey = "Random".equals(delivery.distribution()) ? UUID.randomUUID().toString() : partitionKey(delivery.logStream());
                targets.deliver(destination, gzipped(message(delivery)), new Targets.Options(partitionKey, null, Map.of(), options.caller()));
            } else {
                targets.deliver(destination, payload(delivery), options);
            }
            return null;
        } catch (AwsException e) {
            String code = e.errorCode().code();
            if (e.isPermanent()) {
                LOG.warn("CloudWatch Logs dropped {} events of {} for subscription filter {}: {} refused them ({}: {})", delivery.events().size(),
                        delivery.logGroup(), delivery.filterName(), delivery.destinationArn(), code, e.getMessage());
                return null;
            }
            return retry(delivery, now, code + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return retry(delivery, now, e.toString());
        }
    }

    /** The DATA_MESSAGE of a delivery. */
    private static Map<String, Object> message(Delivery delivery) {
        return message("DATA_MESSAGE", delivery.account(), delivery.logGroup(), delivery.logStream(), delivery.filterName(), delivery.events());
    }

    static Map<String, Object> message(String type, String account, String logGroup, String logStream, String filterName, List<?> events) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("messageType", type);
        message.put("owner", account);
        message.put("logGroup", logGroup);
        message.put("logStream", logStream);
        message.put("subscriptionFilters", List.of(filterName));
        message.put("logEvents", events);
        return message;
    }

    static byte[] gzipped(Map<String, Object> message) {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            JSON.writeValue(gzip, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zipped.toByteArray();
    }

    /** A log stream's partition key: its name, or, for a name longer than Kinesis takes, a hash of it. */
    private static String partitionKey(String logStream) {
        return logStream.length() <= 256 ? logStream : Integer.toHexString(logStream.hashCode());
    }

    private static Delivery retry(Delivery delivery, long now, String why) {
        if (now - delivery.ingestedAt() >= GIVE_UP_AFTER.toMillis()) {
            LOG.warn("CloudWatch Logs gave up delivering {} events of {} for subscription filter {} to {} after a day: {}",
                    delivery.events().size(), delivery.logGroup(), delivery.filterName(), delivery.destinationArn(), why);
            return null;
        }
        LOG.debug("CloudWatch Logs will retry delivering {} to {}: {}", delivery.logGroup(), delivery.destinationArn(), why);
        long wait = FIRST_RETRY.toMillis() << Math.min(delivery.attempts(), 20);
        return delivery.failed(now + Math.min(wait, LONGEST_RETRY.toMillis()));
    }

    /** The event a Lambda function gets: {@code {"awslogs": {"data": <base64 of the gzipped DATA_MESSAGE>}}}. */
    static byte[] payload(Delivery delivery) {
        String data = Base64.getEncoder().encodeToString(gzipped(message(delivery)));
        try {
            return JSON.writeValueAsBytes(Map.of("awslogs", Map.of("data", data)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
