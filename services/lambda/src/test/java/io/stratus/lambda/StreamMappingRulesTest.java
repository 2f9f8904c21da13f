package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.AwsException;
import io.stratus.lambda.EventSourceMapping.StreamSettings;
import io.stratus.lambda.EventSourceModel.CreateEventSourceMappingRequest;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stream parameters of CreateEventSourceMapping: defaults, ranges, and AWS's codes for what is refused. */
class StreamMappingRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static CreateEventSourceMappingRequest request(String json) throws IOException {
        JsonNode node = JSON.readTree(json);
        String source = node.has("EventSourceArn") ? node.get("EventSourceArn").asText() : "arn";
        return new CreateEventSourceMappingRequest(source, "fn", null, null, null, null, null, null,
                node.get("ParallelizationFactor"), node.get("StartingPosition"), node.get("StartingPositionTimestamp"),
                node.get("DestinationConfig"), node.get("MaximumRecordAgeInSeconds"), node.get("BisectBatchOnFunctionError"),
                node.get("MaximumRetryAttempts"), node.get("TumblingWindowInSeconds"),
                null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void acceptsAtTimestampForKinesis() throws IOException {
        StreamSettings settings = StreamMappingRules.create(request(
                "{\"EventSourceArn\":\"arn:aws:kinesis:us-east-1:000000000000:stream/s\",\"StartingPosition\":\"AT_TIMESTAMP\","
                        + "\"StartingPositionTimestamp\":1700000000.25}"));
        assertThat(settings.startingPosition()).isEqualTo("AT_TIMESTAMP");
        assertThat(settings.startingPositionTimestamp()).isEqualTo(1_700_000_000_250L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"StartingPosition\":\"LATEST\"}|LATEST|-1|-1|false|1||",
            "{\"StartingPosition\":\"TRIM_HORIZON\",\"MaximumRetryAttempts\":0,\"MaximumRecordAgeInSeconds\":60,\"BisectBatchOnFunctionError\":true,\"ParallelizationFactor\":10}|TRIM_HORIZON|0|60|true|10||",
            "{\"StartingPosition\":\"LATEST\",\"MaximumRetryAttempts\":10000,\"MaximumRecordAgeInSeconds\":604800}|LATEST|10000|604800|false|1||",
            "{\"StartingPosition\":\"LATEST\",\"DestinationConfig\":{\"OnFailure\":{\"Destination\":\"arn:aws:sqs:us-east-1:000000000000:q\"}}}|LATEST|-1|-1|false|1|arn:aws:sqs:us-east-1:000000000000:q|",
            "{\"StartingPosition\":\"LATEST\",\"DestinationConfig\":{\"OnFailure\":{}}}|LATEST|-1|-1|false|1||0",
            "{\"StartingPosition\":\"LATEST\",\"TumblingWindowInSeconds\":900}|LATEST|-1|-1|false|1||900",
    })
    void accepts(String json, String position, int retries, int age, boolean bisect, int parallelization, String destination, Integer window)
            throws IOException {
        StreamSettings settings = StreamMappingRules.create(request(json));
        assertThat(settings).isEqualTo(new StreamSettings(position, null, retries, age, bisect, parallelization, destination,
                window == null ? 0 : window));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{}|InvalidParameterValueException|1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
            "{\"StartingPosition\":\"AT_TIMESTAMP\"}|InvalidParameterValueException|Unsupported starting position for event source: AT_TIMESTAMP is only supported for Kinesis streams and Kafka.",
            "{\"StartingPosition\":\"NOW\"}|ValidationException|1 validation error detected: Value 'NOW' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_TIMESTAMP]",
            "{\"StartingPosition\":\"LATEST\",\"StartingPositionTimestamp\":1700000000}|InvalidParameterValueException|StartingPositionTimestamp is only allowed with StartingPosition AT_TIMESTAMP.",
            "{\"EventSourceArn\":\"arn:aws:kinesis:us-east-1:000000000000:stream/s\",\"StartingPosition\":\"AT_TIMESTAMP\"}|InvalidParameterValueException|StartingPositionTimestamp must be provided with StartingPosition AT_TIMESTAMP.",
            "{\"EventSourceArn\":\"arn:aws:kinesis:us-east-1:000000000000:stream/s\",\"StartingPosition\":\"LATEST\",\"StartingPositionTimestamp\":1700000000}|InvalidParameterValueException|StartingPositionTimestamp is only allowed with StartingPosition AT_TIMESTAMP.",
            "{\"StartingPosition\":\"LATEST\",\"MaximumRetryAttempts\":10001}|ValidationException|1 validation error detected: Value '10001' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 10000",
            "{\"StartingPosition\":\"LATEST\",\"MaximumRecordAgeInSeconds\":-2}|ValidationException|1 validation error detected: Value '-2' at 'maximumRecordAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to -1",
            "{\"StartingPosition\":\"LATEST\",\"MaximumRecordAgeInSeconds\":59}|InvalidParameterValueException|MaximumRecordAgeInSeconds must be -1 (infinite) or between 60 and 604800; 59 was given.",
            "{\"StartingPosition\":\"LATEST\",\"MaximumRecordAgeInSeconds\":604801}|ValidationException|1 validation error detected: Value '604801' at 'maximumRecordAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 604800",
            "{\"StartingPosition\":\"LATEST\",\"ParallelizationFactor\":11}|ValidationException|1 validation error detected: Value '11' at 'parallelizationFactor' failed to satisfy constraint: Member must have value less than or equal to 10",
            "{\"StartingPosition\":\"LATEST\",\"TumblingWindowInSeconds\":901}|ValidationException|1 validation error detected: Value '901' at 'tumblingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 900",
            "{\"StartingPosition\":\"LATEST\",\"TumblingWindowInSeconds\":-1}|ValidationException|1 validation error detected: Value '-1' at 'tumblingWindowInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 0",
            "{\"StartingPosition\":\"LATEST\",\"TumblingWindowInSeconds\":60,\"ParallelizationFactor\":2}|InvalidParameterValueException|TumblingWindowInSeconds with a ParallelizationFactor above 1 is not supported by Stratus yet.",
            "{\"StartingPosition\":\"LATEST\",\"DestinationConfig\":{\"OnFailure\":{\"Destination\":\"arn:aws:lambda:us-east-1:000000000000:function:f\"}}}|InvalidParameterValueException|Unsupported OnFailure destination arn:aws:lambda:us-east-1:000000000000:function:f for given event source: use an SQS queue, an SNS topic or an S3 bucket.",
            "{\"StartingPosition\":\"LATEST\",\"DestinationConfig\":{\"OnSuccess\":{\"Destination\":\"arn:aws:sqs:us-east-1:000000000000:q\"}}}|InvalidParameterValueException|Unsupported OnSuccess destination for given event source.",
    })
    void refuses(String json, String code, String message) {
        assertThatThrownBy(() -> StreamMappingRules.create(request(json))).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.errorCode().code()).isEqualTo(code);
            assertThat(e.errorCode().httpStatus()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @ParameterizedTest(name = "batch {0}, window {1}")
    @CsvSource({"0,0,batchSize", "10001,0,batchSize", "1,-1,maximumBatchingWindowInSeconds", "1,301,maximumBatchingWindowInSeconds"})
    void boundsBatching(int batchSize, int window, String member) {
        assertThatThrownBy(() -> StreamMappingRules.checkBatching(batchSize, window)).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.getMessage()).contains("at '" + member + "'"));
    }
}
