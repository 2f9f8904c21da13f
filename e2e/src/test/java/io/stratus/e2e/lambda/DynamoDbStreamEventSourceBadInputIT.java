package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.createWorker;
import static io.stratus.e2e.lambda.DynamoDbStreamWorkers.streamedTable;
import static io.stratus.e2e.lambda.LambdaErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingRequest;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;

/** The control plane of DynamoDB stream event source mappings: what it reports, what it refuses and how. */
@StratusTest
class DynamoDbStreamEventSourceBadInputIT {

    private static final String IPVE = "InvalidParameterValueException";
    private static final String VALIDATION = "ValidationException";

    @Test
    void settingsAreReportedAndBadOnesRefused(LambdaClient lambda, DynamoDbClient dynamo) {
        String stream = streamedTable(dynamo, "settings");
        createWorker(lambda, "settings-worker", "unused", "ok");
        var mapping = lambda.createEventSourceMapping(r -> r.functionName("settings-worker").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.LATEST).enabled(false).batchSize(500).maximumBatchingWindowInSeconds(5)
                .maximumRetryAttempts(3).maximumRecordAgeInSeconds(3600).bisectBatchOnFunctionError(true).parallelizationFactor(4));
        var got = lambda.getEventSourceMapping(r -> r.uuid(mapping.uuid()));
        assertThat(got.state()).isEqualTo("Disabled");
        assertThat(got.lastProcessingResult()).isEqualTo("No records processed");
        assertThat(got.batchSize()).isEqualTo(500);
        assertThat(got.maximumBatchingWindowInSeconds()).isEqualTo(5);
        assertThat(got.maximumRetryAttempts()).isEqualTo(3);
        assertThat(got.maximumRecordAgeInSeconds()).isEqualTo(3600);
        assertThat(got.bisectBatchOnFunctionError()).isTrue();
        assertThat(got.parallelizationFactor()).isEqualTo(4);
        assertThat(got.startingPosition()).isEqualTo(EventSourcePosition.LATEST);

