package io.stratus.e2e.s3;

import io.stratus.e2e.lambda.FunctionStates;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import io.stratus.testkit.StratusTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** S3 event notifications to SQS queues and Lambda functions, and the configuration's checks. */
@StratusTest
class NotificationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:";

    private static QueueConfiguration queueRule(String id, String queue, String prefix, String suffix, String... events) {
        return QueueConfiguration.builder().id(id).queueArn(QUEUE_ARN + queue).eventsWithStrings(events)
                .filter(f -> f.key(k -> k.filterRules(
                        r -> r.name(FilterRuleName.PREFIX).value(prefix),
                        r -> r.name(FilterRuleName.SUFFIX).value(suffix))))
                .build();
    }

    /** Bodies arriving on the queue until {@code count} came or {@code wait} passed. */
    private static List<JsonNode> messages(SqsClient sqs, String url, int count, Duration wait) throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (bodies.size() < count && System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                bodies.add(JSON.readTree(message.body()));
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return bodies;
    }

    private static JsonNode record(JsonNode event) {
        return event.get("Records").get(0);
    }

    @Test
    void aRestoreOfAnArchivedObjectIsAnnouncedAsInitiatedThenCompleted(S3Client s3, SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("restores")).queueUrl();
        S3Permissions.allowBucket(sqs, url, "cold-notified");
        s3.createBucket(r -> r.bucket("cold-notified"));
        s3.putObject(r -> r.bucket("cold-notified").key("archive/a.bin").storageClass(StorageClass.DEEP_ARCHIVE),
                RequestBody.fromString("frozen"));
        s3.putBucketNotificationConfiguration(r -> r.bucket("cold-notified").notificationConfiguration(NotificationConfiguration.builder()
                .queueConfigurations(queueRule("restores", "restores", "archive/", ".bin", "s3:ObjectRestore:*")).build()));
        assertThat(messages(sqs, url, 1, Duration.ofSeconds(10)).getFirst().get("Event").asText()).isEqualTo("s3:TestEvent");

        s3.restoreObject(r -> r.bucket("cold-notified").key("archive/a.bin").restoreRequest(q -> q.days(2)));
        // A standard queue, as S3's deliveries, keeps no order: the two are told apart by name.
        List<JsonNode> records = messages(sqs, url, 2, Duration.ofSeconds(10)).stream().map(NotificationIT::record)
                .sorted(java.util.Comparator.comparing(r -> r.get("eventName").asText().endsWith("Post") ? 0 : 1)).toList();
        assertThat(records).extracting(r -> r.get("eventName").asText()).containsExactly("ObjectRestore:Post", "ObjectRestore:Completed");
        assertThat(records.get(0).get("s3").get("object").get("key").asText()).isEqualTo("archive/a.bin");
        assertThat(records.get(0).has("glacierEventData")).isFalse();
        assertThat(records.get(0).get("eventTime").asText()).isLessThanOrEqualTo(records.get(1).get("eventTime").asText());
        JsonNode restored = records.get(1).get("glacierEventData").get("restoreEventData");
        assertThat(restored.get("lifecycleRestoreStorageClass").asText()).isEqualTo("DEEP_ARCHIVE");
        assertThat(restored.get("lifecycleRestorationExpiryTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT00:00:00\\.000Z");

        // Moving a restored copy's expiry announces nothing.
        s3.restoreObject(r -> r.bucket("cold-notified").key("archive/a.bin").restoreRequest(q -> q.days(5)));
        assertThat(messages(sqs, url, 1, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void taggingAnObjectIsAnnounced(S3Client s3, SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("tagging")).queueUrl();
        S3Permissions.allowBucket(sqs, url, "tag-notified");
        s3.createBucket(r -> r.bucket("tag-notified"));
        s3.putObject(r -> r.bucket("tag-notified").key("docs/a.txt"), RequestBody.fromString("a"));
        s3.putBucketNotificationConfiguration(r -> r.bucket("tag-notified").notificationConfiguration(NotificationConfiguration.builder()
                .queueConfigurations(queueRule("tags", "tagging", "docs/", ".txt", "s3:ObjectTagging:*")).build()));
        messages(sqs, url, 1, Duration.ofSeconds(10)); // the s3:TestEvent

        s3.putObjectTagging(r -> r.bucket("tag-notified").key("docs/a.txt").tagging(t -> t.tagSet(g -> g.key("stage").value("final"))));
        JsonNode put = record(messages(sqs, url, 1, Duration.ofSeconds(10)).getFirst());
        assertThat(put.get("eventName").asText()).isEqualTo("ObjectTagging:Put");
        assertThat(put.get("s3").get("object").get("key").asText()).isEqualTo("docs/a.txt");
        s3.deleteObjectTagging(r -> r.bucket("tag-notified").key("docs/a.txt"));
        assertThat(record(messages(sqs, url, 1, Duration.ofSeconds(10)).getFirst()).get("eventName").asText()).isEqualTo("ObjectTagging:Delete");
        // Tags given with the upload are part of its ObjectCreated event, none of their own.
        s3.putObject(r -> r.bucket("tag-notified").key("docs/b.txt").tagging("stage=draft"), RequestBody.fromString("b"));
        assertThat(messages(sqs, url, 1, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void createdAndRemovedObjectsReachTheQueue(S3Client s3, SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("uploads")).queueUrl();
        S3Permissions.allowBucket(sqs, url, "notified");
        s3.createBucket(r -> r.bucket("notified"));
        s3.putBucketNotificationConfiguration(r -> r.bucket("notified").notificationConfiguration(NotificationConfiguration.builder()
                .queueConfigurations(queueRule("created", "uploads", "incoming/", ".txt", "s3:ObjectCreated:*"),
                        queueRule("removed", "uploads", "incoming/", ".txt", "s3:ObjectRemoved:*"))
                .build()));

        JsonNode test = messages(sqs, url, 1, Duration.ofSeconds(10)).getFirst();
        assertThat(test.get("Event").asText()).isEqualTo("s3:TestEvent");
        assertThat(test.get("Bucket").asText()).isEqualTo("notified");

        s3.putObject(r -> r.bucket("notified").key("incoming/a b.txt"), RequestBody.fromString("hello"));
        s3.putObject(r -> r.bucket("notified").key("elsewhere/c.txt"), RequestBody.fromString("skipped"));
        s3.putObject(r -> r.bucket("notified").key("incoming/d.bin"), RequestBody.fromString("skipped"));
        s3.copyObject(r -> r.sourceBucket("notified").sourceKey("incoming/a b.txt").destinationBucket("notified").destinationKey("incoming/copy.txt"));
        String upload = s3.createMultipartUpload(r -> r.bucket("notified").key("incoming/big.txt")).uploadId();
        String etag = s3.uploadPart(r -> r.bucket("notified").key("incoming/big.txt").uploadId(upload).partNumber(1),
                RequestBody.fromString("part")).eTag();
        s3.completeMultipartUpload(r -> r.bucket("notified").key("incoming/big.txt").uploadId(upload)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        s3.deleteObject(r -> r.bucket("notified").key("incoming/copy.txt"));

        List<JsonNode> events = messages(sqs, url, 4, Duration.ofSeconds(20));
        assertThat(events).extracting(e -> record(e).get("eventName").asText())
                .containsExactlyInAnyOrder("ObjectCreated:Put", "ObjectCreated:Copy", "ObjectCreated:CompleteMultipartUpload", "ObjectRemoved:Delete");
        JsonNode put = events.stream().map(NotificationIT::record).filter(r -> r.get("eventName").asText().equals("ObjectCreated:Put")).findFirst().orElseThrow();
        assertThat(put.get("eventVersion").asText()).isEqualTo("2.1");
        assertThat(put.get("eventSource").asText()).isEqualTo("aws:s3");
        assertThat(put.get("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(put.get("s3").get("configurationId").asText()).isEqualTo("created");
        assertThat(put.get("s3").get("bucket").get("arn").asText()).isEqualTo("arn:aws:s3:::notified");
        JsonNode object = put.get("s3").get("object");
        assertThat(object.get("key").asText()).isEqualTo("incoming/a+b.txt");
        assertThat(object.get("size").asLong()).isEqualTo(5);
        assertThat(object.get("eTag").asText()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(object.get("sequencer").asText()).matches("[0-9A-F]{16,}");
        JsonNode removed = events.stream().map(NotificationIT::record).filter(r -> r.get("eventName").asText().startsWith("ObjectRemoved")).findFirst().orElseThrow();
        assertThat(removed.get("s3").get("configurationId").asText()).isEqualTo("removed");
        assertThat(removed.get("s3").get("object").has("size")).isFalse();
        assertThat(messages(sqs, url, 1, Duration.ofSeconds(2))).as("keys outside the filters send nothing").isEmpty();

        var stored = s3.getBucketNotificationConfiguration(r -> r.bucket("notified"));
        assertThat(stored.queueConfigurations()).extracting(QueueConfiguration::id).containsExactly("created", "removed");
        assertThat(stored.queueConfigurations().getFirst().events()).containsExactly(Event.S3_OBJECT_CREATED);

        s3.putBucketNotificationConfiguration(r -> r.bucket("notified").notificationConfiguration(NotificationConfiguration.builder().build()));
        assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket("notified")).queueConfigurations()).isEmpty();
        s3.putObject(r -> r.bucket("notified").key("incoming/later.txt"), RequestBody.fromString("quiet"));
        assertThat(messages(sqs, url, 1, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void aVersionedDeleteReportsTheMarker(S3Client s3, SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("markers")).queueUrl();
        S3Permissions.allowBucket(sqs, url, "versioned-notified");
        s3.createBucket(r -> r.bucket("versioned-notified"));
        s3.putBucketVersioning(r -> r.bucket("versioned-notified").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        s3.putBucketNotificationConfiguration(r -> r.bucket("versioned-notified").notificationConfiguration(NotificationConfiguration.builder()
                .queueConfigurations(QueueConfiguration.builder().queueArn(QUEUE_ARN + "markers").eventsWithStrings("s3:ObjectRemoved:DeleteMarkerCreated").build())
                .build()));
        messages(sqs, url, 1, Duration.ofSeconds(10));

        s3.putObject(r -> r.bucket("versioned-notified").key("k"), RequestBody.fromString("v1"));
        String marker = s3.deleteObject(r -> r.bucket("versioned-notified").key("k")).versionId();

        JsonNode event = record(messages(sqs, url, 1, Duration.ofSeconds(10)).getFirst());
        assertThat(event.get("eventName").asText()).isEqualTo("ObjectRemoved:DeleteMarkerCreated");
        assertThat(event.get("s3").get("object").get("versionId").asText()).isEqualTo(marker);
    }

    /** Sends each event's key to the OUT queue, so the test sees the function ran. */
    private static final String FORWARDER = """
            import boto3, os, json
            sqs = boto3.client('sqs')
            def handler(event, context):
                for record in event['Records']:
                    sqs.send_message(QueueUrl=os.environ['OUT'], MessageBody=json.dumps({
                        'eventName': record['eventName'], 'key': record['s3']['object']['key']}))
            """;

    @Test
    void aFunctionIsInvokedWithTheEvent(S3Client s3, SqsClient sqs, LambdaClient lambda) throws Exception {
        String out = sqs.createQueue(r -> r.queueName("from-function")).queueUrl();
        String functionArn = lambda.createFunction(request("on-upload", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", FORWARDER))
                .timeout(30).environment(e -> e.variables(Map.of("OUT", out))).build()).functionArn();
        FunctionStates.awaitUpdated(lambda, "on-upload");
        s3.createBucket(r -> r.bucket("function-notified"));
        S3Permissions.allowBucket(lambda, "on-upload", "function-notified");
        s3.putBucketNotificationConfiguration(r -> r.bucket("function-notified").notificationConfiguration(n -> n.lambdaFunctionConfigurations(
                c -> c.lambdaFunctionArn(functionArn).eventsWithStrings("s3:ObjectCreated:Put"))));

        s3.putObject(r -> r.bucket("function-notified").key("photos/cat.jpg"), RequestBody.fromString("meow"));

        JsonNode seen = messages(sqs, out, 1, Duration.ofSeconds(30)).getFirst();
        assertThat(seen.get("eventName").asText()).isEqualTo("ObjectCreated:Put");
        assertThat(seen.get("key").asText()).isEqualTo("photos/cat.jpg");
    }

    @Test
    void destinationsMustLetS3Deliver(S3Client s3, SqsClient sqs, LambdaClient lambda) {
        String url = sqs.createQueue(r -> r.queueName("closed")).queueUrl();
        lambda.createFunction(request("closed-function", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", FORWARDER)).build());
        s3.createBucket(r -> r.bucket("guarded-config"));

        assertRefused(s3, "guarded-config", NotificationConfiguration.builder().queueConfigurations(
                QueueConfiguration.builder().queueArn(QUEUE_ARN + "closed").eventsWithStrings("s3:ObjectCreated:*").build()).build(),
                400, "InvalidArgument", "Unable to validate the following destination configurations");
        S3Permissions.allowBucket(sqs, url, "some-other-bucket");
        assertRefused(s3, "guarded-config", NotificationConfiguration.builder().queueConfigurations(
                QueueConfiguration.builder().queueArn(QUEUE_ARN + "closed").eventsWithStrings("s3:ObjectCreated:*").build()).build(),
                400, "InvalidArgument", "Unable to validate the following destination configurations");
        String function = "arn:aws:lambda:us-east-1:000000000000:function:closed-function";
        assertRefused(s3, "guarded-config", NotificationConfiguration.builder().lambdaFunctionConfigurations(
                c -> c.lambdaFunctionArn(function).eventsWithStrings("s3:ObjectCreated:*")).build(),
                400, "InvalidArgument", "Unable to validate the following destination configurations");

        S3Permissions.allowBucket(sqs, url, "guarded-config");
        S3Permissions.allowBucket(lambda, "closed-function", "guarded-config");
        s3.putBucketNotificationConfiguration(r -> r.bucket("guarded-config").notificationConfiguration(NotificationConfiguration.builder()
                .queueConfigurations(QueueConfiguration.builder().queueArn(QUEUE_ARN + "closed").eventsWithStrings("s3:ObjectCreated:*").build())
                .lambdaFunctionConfigurations(c -> c.lambdaFunctionArn(function).eventsWithStrings("s3:ObjectRemoved:*"))
                .build()));
        assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket("guarded-config")).lambdaFunctionConfigurations()).hasSize(1);
    }

    /** What S3 says of each destination it cannot use, over plain HTTP: the SDK does not expose the numbered arguments. */
    @Test
    void unusableDestinationsAreNamedEachWithWhy(S3Client s3, io.stratus.testkit.Stratus stratus) throws Exception {
        s3.createBucket(r -> r.bucket("named-destinations"));
        String twoMissing = "<NotificationConfiguration>"
                + "<QueueConfiguration><Queue>" + QUEUE_ARN + "gone-1</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>"
                + "<QueueConfiguration><Queue>" + QUEUE_ARN + "gone-2</Queue><Event>s3:ObjectRemoved:*</Event></QueueConfiguration>"
                + "</NotificationConfiguration>";
        java.net.http.HttpResponse<String> missing = put(stratus, "named-destinations", twoMissing);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("<Message>Unable to validate the following destination configurations</Message>",
                "<ArgumentName1>" + QUEUE_ARN + "gone-1</ArgumentName1><ArgumentValue1>The destination queue does not exist</ArgumentValue1>",
                "<ArgumentName2>" + QUEUE_ARN + "gone-2</ArgumentName2><ArgumentValue2>The destination queue does not exist</ArgumentValue2>");

        java.net.http.HttpResponse<String> unparseable = put(stratus, "named-destinations", "<NotificationConfiguration><QueueConfiguration>"
                + "<Queue>invalid-queue</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration></NotificationConfiguration>");
        assertThat(unparseable.statusCode()).isEqualTo(400);
        assertThat(unparseable.body()).contains("<Message>The ARN could not be parsed</Message>",
                "<ArgumentName>Queue</ArgumentName><ArgumentValue>invalid-queue</ArgumentValue>");
    }

    private static java.net.http.HttpResponse<String> put(io.stratus.testkit.Stratus stratus, String bucket, String document) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(stratus.endpoint().resolve("/" + bucket + "?notification"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(document)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void configurationsS3WouldRefuseAreRefused(S3Client s3, SqsClient sqs) {
        String checked = sqs.createQueue(r -> r.queueName("checked")).queueUrl();
        S3Permissions.allowBucket(sqs, checked, "checked-config");
        s3.createBucket(r -> r.bucket("checked-config"));

        assertRefused(s3, NotificationConfiguration.builder().queueConfigurations(
                QueueConfiguration.builder().queueArn(QUEUE_ARN + "missing").eventsWithStrings("s3:ObjectCreated:*").build()).build(),
                400, "InvalidArgument", "Unable to validate the following destination configurations");
        assertRefused(s3, NotificationConfiguration.builder().queueConfigurations(
                QueueConfiguration.builder().queueArn(QUEUE_ARN + "checked").eventsWithStrings("s3:ObjectExploded").build()).build(),
                400, "InvalidArgument", "The event is not supported for notifications");
        assertRefused(s3, NotificationConfiguration.builder().queueConfigurations(
                queueRule("a", "checked", "logs/", "", "s3:ObjectCreated:*"),
                queueRule("b", "checked", "logs/2026/", "", "s3:ObjectCreated:Put")).build(),
                400, "InvalidArgument", "Configurations overlap");
        assertRefused(s3, NotificationConfiguration.builder().topicConfigurations(
                t -> t.topicArn("arn:aws:sns:us-east-1:000000000000:topic").eventsWithStrings("s3:ObjectCreated:*")).build(),
                400, "InvalidArgument", "Unable to validate");

        s3.putBucketNotificationConfiguration(r -> r.bucket("checked-config").skipDestinationValidation(true)
                .notificationConfiguration(NotificationConfiguration.builder().queueConfigurations(
                        QueueConfiguration.builder().queueArn(QUEUE_ARN + "missing").eventsWithStrings("s3:ObjectCreated:*").build()).build()));
        assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket("checked-config")).queueConfigurations()).hasSize(1);
        s3.putBucketNotificationConfiguration(r -> r.bucket("checked-config")
                .notificationConfiguration(NotificationConfiguration.builder().eventBridgeConfiguration(b -> { }).build()));
        assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket("checked-config")).eventBridgeConfiguration()).isNotNull();
        s3.putBucketNotificationConfiguration(r -> r.bucket("checked-config").notificationConfiguration(NotificationConfiguration.builder().build()));
        assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket("checked-config")).eventBridgeConfiguration()).isNull();
        assertThatThrownBy(() -> s3.getBucketNotificationConfiguration(r -> r.bucket("no-such-bucket-here")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket"));
    }

    private static void assertRefused(S3Client s3, NotificationConfiguration configuration, int status, String code, String message) {
        assertRefused(s3, "checked-config", configuration, status, code, message);
    }

    private static void assertRefused(S3Client s3, String bucket, NotificationConfiguration configuration, int status, String code, String message) {
        assertThatThrownBy(() -> s3.putBucketNotificationConfiguration(r -> r.bucket(bucket).notificationConfiguration(configuration)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(status);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
                    assertThat(e.awsErrorDetails().errorMessage()).contains(message);
                });
    }
}
