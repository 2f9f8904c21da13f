package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.BucketLogsPermission;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.PartitionDateSource;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.TargetGrant;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * S3 server access logging through the SDK: PutBucketLogging and GetBucketLogging with the checks
 * S3 makes of the target bucket, and the log objects written into it in S3's format — here when
 * the server stops (a restart), which writes whatever is buffered.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class AccessLoggingIT {

    /** One log record's fields: quoted ones (request line, referrer, user agent) and the time keep their spaces. */
    private static final Pattern FIELD = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|\\[[^]]*]|\\S+");
    private static final String FILE_NAME = "\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9A-F]{16}";

    /** The bucket policy S3's documentation gives a log bucket: the logging service may write under {@code prefix} for {@code source}. */
    private static String logDelivery(String target, String prefix, String source) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S3ServerAccessLogsPolicy\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"logging.s3.amazonaws.com\"},\"Action\":\"s3:PutObject\","
                + "\"Resource\":\"arn:aws:s3:::" + target + "/" + prefix + "*\","
                + "\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::" + source + "\"},"
                + "\"StringEquals\":{\"aws:SourceAccount\":\"000000000000\"}}}]}";
    }

    private static List<List<String>> records(S3Client s3, String bucket, String key) {
        List<List<String>> records = new ArrayList<>();
        for (String line : s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String().split("\n")) {
            List<String> fields = new ArrayList<>();
            Matcher matcher = FIELD.matcher(line);
            while (matcher.find()) {
                fields.add(matcher.group());
            }
            records.add(fields);
        }
        return records;
    }

    private static List<String> record(List<List<String>> records, String operation, String key) {
        return records.stream().filter(r -> r.get(6).equals(operation) && r.get(7).equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + operation + " of " + key + " in " + records));
    }

    @Test
    void requestsAreLoggedIntoTheTargetBucket(S3Client s3, Stratus stratus) {
        s3.createBucket(b -> b.bucket("app-data"));
        s3.createBucket(b -> b.bucket("app-logs"));
        s3.putBucketPolicy(b -> b.bucket("app-logs").policy(logDelivery("app-logs", "access/", "app-data")));
        s3.putBucketLogging(b -> b.bucket("app-data").bucketLoggingStatus(s -> s.loggingEnabled(l -> l.targetBucket("app-logs").targetPrefix("access/"))));
        assertThat(s3.getBucketLogging(b -> b.bucket("app-data")).loggingEnabled().targetPrefix()).isEqualTo("access/");

        s3.putObject(b -> b.bucket("app-data").key("reports/q 1.csv"), RequestBody.fromString("a,b,c"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("app-data").key("reports/q 1.csv")).asUtf8String()).isEqualTo("a,b,c");
        s3.headObject(b -> b.bucket("app-data").key("reports/q 1.csv"));
        assertS3Error(() -> s3.getObjectAsBytes(b -> b.bucket("app-data").key("missing")), 404, "NoSuchKey");
        s3.listObjectsV2(b -> b.bucket("app-data"));
        assertThat(s3.listObjectsV2(b -> b.bucket("app-logs")).contents()).isEmpty(); // written every minute, and on stopping

        stratus.restart();

        List<S3Object> logs = s3.listObjectsV2(b -> b.bucket("app-logs")).contents();
        assertThat(logs).singleElement().satisfies(o -> assertThat(o.key()).matches("access/" + FILE_NAME));
        List<List<String>> records = records(s3, "app-logs", logs.getFirst().key());
        // From the request that turned logging on (logged once it has answered) to the last one.
        assertThat(records).extracting(r -> r.get(6)).containsExactly("REST.PUT.LOGGING_STATUS", "REST.GET.LOGGING_STATUS", "REST.PUT.OBJECT", "REST.GET.OBJECT",
                "REST.HEAD.OBJECT", "REST.GET.OBJECT", "REST.GET.BUCKET");
        String owner = records.getFirst().get(0);
        assertThat(owner).matches("[0-9a-f]{64}");
        assertThat(records).allSatisfy(r -> {
            assertThat(r).hasSize(26);
            assertThat(r.get(0)).isEqualTo(owner);
            assertThat(r.get(1)).isEqualTo("app-data");
            assertThat(r.get(2)).matches("\\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000]");
            assertThat(r.get(3)).isEqualTo("127.0.0.1");
            assertThat(r.get(4)).isEqualTo(owner); // the account's root user, by its canonical id
            assertThat(r.get(16)).startsWith("\"aws-sdk-java/");
            assertThat(r.get(19)).isEqualTo("SigV4");
            assertThat(r.get(21)).isEqualTo("AuthHeader");
            assertThat(r.get(22)).isEqualTo(stratus.endpoint().getAuthority());
        });
        List<String> put = record(records, "REST.PUT.OBJECT", "reports/q%201.csv");
        assertThat(put.get(8)).isEqualTo("\"PUT /app-data/reports/q%201.csv HTTP/1.1\"");
        assertThat(put.subList(9, 13)).containsExactly("200", "-", "-", "5");
        List<String> get = record(records, "REST.GET.OBJECT", "reports/q%201.csv");
        assertThat(get.subList(9, 13)).containsExactly("200", "-", "5", "5");
        assertThat(record(records, "REST.HEAD.OBJECT", "reports/q%201.csv").subList(9, 13)).containsExactly("200", "-", "-", "5");
        List<String> missing = record(records, "REST.GET.OBJECT", "missing");
        assertThat(missing.get(9)).isEqualTo("404");
        assertThat(missing.get(10)).isEqualTo("NoSuchKey");
        assertThat(record(records, "REST.GET.BUCKET", "-").get(9)).isEqualTo("200");

        // Logging stays on across the restart; turned off, nothing more is written.
        s3.putObject(b -> b.bucket("app-data").key("after"), RequestBody.fromString("x"));
        s3.putBucketLogging(b -> b.bucket("app-data").bucketLoggingStatus(s -> s.build()));
        assertThat(s3.getBucketLogging(b -> b.bucket("app-data")).loggingEnabled()).isNull();
        s3.putObject(b -> b.bucket("app-data").key("unlogged"), RequestBody.fromString("y"));
        stratus.restart();
        List<S3Object> after = s3.listObjectsV2(b -> b.bucket("app-logs")).contents();
        assertThat(after).hasSize(2);
        List<List<String>> last = records(s3, "app-logs", after.stream().filter(o -> !o.key().equals(logs.getFirst().key())).findFirst().orElseThrow().key());
        assertThat(last).extracting(r -> r.get(6) + " " + r.get(7)).containsExactly("REST.PUT.OBJECT after");
    }

    @Test
    void partitionedKeysNameTheSourceAndTheDay(S3Client s3, Stratus stratus) {
        s3.createBucket(b -> b.bucket("part-data"));
        s3.createBucket(b -> b.bucket("part-logs"));
        s3.putBucketPolicy(b -> b.bucket("part-logs").policy(logDelivery("part-logs", "", "part-data")));
        s3.putBucketLogging(b -> b.bucket("part-data").bucketLoggingStatus(s -> s.loggingEnabled(l -> l.targetBucket("part-logs").targetPrefix("")
                .targetObjectKeyFormat(f -> f.partitionedPrefix(p -> p.partitionDateSource(PartitionDateSource.EVENT_TIME))))));
        assertThat(s3.getBucketLogging(b -> b.bucket("part-data")).loggingEnabled().targetObjectKeyFormat().partitionedPrefix()
                .partitionDateSource()).isEqualTo(PartitionDateSource.EVENT_TIME);
        s3.putObject(b -> b.bucket("part-data").key("k"), RequestBody.fromString("v"));

        stratus.restart();

        String day = LocalDate.ofInstant(stratus.clock().instant(), ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy/MM/dd"));
        assertThat(s3.listObjectsV2(b -> b.bucket("part-logs")).contents()).singleElement()
                .satisfies(o -> assertThat(o.key()).matches("000000000000/us-east-1/part-data/" + day + "/" + FILE_NAME));
    }

    @Test
    void websiteRequestsAreLoggedAsAnonymous(S3Client s3, Stratus stratus) throws Exception {
        s3.createBucket(b -> b.bucket("site-src"));
        s3.createBucket(b -> b.bucket("site-logs"));
        s3.putBucketWebsite(b -> b.bucket("site-src").websiteConfiguration(w -> w.indexDocument(i -> i.suffix("index.html"))));
        s3.deletePublicAccessBlock(b -> b.bucket("site-src"));
        s3.putBucketPolicy(b -> b.bucket("site-src").policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::site-src/*\"}]}"));
        s3.putObject(b -> b.bucket("site-src").key("index.html").contentType("text/html"), RequestBody.fromString("<h1>hi</h1>"));
        s3.putBucketPolicy(b -> b.bucket("site-logs").policy(logDelivery("site-logs", "", "site-src")));
        s3.putBucketLogging(b -> b.bucket("site-src").bucketLoggingStatus(s -> s.loggingEnabled(l -> l.targetBucket("site-logs").targetPrefix(""))));

        java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                stratus.endpoint().resolve("/_aws/s3-website/site-src/index.html")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        stratus.restart();

        String log = s3.listObjectsV2(b -> b.bucket("site-logs")).contents().getFirst().key();
        List<String> website = record(records(s3, "site-logs", log), "WEBSITE.GET.OBJECT", "index.html");
        assertThat(website.get(4)).isEqualTo("-"); // nobody signed it
        assertThat(website.get(8)).isEqualTo("\"GET /_aws/s3-website/site-src/index.html HTTP/1.1\"");
        assertThat(website.subList(9, 13)).containsExactly("200", "-", "11", "11");
        assertThat(website.get(19)).isEqualTo("-");
    }

    @Test
    void aTargetMustBeTheOwnersInTheSameRegionAndLetTheLoggingServiceWrite(S3Client s3, Stratus stratus) throws Exception {
        s3.createBucket(b -> b.bucket("source"));
        s3.createBucket(b -> b.bucket("open-logs"));
        s3.createBucket(b -> b.bucket("closed-logs"));
        s3.createBucket(b -> b.bucket("irish-logs").createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.EU_WEST_1)));
        s3.createBucket(b -> b.bucket("locked-logs").objectLockEnabledForBucket(true));
        s3.putObjectLockConfiguration(b -> b.bucket("locked-logs").objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                .rule(r -> r.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1)))));
        s3.putBucketPolicy(b -> b.bucket("open-logs").policy(logDelivery("open-logs", "", "source")));
        s3.putBucketPolicy(b -> b.bucket("locked-logs").policy(logDelivery("locked-logs", "", "source")));
        try (S3Client other = stratus.configure(S3Client.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("222222222222", "test"))).build()) {
            other.createBucket(b -> b.bucket("others-logs"));
        }

        assertS3Error(() -> enable(s3, "source", "no-such-bucket"), 400, "InvalidTargetBucketForLogging");
        assertS3Error(() -> enable(s3, "source", "others-logs"), 400, "InvalidTargetBucketForLogging");
        assertS3Error(() -> enable(s3, "source", "irish-logs"), 403, "CrossLocationLoggingProhibitted");
        assertS3Error(() -> enable(s3, "source", "closed-logs"), 400, "InvalidTargetBucketForLogging");
        assertS3Error(() -> enable(s3, "source", "locked-logs"), 400, "InvalidTargetBucketForLogging");
        assertS3Error(() -> s3.putBucketLogging(b -> b.bucket("source").bucketLoggingStatus(s -> s.loggingEnabled(l -> l.targetBucket("open-logs")
                .targetPrefix("").targetGrants(TargetGrant.builder().permission(BucketLogsPermission.WRITE)
                        .grantee(g -> g.type(Type.GROUP).uri("http://acs.amazonaws.com/groups/s3/LogDelivery")).build())))),
                400, "AccessControlListNotSupported");
        assertS3Error(() -> s3.putBucketLogging(b -> b.bucket("no-such-source").bucketLoggingStatus(s -> s.build())), 404, "NoSuchBucket");
        // TargetPrefix is required (the SDK will not send a status without one; raw HTTP can).
        java.net.http.HttpResponse<String> noPrefix = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        stratus.endpoint().resolve("/source?logging")).PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "<BucketLoggingStatus><LoggingEnabled><TargetBucket>open-logs</TargetBucket></LoggingEnabled></BucketLoggingStatus>")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(noPrefix.statusCode()).isEqualTo(400);
        assertThat(noPrefix.body()).contains("<Code>MalformedXML</Code>");
        assertS3Error(() -> s3.putBucketLogging(b -> b.bucket("source").bucketLoggingStatus(s -> s.loggingEnabled(l -> l.targetBucket("open-logs")
                .targetPrefix("").targetObjectKeyFormat(f -> f.partitionedPrefix(p -> p.partitionDateSource("Tomorrow")))))), 400, "MalformedXML");
        // None of them took: the source logs nothing.
        assertThat(s3.getBucketLogging(b -> b.bucket("source")).loggingEnabled()).isNull();

        enable(s3, "source", "open-logs");
        assertThat(s3.getBucketLogging(b -> b.bucket("source")).loggingEnabled().targetBucket()).isEqualTo("open-logs");
        try (S3Client ireland = stratus.configure(S3Client.builder()).region(Region.EU_WEST_1).build()) {
            assertThat(ireland.getBucketLogging(b -> b.bucket("irish-logs")).loggingEnabled()).isNull();
        }
    }

    @Test
    void aTargetThatTakesAclsMayLetTheLogDeliveryGroupWriteInsteadOfAPolicy(S3Client s3, Stratus stratus) {
        s3.createBucket(b -> b.bucket("acl-source"));
        s3.createBucket(b -> b.bucket("acl-logs").objectOwnership(ObjectOwnership.OBJECT_WRITER));
        s3.createBucket(b -> b.bucket("acl-closed-logs").objectOwnership(ObjectOwnership.OBJECT_WRITER));
        s3.putBucketAcl(b -> b.bucket("acl-logs").acl("log-delivery-write"));

        assertS3Error(() -> enable(s3, "acl-source", "acl-closed-logs"), 400, "InvalidTargetBucketForLogging");
        assertS3Error(() -> s3.putBucketLogging(b -> b.bucket("acl-source").bucketLoggingStatus(s -> s.loggingEnabled(l -> l.targetBucket("acl-logs")
                .targetPrefix("").targetGrants(TargetGrant.builder().permission(BucketLogsPermission.READ)
                        .grantee(g -> g.type(Type.CANONICAL_USER).id("1".repeat(64))).build())))), 501, "NotImplemented");
        enable(s3, "acl-source", "acl-logs");
        s3.putObject(b -> b.bucket("acl-source").key("k"), RequestBody.fromString("v"));

        stratus.restart();

        List<S3Object> logs = s3.listObjectsV2(b -> b.bucket("acl-logs")).contents();
        assertThat(logs).singleElement().satisfies(o -> assertThat(o.key()).matches(FILE_NAME));
        assertThat(records(s3, "acl-logs", logs.getFirst().key())).extracting(r -> r.get(6)).contains("REST.PUT.OBJECT");
    }

    private static void enable(S3Client s3, String source, String target) {
        s3.putBucketLogging(b -> b.bucket(source).bucketLoggingStatus(s -> s.loggingEnabled(l -> l.targetBucket(target).targetPrefix(""))));
    }
}
