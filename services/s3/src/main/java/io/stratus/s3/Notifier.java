package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.Arn;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Targets;
import io.stratus.storage.Transaction;
import io.stratus.storage.outbox.Outbox;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends S3 event notifications: when an object is created or removed, each matching rule of the
 * bucket's {@link NotificationConfig} gets an event record (AWS's format, version 2.1) through
 * {@link Targets} (an SNS topic with the subject {@code Amazon S3 Notification}), and, with
 * EventBridge turned on, the account's default event bus gets an {@code aws.s3} event
 * ({@code Object Created}, {@code Object Deleted}) with S3's EventBridge detail. The records are written to an outbox in the same store transaction as the
 * write that caused them (an {@link Outbox}), so an acknowledged write's events survive a crash;
 * its sender delivers them off the request's path and removes each once delivered (at least once,
 * as S3 delivers). A delivery that fails is tried again a second and then four seconds later, then
 * dropped with a warning. Thread-safe; {@link #start()} starts the sender.
 */
final class Notifier implements Outbox.Courier<Notifier.Pending>, AutoCloseable {

    static final String OUTBOX = "s3.notifications";

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Duration> RETRIES = List.of(Duration.ofSeconds(1), Duration.ofSeconds(4));
    /** An event's time as S3 writes it: always three digits of milliseconds (ISO_INSTANT drops a zero fraction). */
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private final BucketStore buckets;
    private final Targets targets;
    private final Clock clock;
    private final Outbox<Pending> outbox;
    /** Orders the events of a key, as S3's {@code sequencer} does: hex, increasing. */
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() * 1_000_000);

    Notifier(BucketStore buckets, Targets targets, Clock clock) {
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.targets = requireNonNull(targets, "targets is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.outbox = new Outbox<>("s3-notification", buckets.store(), OUTBOX, clock, this);
    }

    /**
     * An event waiting in the outbox: where it goes, what it says, how often it failed, when it
     * may go next, and the bucket it comes from (whose owner's account is its source account);
     * for EventBridge, the detail type of the event whose detail the payload is, and when it happened;
     * the X-Ray trace header of the request that caused it (a Lambda function's upload carries its
     * chain on to the function the event invokes, see Lambda's recursive loop detection), or null.
     */
    record Pending(String target, String payload, int attempts, long notBefore, String bucket, String bucketOwner, String detailType,
            long time, String traceHeader) {

        Pending retried(long at) {
            return new Pending(target, payload, attempts + 1, at, bucket, bucketOwner, detailType, time, traceHeader);
        }
    }

    /** The subject S3 gives the messages it publishes to SNS topics. */
    static final String TOPIC_SUBJECT = "Amazon S3 Notification";

    /** S3 delivering a bucket's events, as the destinations' resource policies see it. */
    static ServiceCaller caller(String bucket, String bucketOwner) {
        return new ServiceCaller("s3.amazonaws.com", "arn:aws:s3:::" + bucket, bucketOwner);
    }

    /**
     * Records, in {@code txn}, the events of an object's creation ({@code how}: {@code Put},
     * {@code Post}, {@code Copy}, {@code CompleteMultipartUpload}); call {@link #wake()} once the
     * transaction committed.
     */
    void created(Transaction txn, RequestContext context, String bucket, StoredObject object, String how) {
        String reason = switch (how) {
            case "Put" -> "PutObject";
            case "Post" -> "POST Object";
            case "Copy" -> "CopyObject";
            default -> how;
        };
        enqueue(txn, context, bucket, "ObjectCreated:" + how, new Subject(object.key(), object.versionId(), object.size(), object.etag()),
                new Bridged("Object Created", reason, null, false));
    }

    /**
     * Records, in {@code txn}, the events of a delete that removed an object or version
     * ({@code markerCreated} false) or added a delete marker; a lifecycle rule's delete is
     * announced as {@code LifecycleExpiration:*} instead of {@code ObjectRemoved:*}.
     */
    void removed(Transaction txn, RequestContext context, String bucket, String key, String versionId, boolean markerCreated, boolean byLifecycle) {
        String family = byLifecycle ? "LifecycleExpiration:" : "ObjectRemoved:";
        enqueue(txn, context, bucket, family + (markerCreated ? "DeleteMarkerCreated" : "Delete"), new Subject(key, versionId, null, null),
                new Bridged("Object Deleted", byLifecycle ? "Lifecycle Expiration" : "DeleteObject",
                        markerCreated ? "Delete Marker Created" : "Permanently Deleted", byLifecycle));
    }

    /**
     * Records, in {@code txn}, the events of a restore of an archived object: {@code ObjectRestore:Post}
     * and, as Stratus restores at once, {@code ObjectRestore:Completed} with the restored copy's expiry.
     */
    void restored(Transaction txn, RequestContext context, String bucket, StoredObject object, long expiryMillis) {
        Subject subject = new Subject(object.key(), object.versionId(), object.size(), object.etag());
        Restoration initiated = new Restoration(object.storageClass(), null);
        enqueue(txn, context, bucket, "ObjectRestore:Post", subject, new Bridged("Object Restore Initiated", null, null, false, initiated));
        Restoration completed = new Restoration(object.storageClass(), EVENT_TIME.format(Instant.ofEpochMilli(expiryMillis)));
        enqueue(txn, context, bucket, "ObjectRestore:Completed", subject, new Bridged("Object Restore Completed", null, null, true, completed));
    }

    /** Records, in {@code txn}, that an object's tags were set ({@code put}) or deleted: {@code ObjectTagging:Put} / {@code :Delete}. */
    void tagged(Transaction txn, RequestContext context, String bucket, StoredObject object, boolean put) {
        enqueue(txn, context, bucket, put ? "ObjectTagging:Put" : "ObjectTagging:Delete",
                new Subject(object.key(), object.versionId(), object.size(), object.etag()),
                new Bridged(put ? "Object Tags Added" : "Object Tags Deleted", null, null, false));
    }

    /** Records, in {@code txn}, that a version's ACL was replaced: {@code ObjectAcl:Put}. */
    void aclChanged(Transaction txn, RequestContext context, String bucket, StoredObject object) {
        enqueue(txn, context, bucket, "ObjectAcl:Put", new Subject(object.key(), object.versionId(), null, null),
                new Bridged("Object ACL Updated", null, null, false));
    }

    /**
     * Records, in {@code txn}, that a lifecycle rule moved an object (or version) to another storage
     * class ({@code moved} is it, in its new class): {@code LifecycleTransition}.
     */
    void transitioned(Transaction txn, RequestContext context, String bucket, StoredObject moved) {
        enqueue(txn, context, bucket, "LifecycleTransition", new Subject(moved.key(), moved.versionId(), moved.size(), moved.etag()),
                new Bridged("Object Storage Class Changed", null, null, true, null, moved.storageClass()));
    }

    /** Tells the sender that a transaction with events committed. */
    void wake() {
        outbox.wake();
    }

    /** The object an event is about; size and ETag only for a created one. */
    private record Subject(String key, String versionId, Long size, String etag) {}

    /**
     * What an event is to EventBridge: its detail type, S3's {@code reason} (null for none), the
     * {@code deletion-type} of a deletion, whether S3 itself did it (a lifecycle rule, a restore's
     * completion), a restore's details, and the storage class a lifecycle transition moved an object to.
     */
    private record Bridged(String detailType, String reason, String deletionType, boolean byS3, Restoration restoration,
            String destinationStorageClass) {
        Bridged(String detailType, String reason, String deletionType, boolean byS3) {
            this(detailType, reason, deletionType, byS3, null, null);
        }

        Bridged(String detailType, String reason, String deletionType, boolean byS3, Restoration restoration) {
            this(detailType, reason, deletionType, byS3, restoration, null);
        }
    }

    /** A restore: the object's archive storage class, and the restored copy's expiry (ISO-8601) once completed, else null. */
    private record Restoration(String storageClass, String expiry) {}

    private void enqueue(Transaction txn, RequestContext context, String bucket, String eventName, Subject object, Bridged bridged) {
        Optional<NotificationConfig> config = config(bucket);
        if (config.isEmpty()) {
            return;
        }
        long sequence = sequencer.incrementAndGet();
        String order = String.format("%018X", sequence);
        List<NotificationConfig.Rule> rules = config.get().rules();
        for (int i = 0; i < rules.size(); i++) {
            NotificationConfig.Rule rule = rules.get(i);
            if (rule.matches(eventName, object.key())) {
                String record = record(context, bucket, eventName, rule.id(), object, order, bridged.restoration());
                outbox.add(txn, new Pending(rule.target().toString(), record, 0, 0, bucket, context.accountId(), null, 0, context.traceHeader()));
            }
        }
        if (config.get().eventBridge()) {
            String bus = "arn:aws:events:" + context.region() + ":" + context.accountId() + ":event-bus/default";
            outbox.add(txn, new Pending(bus, detail(context, bucket, object, order, bridged), 0, 0, bucket, context.accountId(),
                    bridged.detailType(), clock.millis(), context.traceHeader()));
        }
    }

    /** Starts delivering what the outbox holds, events of earlier runs included. */
    void start() {
        outbox.start();
    }

    @Override
    public byte[] encode(Pending pending) {
        return S3Json.encode(pending);
    }

    @Override
    public Pending decode(byte[] stored) {
        return S3Json.decode(stored, Pending.class);
    }

    @Override
    public long dueAt(Pending pending) {
        return pending.notBefore();
    }

    /** Makes one attempt; a failed one is tried again {@link #RETRIES} later, then dropped with a warning. */
    @Override
    public Pending deliver(Pending pending, long now) {
        if (sendOnce(pending)) {
            return null;
        }
        if (pending.attempts() < RETRIES.size()) {
            return pending.retried(now + RETRIES.get(pending.attempts()).toMillis());
        }
        LOG.warn("Dropped an S3 event notification for {} after {} attempts", pending.target(), pending.attempts() + 1);
        return null;
    }

    private boolean sendOnce(Pending pending) {
        try {
            Arn target = Arn.parse(pending.target());
            Targets.Options options;
            if (pending.detailType() != null) {
                // The bucket owner's own default bus: no resource policy to pass.
                options = Targets.Options.NONE.withEvent(new Targets.EventHeader("aws.s3", pending.detailType(),
                        List.of("arn:aws:s3:::" + pending.bucket()), Instant.ofEpochMilli(pending.time())));
            } else {
                options = options(target, caller(pending.bucket(), pending.bucketOwner()));
            }
            targets.deliver(target, pending.payload().getBytes(StandardCharsets.UTF_8), options.withTraceHeader(pending.traceHeader()));
            return true;
        } catch (RuntimeException e) {
            LOG.debug("S3 event notification to {} failed: {}", pending.target(), e.getMessage());
            return false;
        }
    }

    /** How S3 sends to {@code target}: on its own behalf, with a subject for a topic. */
    private static Targets.Options options(Arn target, ServiceCaller caller) {
        Targets.Options options = Targets.Options.on(caller);
        return target.service().equals("sns") ? options.withSubject(TOPIC_SUBJECT) : options;
    }

    /** The bucket's configuration, or empty when it has none (most buckets: one read, nothing more). */
    private Optional<NotificationConfig> config(String bucket) {
        return buckets.config(bucket, NotificationOperations.SUBRESOURCE).map(NotificationConfig::parse)
                .filter(config -> !config.isEmpty());
    }

    /** Sends {@code s3:TestEvent} to a newly configured queue or topic, as S3 does on configuration. */
    void testEvent(RequestContext context, String bucket, Arn queue) {
        ObjectNode event = JSON.createObjectNode();
        event.put("Service", "Amazon S3");
        event.put("Event", "s3:TestEvent");
        event.put("Time", EVENT_TIME.format(clock.instant()));
        event.put("Bucket", bucket);
        event.put("RequestId", context.requestId());
        event.put("HostId", context.requestId());
        Pending pending = new Pending(queue.toString(), event.toString(), 0, 0, bucket, context.accountId(), null, 0, null);
        buckets.store().transaction(txn -> {
            outbox.add(txn, pending);
            return null;
        });
        outbox.wake();
    }

    private String record(RequestContext context, String bucket, String eventName, String configurationId, Subject object, String sequence,
            Restoration restoration) {
        ObjectNode record = JSON.createObjectNode();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", context.region());
        record.put("eventTime", EVENT_TIME.format(Instant.ofEpochMilli(clock.millis())));
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
        if (restoration != null && restoration.expiry() != null) {
            ObjectNode restore = record.putObject("glacierEventData").putObject("restoreEventData");
            restore.put("lifecycleRestorationExpiryTime", restoration.expiry());
            restore.put("lifecycleRestoreStorageClass", restoration.storageClass());
        }
        ObjectNode event = JSON.createObjectNode();
        event.putArray("Records").add(record);
        return event.toString();
    }

    /** S3's EventBridge detail of an event. */
    private static String detail(RequestContext context, String bucket, Subject object, String sequencer, Bridged bridged) {
        ObjectNode detail = JSON.createObjectNode();
        detail.put("version", "0");
        detail.putObject("bucket").put("name", bucket);
        ObjectNode objectNode = detail.putObject("object");
        objectNode.put("key", object.key());
        if (object.size() != null) {
            objectNode.put("size", object.size());
            objectNode.put("etag", object.etag());
        }
        if (object.versionId() != null) {
            objectNode.put("version-id", object.versionId());
        }
        objectNode.put("sequencer", sequencer);
        detail.put("request-id", context.requestId());
        if (bridged.byS3()) {
            detail.put("requester", "s3.amazonaws.com");
        } else {
            detail.put("requester", context.accountId());
            detail.put("source-ip-address", context.sourceIp() != null ? context.sourceIp() : "127.0.0.1");
        }
        if (bridged.reason() != null) {
            detail.put("reason", bridged.reason());
        }
        if (bridged.restoration() != null) {
            if (bridged.restoration().expiry() != null) {
                detail.put("restore-expiry-time", bridged.restoration().expiry());
            }
            detail.put("source-storage-class", bridged.restoration().storageClass());
        }
        if (bridged.deletionType() != null) {
            detail.put("deletion-type", bridged.deletionType());
        }
        if (bridged.destinationStorageClass() != null) {
            detail.put("destination-storage-class", bridged.destinationStorageClass());
        }
        return detail.toString();
    }

    @Override
    public void close() {
        outbox.close();
    }
}
