package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.PeriodicTask;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.Buckets;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.s3.BucketConfigOperations.ConfigDocument;
import io.stratus.s3.BucketConfigOperations.NoContent;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 Inventory: Put/Get/Delete/ListBucketInventoryConfigurations, kept as one configuration
 * document per bucket, and the reports themselves — a gzipped CSV of the bucket's objects (or of
 * every version), a {@code manifest.json} with its {@code manifest.checksum}, and a Hive
 * {@code symlink.txt} — written into the destination bucket as S3 writes them, when a
 * configuration is new and then every day or week. A report goes only where the destination's
 * bucket policy lets S3 ({@code s3.amazonaws.com}) put it; one it does not is tried again at the
 * next pass. Thread-safe: configurations change in store transactions; one worker writes reports.
 */
final class InventoryOperations implements AutoCloseable {

    static final String SUBRESOURCE = "inventory";
    private static final int MAX_CONFIGURATIONS = 1000;
    private static final int PAGE = 100;
    private static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final DateTimeFormatter MANIFEST_DIR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HIVE_PARTITION = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm").withZone(ZoneOffset.UTC);
    private static final Logger LOG = LoggerFactory.getLogger(InventoryOperations.class);

    record PutRequest(@HttpLabel("Bucket") String bucket, @HttpQuery("id") String id, @HttpPayload byte[] document) implements BucketAddressed {}

    record IdRequest(@HttpLabel("Bucket") String bucket, @HttpQuery("id") String id) implements BucketAddressed {}

    record ListRequest(@HttpLabel("Bucket") String bucket, @HttpQuery("continuation-token") String continuationToken) implements BucketAddressed {}

    /** A configuration as kept: its document as Stratus writes it back, and when its last report was written (epoch millis, 0 for none). */
    record Kept(String document, long lastReport) {}

    /** A bucket's configurations, by id. */
    record Configurations(Map<String, Kept> byId) {
        Configurations {
            byId = byId == null ? Map.of() : Map.copyOf(byId);
        }
    }

    private final BucketStore buckets;
    private final BucketAccess access;
    private final Buckets delivery;
    private final Clock clock;
    private final PeriodicTask task = new PeriodicTask("s3-inventory", this::deliverDue, e -> LOG.warn("S3 inventory reports failed; the next pass retries", e));