        var updated = lambda.updateEventSourceMapping(r -> r.uuid(mapping.uuid()).maximumRetryAttempts(-1).batchSize(10_000)
                .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:sqs:us-east-1:000000000000:dlq"))));
        assertThat(updated.state()).isEqualTo("Updating");
        assertThat(updated.maximumRetryAttempts()).isEqualTo(-1);
        assertThat(updated.batchSize()).isEqualTo(10_000);
        assertThat(updated.maximumRecordAgeInSeconds()).isEqualTo(3600);
        assertThat(updated.destinationConfig().onFailure().destination()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:dlq");
        assertThat(lambda.listEventSourceMappings(r -> r.functionName("settings-worker")).eventSourceMappings()).hasSize(1);

        assertError(() -> lambda.createEventSourceMapping(r -> r.functionName("settings-worker").eventSourceArn(stream)
                        .startingPosition(EventSourcePosition.LATEST)), "ResourceConflictException", 409,
                "The event source arn (\" " + stream + " \") and function (\" settings-worker \") provided mapping already exists. "
                        + "Please update or delete the existing mapping with UUID " + mapping.uuid());
        assertError(() -> lambda.updateEventSourceMapping(r -> r.uuid(mapping.uuid()).parallelizationFactor(11)), VALIDATION, 400,
                "1 validation error detected: Value '11' at 'parallelizationFactor' failed to satisfy constraint: Member must have value less than or equal to 10");
        assertError(() -> lambda.updateEventSourceMapping(r -> r.uuid(mapping.uuid()).scalingConfig(s -> s.maximumConcurrency(5))), IPVE, 400,
                "Unsupported ScalingConfig parameter for given event source.");

        assertThat(got.tumblingWindowInSeconds()).isZero();
        assertError(() -> lambda.updateEventSourceMapping(r -> r.uuid(mapping.uuid()).tumblingWindowInSeconds(60)), IPVE, 400,
                "TumblingWindowInSeconds with a ParallelizationFactor above 1 is not supported by Stratus yet.");
        var windowed = lambda.updateEventSourceMapping(r -> r.uuid(mapping.uuid()).tumblingWindowInSeconds(60).parallelizationFactor(1));
        assertThat(windowed.tumblingWindowInSeconds()).isEqualTo(60);
        assertThat(lambda.getEventSourceMapping(r -> r.uuid(mapping.uuid())).tumblingWindowInSeconds()).isEqualTo(60);
    }

    @Test
    void badCreatesAreRefusedWithAwsCodes(LambdaClient lambda, DynamoDbClient dynamo) {
        String stream = streamedTable(dynamo, "refusals");
        createWorker(lambda, "refusals-worker", "unused", "ok");
        String unknown = stream.replace("refusals", "nothing");

        refused(r -> r.eventSourceArn(stream), IPVE, 400, "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.", lambda);
        refused(r -> r.eventSourceArn(stream).startingPosition(EventSourcePosition.AT_TIMESTAMP).startingPositionTimestamp(Instant.now()),
                IPVE, 400, "Unsupported starting position for event source: AT_TIMESTAMP is only supported for Kinesis streams and Kafka.",
                lambda);
        refused(r -> r.eventSourceArn(unknown).startingPosition(EventSourcePosition.LATEST), IPVE, 400, "Stream not found: " + unknown, lambda);
        refused(r -> r.eventSourceArn(stream).startingPosition(EventSourcePosition.LATEST).batchSize(10_001), VALIDATION, 400,
                "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000",
                lambda);
        refused(r -> r.eventSourceArn(stream).startingPosition(EventSourcePosition.LATEST).batchSize(0), VALIDATION, 400,
                "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1",
                lambda);
        refused(r -> r.eventSourceArn(stream).startingPosition(EventSourcePosition.LATEST).maximumBatchingWindowInSeconds(301), VALIDATION, 400,
                "1 validation error detected: Value '301' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300",
                lambda);
        refused(r -> r.eventSourceArn(stream).startingPosition(EventSourcePosition.LATEST).maximumRetryAttempts(-2), VALIDATION, 400,
                "1 validation error detected: Value '-2' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to -1",
                lambda);
        refused(r -> r.eventSourceArn(stream).startingPosition(EventSourcePosition.LATEST).maximumRecordAgeInSeconds(30), IPVE, 400,
                "MaximumRecordAgeInSeconds must be -1 (infinite) or between 60 and 604800; 30 was given.", lambda);
        refused(r -> r.eventSourceArn(stream).startingPosition(EventSourcePosition.LATEST).parallelizationFactor(0), VALIDATION, 400,
                "1 validation error detected: Value '0' at 'parallelizationFactor' failed to satisfy constraint: Member must have value greater than or equal to 1",
                lambda);
        refused(r -> r.eventSourceArn(stream).startingPosition(EventSourcePosition.LATEST).tumblingWindowInSeconds(901), VALIDATION, 400,
                "1 validation error detected: Value '901' at 'tumblingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 900",
                lambda);
        refused(r -> r.eventSourceArn(stream).startingPosition(EventSourcePosition.LATEST)
                        .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:events:us-east-1:000000000000:event-bus/default"))), IPVE, 400,
                "Unsupported OnFailure destination arn:aws:events:us-east-1:000000000000:event-bus/default for given event source: use an SQS queue, an SNS topic or an S3 bucket.",
                lambda);
        refused(r -> r.eventSourceArn(stream).startingPosition(EventSourcePosition.LATEST)
                        .filterCriteria(f -> f.filters(p -> p.pattern("not a pattern"))), IPVE, 400, "Invalid filter pattern definition.", lambda);
        assertError(() -> lambda.createEventSourceMapping(r -> r.functionName("nobody").eventSourceArn(stream)
                        .startingPosition(EventSourcePosition.LATEST)), "ResourceNotFoundException", 404,
                "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nobody");
        assertThat(lambda.listEventSourceMappings(r -> r.eventSourceArn(stream)).eventSourceMappings()).isEmpty();
    }

    private static void refused(Consumer<CreateEventSourceMappingRequest.Builder> request, String code, int status,
            String message, LambdaClient lambda) {
        assertError(() -> lambda.createEventSourceMapping(b -> request.accept(b.functionName("refusals-worker"))), code, status, message);
    }
}
