package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerReplicationStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.ReplicationStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Bucket replication through the SDK: new versions a rule selects are copied to the destination
 * bucket with their version id, body, metadata and tags, the source reporting {@code PENDING} then
 * {@code COMPLETED} and the copy {@code REPLICA}; delete markers go when the rule says; replicas
 * are not replicated again; the configuration is checked as S3 checks it; staged copies survive a restart.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class ReplicationIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ROLE = "arn:aws:iam::000000000000:role/replication";

    private static void versionedBucket(S3Client s3, String name) {
        s3.createBucket(b -> b.bucket(name));
        s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }

    private static ReplicationRule rule(String id, int priority, String prefix, String destination, boolean deleteMarkers) {
        return ReplicationRule.builder().id(id).priority(priority).status(ReplicationRuleStatus.ENABLED)
                .filter(f -> f.prefix(prefix))
                .deleteMarkerReplication(d -> d.status(deleteMarkers ? DeleteMarkerReplicationStatus.ENABLED : DeleteMarkerReplicationStatus.DISABLED))
                .destination(d -> d.bucket("arn:aws:s3:::" + destination)).build();
    }

    private static <T> T await(Supplier<T> read, java.util.function.Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T value = read.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            value = read.get();
        }
        return value;
    }

    private static HeadObjectResponse headOrNull(S3Client s3, String bucket, String key, String versionId) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key).versionId(versionId));
        } catch (S3Exception e) {
            return null;
        }
    }

    @Test
    void newVersionsAreCopiedWithTheirVersionIdsBodiesMetadataAndTags(S3Client s3) throws Exception {
        versionedBucket(s3, "repl-source");
        versionedBucket(s3, "repl-copy");
        s3.putBucketReplication(b -> b.bucket("repl-source").replicationConfiguration(ReplicationConfiguration.builder().role(ROLE)
                .rules(rule("docs", 1, "docs/", "repl-copy", true)).build()));
        ReplicationRule stored = s3.getBucketReplication(b -> b.bucket("repl-source")).replicationConfiguration().rules().getFirst();
        assertThat(stored.id()).isEqualTo("docs");
        assertThat(stored.destination().bucket()).isEqualTo("arn:aws:s3:::repl-copy");

        String small = s3.putObject(b -> b.bucket("repl-source").key("docs/a.txt").metadata(Map.of("team", "blue")).tagging("kind=memo")
                .contentType("text/plain"), RequestBody.fromString("hello")).versionId();
        byte[] large = new byte[300 * 1024];
        java.util.Arrays.fill(large, (byte) 'x');
        String big = s3.putObject(b -> b.bucket("repl-source").key("docs/big.bin"), RequestBody.fromBytes(large)).versionId();
        s3.putObject(b -> b.bucket("repl-source").key("other/skip.txt"), RequestBody.fromString("not selected"));

        HeadObjectResponse source = await(() -> s3.headObject(b -> b.bucket("repl-source").key("docs/a.txt")),
                head -> head.replicationStatus() == ReplicationStatus.COMPLETED);
        assertThat(source.replicationStatus()).isEqualTo(ReplicationStatus.COMPLETED);
        HeadObjectResponse replica = s3.headObject(b -> b.bucket("repl-copy").key("docs/a.txt"));
        assertThat(replica.versionId()).isEqualTo(small);
        assertThat(replica.replicationStatus()).isEqualTo(ReplicationStatus.REPLICA);
        assertThat(replica.metadata()).containsEntry("team", "blue");
        assertThat(replica.contentType()).isEqualTo("text/plain");
        assertThat(replica.eTag()).isEqualTo(source.eTag());
        assertThat(s3.getObjectAsBytes(b -> b.bucket("repl-copy").key("docs/a.txt")).asUtf8String()).isEqualTo("hello");
        assertThat(s3.getObjectTagging(b -> b.bucket("repl-copy").key("docs/a.txt")).tagSet()).singleElement()
                .satisfies(tag -> assertThat(tag.key() + "=" + tag.value()).isEqualTo("kind=memo"));

        await(() -> headOrNull(s3, "repl-copy", "docs/big.bin", big), head -> head != null);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("repl-copy").key("docs/big.bin").versionId(big)).asByteArray()).isEqualTo(large);
        assertThat(s3.headObject(b -> b.bucket("repl-source").key("other/skip.txt")).replicationStatus()).isNull();
        assertS3Error(() -> s3.headObject(b -> b.bucket("repl-copy").key("other/skip.txt")), 404, null);

        // New tags follow the version to its copy.
        s3.putObjectTagging(b -> b.bucket("repl-source").key("docs/a.txt").tagging(t -> t.tagSet(tag -> tag.key("kind").value("letter"))));
        assertThat(await(() -> s3.getObjectTagging(b -> b.bucket("repl-copy").key("docs/a.txt")).tagSet(),
                tags -> tags.size() == 1 && tags.getFirst().value().equals("letter"))).singleElement()
                .satisfies(tag -> assertThat(tag.value()).isEqualTo("letter"));

        // A delete marker goes too, as the rule asks; deleting a version by id does not.
        String marker = s3.deleteObject(b -> b.bucket("repl-source").key("docs/a.txt")).versionId();
        await(() -> s3.listObjectVersions(b -> b.bucket("repl-copy").prefix("docs/a.txt")).deleteMarkers(), markers -> !markers.isEmpty());
        assertThat(s3.listObjectVersions(b -> b.bucket("repl-copy").prefix("docs/a.txt")).deleteMarkers()).singleElement()
                .satisfies(found -> assertThat(found.versionId()).isEqualTo(marker));
        s3.deleteObject(b -> b.bucket("repl-source").key("docs/big.bin").versionId(big));
        Thread.sleep(300);
        assertThat(headOrNull(s3, "repl-copy", "docs/big.bin", big)).as("a version deleted by id stays in the copy").isNotNull();
    }

    @Test
    void replicasAreNotReplicatedAgainAndRulesMayNameAStorageClass(S3Client s3) throws Exception {
        versionedBucket(s3, "chain-a");
        versionedBucket(s3, "chain-b");
        versionedBucket(s3, "chain-c");
        s3.putBucketReplication(b -> b.bucket("chain-a").replicationConfiguration(ReplicationConfiguration.builder().role(ROLE)
                .rules(rule("all", 1, "", "chain-b", false).toBuilder().destination(d -> d.bucket("arn:aws:s3:::chain-b")
                        .storageClass(StorageClass.STANDARD_IA)).build()).build()));
        s3.putBucketReplication(b -> b.bucket("chain-b").replicationConfiguration(ReplicationConfiguration.builder().role(ROLE)
                .rules(rule("all", 1, "", "chain-c", false)).build()));

        s3.putObject(b -> b.bucket("chain-a").key("k"), RequestBody.fromString("v"));

        HeadObjectResponse copy = await(() -> headOrNull(s3, "chain-b", "k", null), head -> head != null);
        assertThat(copy.replicationStatus()).isEqualTo(ReplicationStatus.REPLICA);
        assertThat(copy.storageClass()).isEqualTo(StorageClass.STANDARD_IA);
        // A delete marker under a rule that leaves them out stays where it is.
        s3.deleteObject(b -> b.bucket("chain-a").key("k"));
        Thread.sleep(500);
        assertThat(headOrNull(s3, "chain-c", "k", null)).as("chain-b's copy is not copied on").isNull();
        assertThat(s3.listObjectVersions(b -> b.bucket("chain-b")).deleteMarkers()).isEmpty();
    }

    @Test
    void aCopyStagedBeforeARestartIsMadeAfterIt(Stratus stratus, S3Client s3) throws Exception {
        versionedBucket(s3, "restart-source");
        versionedBucket(s3, "restart-copy");
        s3.putBucketReplication(b -> b.bucket("restart-source").replicationConfiguration(ReplicationConfiguration.builder().role(ROLE)
                .rules(rule("all", 1, "", "restart-copy", false)).build()));
        // Multipart, so the body is the parts' files.
        String upload = s3.createMultipartUpload(b -> b.bucket("restart-source").key("parts")).uploadId();
        byte[] part = new byte[5 * 1024 * 1024];
        String etag = s3.uploadPart(b -> b.bucket("restart-source").key("parts").uploadId(upload).partNumber(1), RequestBody.fromBytes(part)).eTag();
        String version = s3.completeMultipartUpload(b -> b.bucket("restart-source").key("parts").uploadId(upload)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag)))).versionId();

        stratus.restart();

        HeadObjectResponse replica = await(() -> headOrNull(s3, "restart-copy", "parts", version), head -> head != null);
        assertThat(replica).isNotNull();
        assertThat(replica.contentLength()).isEqualTo(part.length);
        assertThat(await(() -> s3.headObject(b -> b.bucket("restart-source").key("parts")).replicationStatus(),
                status -> status == ReplicationStatus.COMPLETED)).isEqualTo(ReplicationStatus.COMPLETED);
    }

    @Test
    void whatLifecycleRulesDoIsNotReplicated(Stratus stratus, S3Client s3) throws Exception {
        versionedBucket(s3, "aging-source");
        versionedBucket(s3, "aging-copy");
        s3.putBucketReplication(b -> b.bucket("aging-source").replicationConfiguration(ReplicationConfiguration.builder().role(ROLE)
                .rules(rule("all", 1, "", "aging-copy", true)).build()));
        s3.putBucketLifecycleConfiguration(b -> b.bucket("aging-source").lifecycleConfiguration(l -> l.rules(r -> r.id("expire")
                .status(software.amazon.awssdk.services.s3.model.ExpirationStatus.ENABLED).filter(f -> f.prefix("tmp/"))
                .expiration(e -> e.days(1)))));
        s3.putObject(b -> b.bucket("aging-source").key("tmp/x"), RequestBody.fromString("short-lived"));
        await(() -> s3.headObject(b -> b.bucket("aging-source").key("tmp/x")).replicationStatus(), status -> status == ReplicationStatus.COMPLETED);

        stratus.clock().advance(Duration.ofDays(2));
        stratus.restart(); // the lifecycle sweeper passes as S3 starts

        assertThat(await(() -> s3.listObjectVersions(b -> b.bucket("aging-source").prefix("tmp/x")).deleteMarkers(), markers -> !markers.isEmpty()))
                .as("expired in the source").hasSize(1);
        Thread.sleep(500);
        assertThat(s3.listObjectVersions(b -> b.bucket("aging-copy").prefix("tmp/x")).deleteMarkers()).as("the copy keeps its object").isEmpty();
        assertThat(s3.getObjectAsBytes(b -> b.bucket("aging-copy").key("tmp/x")).asUtf8String()).isEqualTo("short-lived");
    }

    @Test
    void configurationsAreCheckedAsS3ChecksThem(S3Client s3) {
        s3.createBucket(b -> b.bucket("plain-source"));
        versionedBucket(s3, "checked-source");
        s3.createBucket(b -> b.bucket("plain-copy"));
        ReplicationConfiguration toPlain = ReplicationConfiguration.builder().role(ROLE).rules(rule("r", 1, "", "plain-copy", false)).build();
        ReplicationConfiguration toMissing = ReplicationConfiguration.builder().role(ROLE).rules(rule("r", 1, "", "no-such-copy", false)).build();
        ReplicationConfiguration toSelf = ReplicationConfiguration.builder().role(ROLE).rules(rule("r", 1, "", "checked-source", false)).build();

        assertS3Error(() -> s3.putBucketReplication(b -> b.bucket("plain-source").replicationConfiguration(toPlain)), 400, "InvalidRequest");
        assertS3Error(() -> s3.putBucketReplication(b -> b.bucket("checked-source").replicationConfiguration(toPlain)), 400, "InvalidRequest");
        assertS3Error(() -> s3.putBucketReplication(b -> b.bucket("checked-source").replicationConfiguration(toMissing)), 400, "InvalidRequest");
        assertS3Error(() -> s3.putBucketReplication(b -> b.bucket("checked-source").replicationConfiguration(toSelf)), 400, "InvalidRequest");
        // The second schema (a Filter) needs DeleteMarkerReplication.
        ReplicationRule noMarkers = rule("r", 1, "", "plain-copy", false).toBuilder().deleteMarkerReplication((software.amazon.awssdk.services.s3.model.DeleteMarkerReplication) null).build();
        s3.putBucketVersioning(b -> b.bucket("plain-copy").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        assertS3Error(() -> s3.putBucketReplication(b -> b.bucket("checked-source").replicationConfiguration(c -> c.role(ROLE).rules(noMarkers))),
                400, "InvalidRequest");
        // Replication time control is not something Stratus does.
        ReplicationRule timed = rule("r", 1, "", "plain-copy", false).toBuilder().destination(d -> d.bucket("arn:aws:s3:::plain-copy")
                .replicationTime(t -> t.status("Enabled").time(m -> m.minutes(15))).metrics(m -> m.status("Enabled").eventThreshold(e -> e.minutes(15))))
                .build();
        assertS3Error(() -> s3.putBucketReplication(b -> b.bucket("checked-source").replicationConfiguration(c -> c.role(ROLE).rules(timed))),
                501, "NotImplemented");

        s3.putBucketReplication(b -> b.bucket("checked-source").replicationConfiguration(toPlain));
        // Versioning cannot be suspended under a replication configuration.
        assertS3Error(() -> s3.putBucketVersioning(b -> b.bucket("checked-source").versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED))),
                409, "InvalidBucketState");
        s3.deleteBucketReplication(b -> b.bucket("checked-source"));
        assertS3Error(() -> s3.getBucketReplication(b -> b.bucket("checked-source")), 404, "ReplicationConfigurationNotFoundError");
        s3.putBucketVersioning(b -> b.bucket("checked-source").versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
    }
}
