package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.createWorker;
import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.put;
import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.queue;
import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.reports;
import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.streamedTable;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Event source mappings on DynamoDB streams, end to end: items written through the DynamoDB API
 * reach a real Python function as stream events, which forwards what it got to an SQS queue.
 */
@StratusTest
class DynamoDbStreamEventSourceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUEUES = "arn:aws:sqs:us-east-1:000000000000:";

    @Test
    void insertModifyAndRemoveReachTheFunctionInOrder(LambdaClient lambda, DynamoDbClient dynamo, SqsClient sqs) throws Exception {
        String stream = streamedTable(dynamo, "orders");
        String out = queue(sqs, "orders-seen");
        createWorker(lambda, "orders-worker", out, "ok");

        var created = lambda.createEventSourceMapping(r -> r.functionName("orders-worker").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.TRIM_HORIZON));
        assertThat(created.state()).isEqualTo("Creating");
        assertThat(created.eventSourceArn()).isEqualTo(stream);
        assertThat(created.batchSize()).isEqualTo(100);
        assertThat(created.startingPosition()).isEqualTo(EventSourcePosition.TRIM_HORIZON);
        assertThat(created.maximumRetryAttempts()).isEqualTo(-1);
        assertThat(created.maximumRecordAgeInSeconds()).isEqualTo(-1);
        assertThat(created.parallelizationFactor()).isEqualTo(1);
        assertThat(created.bisectBatchOnFunctionError()).isFalse();

        put(dynamo, "orders", "o-1", "new");
        dynamo.updateItem(r -> r.tableName("orders").key(Map.of("pk", AttributeValue.fromS("o-1")))
                .updateExpression("SET kind = :k").expressionAttributeValues(Map.of(":k", AttributeValue.fromS("paid"))));
        dynamo.deleteItem(r -> r.tableName("orders").key(Map.of("pk", AttributeValue.fromS("o-1"))));

        List<JsonNode> reports = reports(sqs, out, 3);
        assertThat(reports).extracting(r -> r.get("eventName").asText()).containsExactly("INSERT", "MODIFY", "REMOVE");
        assertThat(reports).allSatisfy(r -> {
            assertThat(r.get("pk").asText()).isEqualTo("o-1");
            assertThat(r.get("eventSource").asText()).isEqualTo("aws:dynamodb");
            assertThat(r.get("eventSourceARN").asText()).isEqualTo(stream);
            assertThat(r.get("awsRegion").asText()).isEqualTo("us-east-1");
            assertThat(r.get("keys")).isEqualTo(JSON.readTree("{\"pk\":{\"S\":\"o-1\"}}"));
            assertThat(r.get("viewType").asText()).isEqualTo("NEW_AND_OLD_IMAGES");
        });
        assertThat(reports.get(0).get("newImage").at("/kind/S").asText()).isEqualTo("new");
        assertThat(reports.get(0).get("oldImage").isNull()).isTrue();
        assertThat(reports.get(1).get("oldImage").at("/kind/S").asText()).isEqualTo("new");
        assertThat(reports.get(1).get("newImage").at("/kind/S").asText()).isEqualTo("paid");
        assertThat(reports.get(2).get("oldImage").at("/kind/S").asText()).isEqualTo("paid");
        assertThat(reports.get(2).get("newImage").isNull()).isTrue();
        assertThat(lastProcessingResult(lambda, created.uuid(), "OK")).isEqualTo("OK");
        var got = lambda.getEventSourceMapping(r -> r.uuid(created.uuid()));
        assertThat(got.state()).isEqualTo("Enabled");
        assertThat(got.startingPosition()).isEqualTo(EventSourcePosition.TRIM_HORIZON);
    }

    @Test
    void aMappingOnAnAliasRunsTheVersionTheAliasPointsTo(LambdaClient lambda, DynamoDbClient dynamo, SqsClient sqs) throws Exception {
        String stream = streamedTable(dynamo, "aliased");
        String out = queue(sqs, "aliased-seen");
        String elsewhere = queue(sqs, "aliased-latest");
        createWorker(lambda, "aliased-worker", out, "ok");
        lambda.publishVersion(r -> r.functionName("aliased-worker"));
        lambda.createAlias(r -> r.functionName("aliased-worker").name("live").functionVersion("1"));
        // $LATEST moves on: it would report elsewhere.
        lambda.updateFunctionConfiguration(r -> r.functionName("aliased-worker")
                .environment(e -> e.variables(Map.of("OUT", elsewhere, "MODE", "ok", "SLEEP", "0"))));
        FunctionStates.awaitUpdated(lambda, "aliased-worker");

        var created = lambda.createEventSourceMapping(r -> r.functionName("aliased-worker:live").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.TRIM_HORIZON));

        assertThat(created.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:aliased-worker:live");
        put(dynamo, "aliased", "a-1", "new");
        assertThat(reports(sqs, out, 1)).extracting(r -> r.get("pk").asText()).containsExactly("a-1");
        assertThat(lastProcessingResult(lambda, created.uuid(), "OK")).isEqualTo("OK");
    }

    @Test
    void trimHorizonAndLatestMappingsOnOneStreamEachGetEveryRecordInBatches(LambdaClient lambda, DynamoDbClient dynamo, SqsClient sqs)
            throws Exception {
        String stream = streamedTable(dynamo, "events");
        String fromStart = queue(sqs, "events-from-start");
        String fromNow = queue(sqs, "events-from-now");
        createWorker(lambda, "from-start", fromStart, "ok");
        createWorker(lambda, "from-now", fromNow, "ok");
        for (int i = 0; i < 5; i++) {
            put(dynamo, "events", "before-" + i, "x");
        }

        lambda.createEventSourceMapping(r -> r.functionName("from-start").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(2));
        lambda.createEventSourceMapping(r -> r.functionName("from-now").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.LATEST));
        put(dynamo, "events", "after-0", "x");
        put(dynamo, "events", "after-1", "x");

        List<JsonNode> all = reports(sqs, fromStart, 7);
        assertThat(all).extracting(r -> r.get("pk").asText())
                .containsExactly("before-0", "before-1", "before-2", "before-3", "before-4", "after-0", "after-1");
        assertThat(all).allSatisfy(r -> assertThat(r.get("batch").asInt()).isBetween(1, 2));
        assertThat(all.get(0).get("batch").asInt()).isEqualTo(2);
        List<JsonNode> latest = reports(sqs, fromNow, 2);
        assertThat(latest).extracting(r -> r.get("pk").asText()).containsExactly("after-0", "after-1");
        assertThat(reports(sqs, fromNow, 1, Duration.ofSeconds(2))).as("nothing older reached the LATEST mapping").isEmpty();
    }

    @Test
    void recordsNoFilterMatchesAreSkipped(LambdaClient lambda, DynamoDbClient dynamo, SqsClient sqs) throws Exception {
        String stream = streamedTable(dynamo, "filtered");
        String out = queue(sqs, "filtered-seen");
        createWorker(lambda, "filtered-worker", out, "ok");
        lambda.createEventSourceMapping(r -> r.functionName("filtered-worker").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.LATEST)
                .filterCriteria(f -> f.filters(p -> p.pattern("{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"NewImage\":{\"kind\":{\"S\":[\"order\"]}}}}"))));

        put(dynamo, "filtered", "a", "other");
        put(dynamo, "filtered", "b", "order");
        dynamo.deleteItem(r -> r.tableName("filtered").key(Map.of("pk", AttributeValue.fromS("b"))));
        put(dynamo, "filtered", "c", "order");

        assertThat(reports(sqs, out, 2)).extracting(r -> r.get("pk").asText()).containsExactly("b", "c");
        assertThat(reports(sqs, out, 1, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void aReportedItemFailureIsRetriedFromThatRecordOn(LambdaClient lambda, DynamoDbClient dynamo, SqsClient sqs) throws Exception {
        String stream = streamedTable(dynamo, "partial");
        String out = queue(sqs, "partial-seen");
        createWorker(lambda, "partial-worker", out, "report");
        put(dynamo, "partial", "a", "x");
        put(dynamo, "partial", "bad", "x");
        put(dynamo, "partial", "c", "x");

        lambda.createEventSourceMapping(r -> r.functionName("partial-worker").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES));

        List<JsonNode> reports = reports(sqs, out, 3);
        assertThat(reports).extracting(r -> r.get("pk").asText()).containsExactly("a", "bad", "c");
        assertThat(reports).extracting(r -> r.get("batch").asInt()).as("the retry starts at the failed record").containsExactly(3, 2, 2);
        assertThat(reports(sqs, out, 1, Duration.ofSeconds(2))).as("a was not delivered again").isEmpty();
    }

    @Test
    void aBatchThatKeepsFailingGoesToTheOnFailureDestinationAndTheShardMovesOn(LambdaClient lambda, DynamoDbClient dynamo, SqsClient sqs)
            throws Exception {
        String stream = streamedTable(dynamo, "failing");
        String out = queue(sqs, "failing-seen");
        String dlq = queue(sqs, "failing-dlq");
        createWorker(lambda, "failing-worker", out, "raise");
        var mapping = lambda.createEventSourceMapping(r -> r.functionName("failing-worker").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.LATEST).maximumRetryAttempts(1)
                .destinationConfig(d -> d.onFailure(f -> f.destination(QUEUES + "failing-dlq"))));
        assertThat(mapping.destinationConfig().onFailure().destination()).isEqualTo(QUEUES + "failing-dlq");

        put(dynamo, "failing", "bad-1", "x");
        List<JsonNode> failures = reports(sqs, dlq, 1);
        assertThat(failures).hasSize(1);
        JsonNode failure = failures.getFirst();
        assertThat(failure.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(failure.at("/requestContext/functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:failing-worker");
        assertThat(failure.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(failure.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(failure.at("/version").asText()).isEqualTo("1.0");
        JsonNode info = failure.get("DDBStreamBatchInfo");
        assertThat(info.get("streamArn").asText()).isEqualTo(stream);
        assertThat(info.get("batchSize").asInt()).isEqualTo(1);
        assertThat(info.get("startSequenceNumber").asText()).isEqualTo(info.get("endSequenceNumber").asText());
        assertThat(info.get("shardId").asText()).startsWith("shardId-");
        assertThat(info.get("approximateArrivalOfFirstRecord").asText()).isNotBlank();

        put(dynamo, "failing", "good", "x");
        assertThat(reports(sqs, out, 1)).extracting(r -> r.get("pk").asText()).containsExactly("good");
        assertThat(lastProcessingResult(lambda, mapping.uuid(), "OK")).isEqualTo("OK");
    }

    @Test
    void aFailedBatchCanBeDescribedToAnSnsTopic(LambdaClient lambda, DynamoDbClient dynamo, SqsClient sqs, SnsClient sns) throws Exception {
        String stream = streamedTable(dynamo, "topical");
        String out = queue(sqs, "topical-seen");
        String topic = sns.createTopic(r -> r.name("stream-failures")).topicArn();
        String readers = queue(sqs, "stream-failure-readers");
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sns.amazonaws.com\"},"
                + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + QUEUES + "stream-failure-readers\"}]}";
        sqs.setQueueAttributes(r -> r.queueUrl(readers).attributes(Map.of(QueueAttributeName.POLICY, policy)));
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "stream-failure-readers")
                .attributes(Map.of("RawMessageDelivery", "true")));
        createWorker(lambda, "topical-worker", out, "raise");
        lambda.createEventSourceMapping(r -> r.functionName("topical-worker").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.LATEST).maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(f -> f.destination(topic))));

        put(dynamo, "topical", "bad", "x");
        List<JsonNode> failures = reports(sqs, readers, 1);
        assertThat(failures).hasSize(1);
        assertThat(failures.getFirst().at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(failures.getFirst().at("/DDBStreamBatchInfo/streamArn").asText()).isEqualTo(stream);
    }

    @Test
    void aFailedBatchGoesToAnS3BucketWithItsRecords(LambdaClient lambda, DynamoDbClient dynamo, SqsClient sqs, S3Client s3) throws Exception {
        String stream = streamedTable(dynamo, "bucketed");
        String out = queue(sqs, "bucketed-seen");
        s3.createBucket(r -> r.bucket("stream-failures"));
        createWorker(lambda, "bucketed-worker", out, "raise");
        var mapping = lambda.createEventSourceMapping(r -> r.functionName("bucketed-worker").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.LATEST).maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:s3:::stream-failures"))));
        assertThat(mapping.destinationConfig().onFailure().destination()).isEqualTo("arn:aws:s3:::stream-failures");

        put(dynamo, "bucketed", "bad", "x");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<S3Object> objects = List.of();
        while (objects.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            objects = s3.listObjectsV2(r -> r.bucket("stream-failures")).contents();
        }
        assertThat(objects).hasSize(1);
        String key = objects.getFirst().key();
        assertThat(key).matches("aws/lambda/" + mapping.uuid() + "/[^/]+/\\d{4}/\\d{2}/\\d{2}/\\d{4}-\\d{2}-\\d{2}T\\d{2}\\.\\d{2}\\.\\d{2}-[0-9a-f-]{36}");
        JsonNode record = JSON.readTree(s3.getObjectAsBytes(r -> r.bucket("stream-failures").key(key)).asByteArray());
        assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(key).endsWith(record.at("/requestContext/requestId").asText());
        assertThat(record.at("/DDBStreamBatchInfo/streamArn").asText()).isEqualTo(stream);
        assertThat(record.at("/payload/Records/0/dynamodb/Keys/pk/S").asText()).isEqualTo("bad");
    }

    /** The mapping's LastProcessingResult once it is {@code expected} (the function may still be returning), or after 10 s. */
    @Test
    void aParallelizationFactorRunsBatchesOfAShardAtOnceKeepingEachItemsOrder(LambdaClient lambda, DynamoDbClient dynamo, SqsClient sqs)
            throws Exception {
        String stream = streamedTable(dynamo, "parallel");
        String out = queue(sqs, "parallel-seen");
        createWorker(lambda, "parallel-worker", out, "ok", 0.3);
        for (int round = 0; round < 3; round++) {
            for (int item = 0; item < 4; item++) {
                put(dynamo, "parallel", "item-" + item, "round-" + round);
            }
        }

        var created = lambda.createEventSourceMapping(r -> r.functionName("parallel-worker").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(1).parallelizationFactor(4));
        assertThat(created.parallelizationFactor()).isEqualTo(4);

        List<JsonNode> reports = reports(sqs, out, 12);
        assertThat(reports).hasSize(12);
        for (int item = 0; item < 4; item++) {
            String pk = "item-" + item;
            List<JsonNode> ofItem = reports.stream().filter(r -> r.get("pk").asText().equals(pk)).toList();
            assertThat(ofItem).as("records of %s, in stream order", pk).extracting(r -> r.at("/newImage/kind/S").asText())
                    .containsExactly("round-0", "round-1", "round-2");
            for (int i = 1; i < ofItem.size(); i++) {
                assertThat(ofItem.get(i).get("started").asDouble()).as("a record of %s handed over after the one before it was done", pk)
                        .isGreaterThanOrEqualTo(ofItem.get(i - 1).get("slept").asDouble());
            }
        }
        assertThat(reports).as("some batches of the one shard ran at the same time").anySatisfy(a -> assertThat(reports).anySatisfy(b -> {
            assertThat(b.get("pk").asText()).isNotEqualTo(a.get("pk").asText());
            assertThat(b.get("started").asDouble()).isBetween(a.get("started").asDouble(), a.get("slept").asDouble());
        }));
    }

    private static String lastProcessingResult(LambdaClient lambda, String uuid, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String result = lambda.getEventSourceMapping(r -> r.uuid(uuid)).lastProcessingResult();
        while (!expected.equals(result) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            result = lambda.getEventSourceMapping(r -> r.uuid(uuid)).lastProcessingResult();
        }
        return result;
    }

    @Test
    void recordsPastTheMaximumAgeGoToTheOnFailureDestination(Stratus stratus, LambdaClient lambda, DynamoDbClient dynamo, SqsClient sqs)
            throws Exception {
        String stream = streamedTable(dynamo, "aging");
        String out = queue(sqs, "aging-seen");
        String dlq = queue(sqs, "aging-dlq");
        createWorker(lambda, "aging-worker", out, "raise");
        lambda.createEventSourceMapping(r -> r.functionName("aging-worker").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.LATEST).maximumRecordAgeInSeconds(60)
                .destinationConfig(d -> d.onFailure(f -> f.destination(QUEUES + "aging-dlq"))));

        put(dynamo, "aging", "bad-old", "x");
        Thread.sleep(1_000);
        assertThat(reports(sqs, dlq, 1, Duration.ofMillis(500))).as("retried while young").isEmpty();
        stratus.clock().advance(Duration.ofMinutes(2));

        List<JsonNode> failures = reports(sqs, dlq, 1);
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.at("/requestContext/condition").asText()).isEqualTo("RecordAgeExceeded");
            assertThat(f.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(1);
        });
        put(dynamo, "aging", "fresh", "x");
        assertThat(reports(sqs, out, 1)).extracting(r -> r.get("pk").asText()).containsExactly("fresh");
    }

    @Test
    void bisectingAFailedBatchIsolatesTheBadRecord(LambdaClient lambda, DynamoDbClient dynamo, SqsClient sqs) throws Exception {
        String stream = streamedTable(dynamo, "halves");
        String out = queue(sqs, "halves-seen");
        String dlq = queue(sqs, "halves-dlq");
        createWorker(lambda, "halves-worker", out, "raise");
        for (String pk : List.of("a", "bad", "c", "d")) {
            put(dynamo, "halves", pk, "x");
        }
        lambda.createEventSourceMapping(r -> r.functionName("halves-worker").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).maximumRetryAttempts(0).bisectBatchOnFunctionError(true)
                .destinationConfig(d -> d.onFailure(f -> f.destination(QUEUES + "halves-dlq"))));

        List<JsonNode> failures = reports(sqs, dlq, 1);
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(1);
            assertThat(f.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        });
        List<JsonNode> reports = reports(sqs, out, 3);
        assertThat(reports).extracting(r -> r.get("pk").asText()).containsExactly("a", "c", "d");
        assertThat(reports).extracting(r -> r.get("batch").asInt()).containsExactly(1, 2, 2);
    }

    @Test
    void aDisabledMappingResumesWhereItStoppedAndADeletedOneStops(LambdaClient lambda, DynamoDbClient dynamo, SqsClient sqs) throws Exception {
        String stream = streamedTable(dynamo, "toggled");
        String out = queue(sqs, "toggled-seen");
        createWorker(lambda, "toggled-worker", out, "ok");
        String uuid = lambda.createEventSourceMapping(r -> r.functionName("toggled-worker").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.LATEST)).uuid();
        put(dynamo, "toggled", "one", "x");
        assertThat(reports(sqs, out, 1)).extracting(r -> r.get("pk").asText()).containsExactly("one");

        assertThat(lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(false)).state()).isEqualTo("Disabling");
        assertThat(lambda.getEventSourceMapping(r -> r.uuid(uuid)).state()).isEqualTo("Disabled");
        put(dynamo, "toggled", "two", "x");
        assertThat(reports(sqs, out, 1, Duration.ofSeconds(2))).as("nothing while disabled").isEmpty();

        assertThat(lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(true)).state()).isEqualTo("Enabling");
        assertThat(reports(sqs, out, 1)).extracting(r -> r.get("pk").asText()).containsExactly("two");

        assertThat(lambda.deleteEventSourceMapping(r -> r.uuid(uuid)).state()).isEqualTo("Deleting");
        put(dynamo, "toggled", "three", "x");
        assertThat(reports(sqs, out, 1, Duration.ofSeconds(2))).as("nothing after the delete").isEmpty();
        assertThat(lambda.listEventSourceMappings(r -> r.eventSourceArn(stream)).eventSourceMappings()).isEmpty();
    }
}
