package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What the DynamoDB stream event source tests share: a streamed table, a real Python function that
 * forwards each record it gets to an SQS queue (through boto3, back into Stratus), and a reader of
 * that queue.
 */
final class DynamoDbStreamWorkers {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Forwards each record to the OUT queue. With MODE=raise a batch holding a record whose key
     * starts with "bad" fails (before anything is forwarded); with MODE=report the first time such a record is seen it is reported
     * as a batch item failure (and the batch stops there), the next time it is forwarded. Each batch
     * first sleeps SLEEP seconds; a forwarded record says when its batch started and stopped sleeping.
     */
    static final String WORKER = """
            import boto3, json, os, time
            sqs = boto3.client('sqs')
            seen = set()
            def handler(event, context):
                started = time.time()
                time.sleep(float(os.environ.get('SLEEP', '0')))
                slept = time.time()
                mode = os.environ.get('MODE', 'ok')
                if mode == 'raise' and any(r['dynamodb']['Keys']['pk']['S'].startswith('bad') for r in event['Records']):
                    raise Exception('cannot handle this batch')
                for index, record in enumerate(event['Records']):
                    d = record['dynamodb']
                    pk = d['Keys']['pk']['S']
                    if pk.startswith('bad') and mode == 'report' and pk not in seen:
                        seen.add(pk)
                        return {'batchItemFailures': [{'itemIdentifier': d['SequenceNumber']}]}
                    sqs.send_message(QueueUrl=os.environ['OUT'], MessageBody=json.dumps({
                        'pk': pk,
                        'eventName': record['eventName'],
                        'eventSource': record['eventSource'],
                        'eventSourceARN': record['eventSourceARN'],
                        'awsRegion': record['awsRegion'],
                        'sequenceNumber': d['SequenceNumber'],
                        'keys': d['Keys'],
                        'newImage': d.get('NewImage'),
                        'oldImage': d.get('OldImage'),
                        'viewType': d['StreamViewType'],
                        'index': index,
                        'started': started,
                        'slept': slept,
                        'batch': len(event['Records'])}))
                return {'batchItemFailures': []}
            """;

    private DynamoDbStreamWorkers() {}

    /** A pay-per-request table keyed by {@code pk} (S) with a NEW_AND_OLD_IMAGES stream; returns the stream's ARN. */
    static String streamedTable(DynamoDbClient dynamo, String name) {
        return dynamo.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                        .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)))
                .tableDescription().latestStreamArn();
    }

    static void put(DynamoDbClient dynamo, String table, String pk, String kind) {
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk), "kind", AttributeValue.fromS(kind))));
    }

    static void createWorker(LambdaClient lambda, String name, String outUrl, String mode) {
        createWorker(lambda, name, outUrl, mode, 0);
    }

    static void createWorker(LambdaClient lambda, String name, String outUrl, String mode, double sleepSeconds) {
        lambda.createFunction(request(name, Runtime.PYTHON3_12, "app.handler", Map.of("app.py", WORKER))
                .timeout(10).environment(e -> e.variables(Map.of("OUT", outUrl, "MODE", mode, "SLEEP", Double.toString(sleepSeconds)))).build());
        FunctionStates.awaitUpdated(lambda, name);
    }

    static String queue(SqsClient sqs, String name) {
        return sqs.createQueue(r -> r.queueName(name)).queueUrl();
    }

    /** Reads a queue until {@code count} messages arrived or {@code wait} passed, ordered by the stream's sequence numbers when they have one. */
    static List<JsonNode> reports(SqsClient sqs, String url, int count, Duration wait) throws Exception {
        List<JsonNode> reports = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (reports.size() < count && System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                reports.add(JSON.readTree(message.body()));
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        reports.sort((a, b) -> a.path("sequenceNumber").asText().compareTo(b.path("sequenceNumber").asText()));
        return reports;
    }

    static List<JsonNode> reports(SqsClient sqs, String url, int count) throws Exception {
        return reports(sqs, url, count, Duration.ofSeconds(30));
    }
}
