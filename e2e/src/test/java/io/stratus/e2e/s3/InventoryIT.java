package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.InventoryConfiguration;
import software.amazon.awssdk.services.s3.model.InventoryFormat;
import software.amazon.awssdk.services.s3.model.InventoryFrequency;
import software.amazon.awssdk.services.s3.model.InventoryIncludedObjectVersions;
import software.amazon.awssdk.services.s3.model.InventoryOptionalField;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3 Inventory through the SDK: configurations kept, listed and deleted, checked as S3 checks
 * them, and the reports written into the destination bucket in S3's layout — here at the pass
 * that runs when the server starts (a restart), and otherwise every minute.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class InventoryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The policy S3's documentation gives an inventory destination: S3 may put objects there for the source bucket. */
    private static String inventoryPolicy(String destination, String source) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"InventoryPolicy\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"s3.amazonaws.com\"},\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::" + destination + "/*\","
                + "\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::" + source + "\"},"
                + "\"StringEquals\":{\"aws:SourceAccount\":\"000000000000\"}}}]}";
    }

    private static InventoryConfiguration configuration(String id, String destination, InventoryIncludedObjectVersions versions,
            InventoryOptionalField... fields) {
        return InventoryConfiguration.builder().id(id).isEnabled(true)
                .destination(d -> d.s3BucketDestination(b -> b.bucket("arn:aws:s3:::" + destination).format(InventoryFormat.CSV).prefix("reports")))
                .includedObjectVersions(versions).optionalFields(fields).schedule(s -> s.frequency(InventoryFrequency.DAILY)).build();
    }

    /** The keys under {@code prefix} once there are {@code count} of them (the pass at start writes them while the test goes on). */
    private static List<String> awaitKeys(S3Client s3, String bucket, String prefix, int count) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        List<String> keys;
        do {
            keys = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).toList();
            if (keys.size() >= count) {
                return keys;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return keys;
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void configurationsAreKeptListedAndDeleted(S3Client s3) {
        s3.createBucket(b -> b.bucket("inv-config"));
        s3.putBucketInventoryConfiguration(b -> b.bucket("inv-config").id("weekly")
                .inventoryConfiguration(configuration("weekly", "inv-config", InventoryIncludedObjectVersions.CURRENT, InventoryOptionalField.SIZE)
                        .toBuilder().filter(f -> f.prefix("logs/")).schedule(s -> s.frequency(InventoryFrequency.WEEKLY)).build()));
        s3.putBucketInventoryConfiguration(b -> b.bucket("inv-config").id("all")
                .inventoryConfiguration(configuration("all", "inv-config", InventoryIncludedObjectVersions.ALL)));

        var got = s3.getBucketInventoryConfiguration(b -> b.bucket("inv-config").id("weekly")).inventoryConfiguration();
        assertThat(got.id()).isEqualTo("weekly");
        assertThat(got.isEnabled()).isTrue();
        assertThat(got.filter().prefix()).isEqualTo("logs/");
        assertThat(got.destination().s3BucketDestination().bucket()).isEqualTo("arn:aws:s3:::inv-config");
        assertThat(got.destination().s3BucketDestination().prefix()).isEqualTo("reports");
        assertThat(got.optionalFields()).containsExactly(InventoryOptionalField.SIZE);
        assertThat(got.schedule().frequency()).isEqualTo(InventoryFrequency.WEEKLY);
        assertThat(s3.listBucketInventoryConfigurations(b -> b.bucket("inv-config")).inventoryConfigurationList())
                .extracting(InventoryConfiguration::id).containsExactly("all", "weekly");

        s3.deleteBucketInventoryConfiguration(b -> b.bucket("inv-config").id("all"));
        assertS3Error(() -> s3.getBucketInventoryConfiguration(b -> b.bucket("inv-config").id("all")), 404, "NoSuchConfiguration");
        assertS3Error(() -> s3.deleteBucketInventoryConfiguration(b -> b.bucket("inv-config").id("all")), 404, "NoSuchConfiguration");
        assertThat(s3.listBucketInventoryConfigurations(b -> b.bucket("inv-config")).inventoryConfigurationList())
                .extracting(InventoryConfiguration::id).containsExactly("weekly");

        assertS3Error(() -> s3.putBucketInventoryConfiguration(b -> b.bucket("inv-config").id("other")
                .inventoryConfiguration(configuration("mismatch", "inv-config", InventoryIncludedObjectVersions.ALL))), 400, "InvalidArgument");
        assertS3Error(() -> s3.putBucketInventoryConfiguration(b -> b.bucket("inv-config").id("orc")
                .inventoryConfiguration(configuration("orc", "inv-config", InventoryIncludedObjectVersions.ALL).toBuilder()
                        .destination(d -> d.s3BucketDestination(x -> x.bucket("arn:aws:s3:::inv-config").format(InventoryFormat.ORC))).build())),
                501, "NotImplemented");
        assertS3Error(() -> s3.putBucketInventoryConfiguration(b -> b.bucket("inv-config").id("bad")
                .inventoryConfiguration(configuration("bad", "inv-config", InventoryIncludedObjectVersions.ALL).toBuilder()
                        .destination(d -> d.s3BucketDestination(x -> x.bucket("inv-config").format(InventoryFormat.CSV))).build())),
                400, "InvalidArgument");
        assertS3Error(() -> s3.putBucketInventoryConfiguration(b -> b.bucket("inv-config").id("owner")
                .inventoryConfiguration(configuration("owner", "inv-config", InventoryIncludedObjectVersions.ALL,
                        InventoryOptionalField.INTELLIGENT_TIERING_ACCESS_TIER))),
                501, "NotImplemented");
        assertS3Error(() -> s3.listBucketInventoryConfigurations(b -> b.bucket("inv-missing")), 404, "NoSuchBucket");

        // S3's actions: s3:PutInventoryConfiguration (put and delete), s3:GetInventoryConfiguration (get and list).
        s3.putBucketPolicy(b -> b.bucket("inv-config").policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":\"s3:PutInventoryConfiguration\",\"Resource\":\"arn:aws:s3:::inv-config\"}]}"));
        assertS3Error(() -> s3.deleteBucketInventoryConfiguration(b -> b.bucket("inv-config").id("weekly")), 403, "AccessDenied");
        assertThat(s3.getBucketInventoryConfiguration(b -> b.bucket("inv-config").id("weekly")).inventoryConfiguration().id()).isEqualTo("weekly");
    }

    @Test
    void reportsListTheObjectsInS3sLayoutWhereThePolicyLetsS3Write(S3Client s3, Stratus stratus) throws Exception {
        s3.createBucket(b -> b.bucket("inv-source"));
        s3.createBucket(b -> b.bucket("inv-reports"));
        s3.createBucket(b -> b.bucket("inv-closed"));
        s3.putObject(b -> b.bucket("inv-source").key("a.txt"), RequestBody.fromString("hello"));
        s3.putObject(b -> b.bucket("inv-source").key("dir/b c.txt"), RequestBody.fromString("hi"));
        s3.putBucketPolicy(b -> b.bucket("inv-reports").policy(inventoryPolicy("inv-reports", "inv-source")));
        s3.putBucketInventoryConfiguration(b -> b.bucket("inv-source").id("daily").inventoryConfiguration(configuration("daily", "inv-reports",
                InventoryIncludedObjectVersions.CURRENT, InventoryOptionalField.SIZE, InventoryOptionalField.E_TAG, InventoryOptionalField.STORAGE_CLASS)));
        s3.putBucketInventoryConfiguration(b -> b.bucket("inv-source").id("closed").inventoryConfiguration(configuration("closed", "inv-closed",
                InventoryIncludedObjectVersions.CURRENT)));

        stratus.restart();

        List<String> keys = awaitKeys(s3, "inv-reports", "", 4);
        assertThat(keys).hasSize(4).allMatch(k -> k.startsWith("reports/inv-source/daily/"));
        String manifestKey = keys.stream().filter(k -> k.endsWith("/manifest.json")).findFirst().orElseThrow();
        assertThat(manifestKey).matches("reports/inv-source/daily/\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}Z/manifest.json");
        byte[] manifestBytes = s3.getObjectAsBytes(b -> b.bucket("inv-reports").key(manifestKey)).asByteArray();
        JsonNode manifest = JSON.readTree(manifestBytes);
        assertThat(manifest.get("sourceBucket").asText()).isEqualTo("inv-source");
        assertThat(manifest.get("destinationBucket").asText()).isEqualTo("arn:aws:s3:::inv-reports");
        assertThat(manifest.get("fileFormat").asText()).isEqualTo("CSV");
        assertThat(manifest.get("fileSchema").asText()).isEqualTo("Bucket, Key, Size, ETag, StorageClass");
        String checksum = s3.getObjectAsBytes(b -> b.bucket("inv-reports").key(manifestKey.replace("manifest.json", "manifest.checksum"))).asUtf8String();
        assertThat(checksum).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(manifestBytes)));

        JsonNode file = manifest.get("files").get(0);
        byte[] data = s3.getObjectAsBytes(b -> b.bucket("inv-reports").key(file.get("key").asText())).asByteArray();
        assertThat(file.get("size").asLong()).isEqualTo(data.length);
        assertThat(file.get("MD5checksum").asText()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)));
        assertThat(gunzip(data)).isEqualTo("\"inv-source\",\"a.txt\",\"5\",\"5d41402abc4b2a76b9719d911017c592\",\"STANDARD\"\n"
                + "\"inv-source\",\"dir%2Fb%20c.txt\",\"2\",\"49f68a5c8493ec2c0bf489821c21fc3b\",\"STANDARD\"\n");
        String symlink = keys.stream().filter(k -> k.endsWith("/symlink.txt")).findFirst().orElseThrow();
        assertThat(symlink).matches("reports/inv-source/daily/hive/dt=\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}/symlink.txt");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("inv-reports").key(symlink)).asUtf8String())
                .isEqualTo("s3://inv-reports/" + file.get("key").asText() + "\n");
        // No policy lets S3 write into the other destination: nothing there.
        assertThat(s3.listObjectsV2(b -> b.bucket("inv-closed")).contents()).isEmpty();

        // The next report is a day away: a restart writes nothing new.
        stratus.restart();
        Thread.sleep(1_000);
        assertThat(s3.listObjectsV2(b -> b.bucket("inv-reports")).contents()).hasSize(4);
    }

    @Test
    void allVersionsListEveryVersionAndDeleteMarker(S3Client s3, Stratus stratus) throws Exception {
        s3.createBucket(b -> b.bucket("inv-versioned"));
        s3.putBucketVersioning(b -> b.bucket("inv-versioned").versioningConfiguration(v -> v.status("Enabled")));
        String v1 = s3.putObject(b -> b.bucket("inv-versioned").key("k"), RequestBody.fromString("one")).versionId();
        String v2 = s3.putObject(b -> b.bucket("inv-versioned").key("k"), RequestBody.fromString("two")).versionId();
        String marker = s3.deleteObject(b -> b.bucket("inv-versioned").key("k")).versionId();
        s3.putBucketPolicy(b -> b.bucket("inv-versioned").policy(inventoryPolicy("inv-versioned", "inv-versioned")));
        s3.putBucketInventoryConfiguration(b -> b.bucket("inv-versioned").id("everything").inventoryConfiguration(
                configuration("everything", "inv-versioned", InventoryIncludedObjectVersions.ALL, InventoryOptionalField.SIZE)
                        .toBuilder().filter(f -> f.prefix("k")).build()));

        stratus.restart();

        String dataKey = awaitKeys(s3, "inv-versioned", "reports/", 4).stream().filter(k -> k.endsWith(".csv.gz")).findFirst().orElseThrow();
        assertThat(gunzip(s3.getObjectAsBytes(b -> b.bucket("inv-versioned").key(dataKey)).asByteArray())).isEqualTo(
                "\"inv-versioned\",\"k\",\"" + marker + "\",\"true\",\"true\",\"\"\n"
                        + "\"inv-versioned\",\"k\",\"" + v2 + "\",\"false\",\"false\",\"3\"\n"
                        + "\"inv-versioned\",\"k\",\"" + v1 + "\",\"false\",\"false\",\"3\"\n");
    }
}
