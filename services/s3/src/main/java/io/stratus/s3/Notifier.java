package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.Arn;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.Targets;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends S3 event notifications: after an object is created or removed, each matching rule of the
 * bucket's {@link NotificationConfig} gets an event record (AWS's format, version 2.1) through
 * {@link Targets}, off the request's path. A delivery that fails is tried again twice, a second
 * and then four seconds later, then dropped with a warning. Deliveries are not durable: events
 * of requests answered just before a crash can be lost. Thread-safe.
 */
final class Notifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Duration> RETRIES = List.of(Duration.ofSeconds(1), Duration.ofSeconds(4));

    private final BucketStore buckets;
    private final Targets targets;
    private final Clock clock;
    private final ExecutorService deliveries = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("s3-notification-", 0).factory());
    /** Orders the events of a key, as S3's {@code sequencer} does: hex, increasing. */
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() * 1_000_000);

    Notifier(BucketStore buckets, Targets targets, Clock clock) {
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.targets = requireNonNull(targets, "targets is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** How an object came to be, as the event name says it: {@code Put}, {@code Post}, {@code Copy}, {@code CompleteMultipartUpload}. */
    void created(RequestContext context, String bucket, StoredObject object, String how) {
        send(context, bucket, "ObjectCreated:" + how, new Subject(object.key(), object.versionId(), object.size(), object.etag()));
    }

    /**
     * A delete removed an object or version ({@code markerCreated} false) or added a delete marker;
     * a lifecycle rule's delete is announced as {@code LifecycleExpiration:*} instead of {@code ObjectRemoved:*}.
     */
    void removed(RequestContext context, String bucket, String key, String versionId, boolean markerCreated, boolean byLifecycle) {
        String family = byLifecycle ? "LifecycleExpiration:" : "ObjectRemoved:";
        send(context, bucket, family + (markerCreated ? "DeleteMarkerCreated" : "Delete"), new Subject(key, versionId, null, null));
    }

    /** The object an event is about; size and ETag only for a created one. */
    private record Subject(String key, String versionId, Long size, String etag) {}

    private void send(RequestContext context, String bucket, String eventName, Subject object) {
        Optional<NotificationConfig> config = config(bucket);
        if (config.isEmpty()) {
            return;
        }
        String sequence = String.format("%018X", sequencer.incrementAndGet());
        for (NotificationConfig.Rule rule : config.get().rules()) {
            if (rule.matches(eventName, object.key())) {
                byte[] record = record(context, bucket, eventName, rule.id(), object, sequence);
                deliveries.execute(() -> deliver(rule.target(), record, 0));
            }
        }
    }

    /** The bucket's configuration, or empty when it has none (most buckets: one read, nothing more). */
    private Optional<NotificationConfig> config(String bucket) {
        return buckets.config(bucket, NotificationOperations.SUBRESOURCE).map(NotificationConfig::parse)
                .filter(config -> !config.rules().isEmpty());
    }

    /** Sends {@code s3:TestEvent} to a newly configured queue, as S3 does on configuration. */
    void testEvent(RequestContext context, String bucket, Arn queue) {
        ObjectNode event = JSON.createObjectNode();
        event.put("Service", "Amazon S3");
        event.put("Event", "s3:TestEvent");
        event.put("Time", DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
        event.put("Bucket", bucket);
        event.put("RequestId", context.requestId());
        event.put("HostId", context.requestId());
        byte[] payload = event.toString().getBytes(StandardCharsets.UTF_8);
        deliveries.execute(() -> deliver(queue, payload, 0));
    }

    private byte[] record(RequestContext context, String bucket, String eventName, String configurationId, Subject object, String sequence) {
        ObjectNode record = JSON.createObjectNode();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", context.region());
        record.put("eventTime", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(clock.millis())));
        record.put("eventName", eventName);
        record.putObject("userIdentity").put("principalId", "AWS:" + context.principal().userId());
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", context.requestId());
        response.put("x-amz-id-2", context.requestId());
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId);
        ObjectNode bucketNode = s3.putObject("bucket");
        bucketNode.put("name", bucket);
        bucketNode.putObject("ownerIdentity").put("principalId", context.accountId());
        bucketNode.put("arn", "arn:aws:s3:::" + bucket);
        ObjectNode objectNode = s3.putObject("object");
        objectNode.put("key", URLEncoder.encode(object.key(), StandardCharsets.UTF_8).replace("%2F", "/"));
        if (object.size() != null) {
            objectNode.put("size", object.size());
            objectNode.put("eTag", object.etag());
        }
        if (object.versionId() != null) {
            objectNode.put("versionId", object.versionId());
        }
        objectNode.put("sequencer", sequence);
        ObjectNode event = JSON.createObjectNode();
        event.putArray("Records").add(record);
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void deliver(Arn target, byte[] payload, int attempt) {
        try {
            targets.deliver(target, payload, Targets.Options.NONE);
        } catch (RuntimeException e) {
            if (attempt >= RETRIES.size()) {
                LOG.warn("Dropped an S3 event notification for {} after {} attempts: {}", target, attempt + 1, e.getMessage());
                return;
            }
            try {
                Thread.sleep(RETRIES.get(attempt));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
            deliver(target, payload, attempt + 1);
        }
    }

    @Override
    public void close() {
        deliveries.shutdown();
        try {
            if (!deliveries.awaitTermination(2, TimeUnit.SECONDS)) {
                deliveries.shutdownNow();
            }
        } catch (InterruptedException e) {
            deliveries.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