    InventoryOperations(BucketStore buckets, BucketAccess access, Buckets delivery, Clock clock) {
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.access = requireNonNull(access, "access is null");
        this.delivery = requireNonNull(delivery, "delivery is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Passes when the service starts and then every minute. */
    void start() {
        task.start(Duration.ZERO, INTERVAL);
    }

    @Override
    public void close() {
        task.close();
    }

    // ---- the configurations

    NoContent put(RequestContext context, PutRequest request) {
        buckets.require(context, request.bucket());
        Inventory inventory = Inventory.parse(request.document() == null ? new byte[0] : request.document(), request.id());
        buckets.store().transaction(txn -> {
            Bucket bucket = BucketStore.require(txn, context, request.bucket());
            Map<String, Kept> byId = new TreeMap<>(read(txn, bucket.name()).byId());
            if (!byId.containsKey(inventory.id()) && byId.size() >= MAX_CONFIGURATIONS) {
                throw AwsException.of(S3Errors.TOO_MANY_CONFIGURATIONS,
                        "You are attempting to create a new configuration but have already reached the 1,000-configuration limit.");
            }
            // A configuration put again starts over: its next report comes at the next pass.
            byId.put(inventory.id(), new Kept(inventory.toXml(false), 0));
            BucketStore.putConfig(txn, bucket.name(), SUBRESOURCE, S3Json.encode(new Configurations(byId)));
            return null;
        });
        return new NoContent();
    }

    ConfigDocument get(RequestContext context, IdRequest request) {
        buckets.require(context, request.bucket());
        requireId(request.id());
        Kept kept = read(buckets.store(), request.bucket()).byId().get(request.id());
        if (kept == null) {
            throw noSuchConfiguration();
        }
        return new ConfigDocument("application/xml", Inventory.parse(kept.document().getBytes(StandardCharsets.UTF_8), request.id()).toXml(true)
                .getBytes(StandardCharsets.UTF_8));
    }

    NoContent delete(RequestContext context, IdRequest request) {
        buckets.require(context, request.bucket());
        requireId(request.id());
        buckets.store().transaction(txn -> {
            Bucket bucket = BucketStore.require(txn, context, request.bucket());
            Map<String, Kept> byId = new TreeMap<>(read(txn, bucket.name()).byId());
            if (byId.remove(request.id()) == null) {
                throw noSuchConfiguration();
            }
            if (byId.isEmpty()) {
                BucketStore.deleteConfig(txn, bucket.name(), SUBRESOURCE);
            } else {
                BucketStore.putConfig(txn, bucket.name(), SUBRESOURCE, S3Json.encode(new Configurations(byId)));
            }
            return null;
        });
        return new NoContent();
    }

    /** A page of up to 100 configurations in id order; the continuation token is the last id of the page before. */
    ConfigDocument list(RequestContext context, ListRequest request) {
        buckets.require(context, request.bucket());
        List<Map.Entry<String, Kept>> after = new TreeMap<>(read(buckets.store(), request.bucket()).byId()).entrySet().stream()
                .filter(e -> request.continuationToken() == null || e.getKey().compareTo(request.continuationToken()) > 0).toList();
        StringBuilder xml = new StringBuilder("<ListInventoryConfigurationsResult xmlns=\"").append(S3Service.XML_NAMESPACE).append("\">");
        after.stream().limit(PAGE).forEach(e -> xml.append(e.getValue().document()));
        boolean truncated = after.size() > PAGE;
        xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (request.continuationToken() != null) {
            xml.append("<ContinuationToken>").append(Inventory.escape(request.continuationToken())).append("</ContinuationToken>");
        }
        if (truncated) {
            xml.append("<NextContinuationToken>").append(after.get(PAGE - 1).getKey()).append("</NextContinuationToken>");
        }
        return new ConfigDocument("application/xml", xml.append("</ListInventoryConfigurationsResult>").toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Configurations read(io.stratus.storage.StoreReader reader, String bucket) {
        return BucketStore.config(reader, bucket, SUBRESOURCE).map(bytes -> S3Json.decode(bytes, Configurations.class))
                .orElse(new Configurations(Map.of()));
    }

    private static void requireId(String id) {
        if (id == null || id.isEmpty()) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "The id parameter is required.");
        }
    }

    private static AwsException noSuchConfiguration() {
        return AwsException.of(S3Errors.NO_SUCH_CONFIGURATION, "The specified configuration does not exist.");
    }

    // ---- the reports

    /** One pass: writes every enabled configuration's report that is due (a new configuration's at once). */
    void deliverDue() {
        Instant now = clock.instant();
        Store store = buckets.store();
        for (String name : BucketStore.configured(store, SUBRESOURCE)) {
            Bucket source = BucketStore.read(store, name);
            if (source == null || task.isClosed()) {
                continue;
            }
            read(store, name).byId().forEach((id, kept) -> {
                try {
                    Inventory inventory = Inventory.parse(kept.document().getBytes(StandardCharsets.UTF_8), id);
                    boolean due = kept.lastReport() == 0 || !now.isBefore(Instant.ofEpochMilli(kept.lastReport()).plus(inventory.period()));
                    if (inventory.enabled() && due && report(source, inventory, now)) {
                        markReported(name, id, kept, now);
                    }
                } catch (RuntimeException e) {
                    // One configuration's failure keeps the others from waiting for it.
                    LOG.warn("S3 inventory {} of bucket {} could not be written; the next pass retries", id, name, e);
                }
            });
        }
    }

    private void markReported(String bucket, String id, Kept reported, Instant now) {
        buckets.store().transaction(txn -> {
            Map<String, Kept> byId = new TreeMap<>(read(txn, bucket).byId());
            // Unless the configuration was put again or deleted meanwhile.
            if (reported.equals(byId.get(id))) {
                byId.put(id, new Kept(reported.document(), now.toEpochMilli()));
                BucketStore.putConfig(txn, bucket, SUBRESOURCE, S3Json.encode(new Configurations(byId)));
            }
            return null;
        });
    }

    /** Writes one report; false when the destination does not let S3 write it (or is gone). */
    private boolean report(Bucket source, Inventory inventory, Instant now) {
        Bucket target = BucketStore.read(buckets.store(), inventory.destinationBucket());
        String base = (inventory.destinationPrefix() == null || inventory.destinationPrefix().isEmpty() ? "" : inventory.destinationPrefix() + "/")
                + source.name() + "/" + inventory.id() + "/";
        String dataKey = base + "data/" + UUID.randomUUID() + ".csv.gz";
        String manifestKey = base + MANIFEST_DIR.format(now) + "/manifest.json";
        if (target == null || inventory.destinationAccount() != null && !inventory.destinationAccount().equals(target.account())
                || !access.allowsInventoryDelivery(target, source, dataKey, now) || !access.allowsInventoryDelivery(target, source, manifestKey, now)) {
            LOG.debug("S3 inventory {} of bucket {} not written: {} does not let S3 write there", inventory.id(), source.name(), inventory.destinationBucket());
            return false;
        }
        byte[] data = data(source, inventory);
        delivery.put(target.name(), dataKey, data, "application/x-gzip");
        String manifest = "{\"sourceBucket\":\"" + source.name() + "\",\"destinationBucket\":\"arn:aws:s3:::" + target.name()
                + "\",\"version\":\"2016-11-30\",\"creationTimestamp\":\"" + now.toEpochMilli() + "\",\"fileFormat\":\"CSV\",\"fileSchema\":\""
                + inventory.schema() + "\",\"files\":[{\"key\":\"" + json(dataKey) + "\",\"size\":" + data.length + ",\"MD5checksum\":\"" + md5(data)
                + "\"}]}";
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
        delivery.put(target.name(), manifestKey, manifestBytes, "application/json");
        delivery.put(target.name(), base + MANIFEST_DIR.format(now) + "/manifest.checksum", md5(manifestBytes).getBytes(StandardCharsets.UTF_8),
                "text/plain");
        delivery.put(target.name(), base + "hive/dt=" + HIVE_PARTITION.format(now) + "/symlink.txt",
                ("s3://" + target.name() + "/" + dataKey + "\n").getBytes(StandardCharsets.UTF_8), "text/plain");
        return true;
    }

    /** The gzipped CSV of the objects the inventory lists, in key order (a key's versions newest first). */
    private byte[] data(Bucket source, Inventory inventory) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            Store store = buckets.store();
            Lifecycle lifecycle = inventory.optionalFields().contains("LifecycleExpirationDate")
                    ? BucketStore.config(store, source.name(), LifecycleOperations.SUBRESOURCE).map(Lifecycle::parse).orElse(null) : null;
            boolean versions = inventory.allVersions() && source.versioning() != null;
            String prefix = inventory.filterPrefix() == null ? "" : inventory.filterPrefix();
            KeyRange range = versions ? KeyRange.prefix(Key.builder().add(source.name()).buildPrefix(prefix)) : ObjectStore.prefixRange(source.name(), prefix);
            try (Scan scan = store.scan(versions ? Versions.VERSIONS : ObjectStore.OBJECTS, range)) {
                String lastKey = null;
                while (scan.hasNext()) {
                    StoredObject object = S3Json.decode(scan.next().value(), StoredObject.class);
                    boolean latest = !object.key().equals(lastKey);
                    lastKey = object.key();
                    if (!inventory.allVersions() && object.deleteMarker()) {
                        continue;
                    }
                    gzip.write(inventory.row(source, lifecycle, object, latest).getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
