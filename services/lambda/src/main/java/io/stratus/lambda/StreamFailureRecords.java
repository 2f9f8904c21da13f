package io.stratus.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.spi.ChangeFeed;
import io.stratus.core.spi.FunctionInvoker;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The record a stream event source mapping sends to its {@code OnFailure} destination for a batch
 * it gave up on: who gave up and why ({@code requestContext.condition} is
 * {@code RetryAttemptsExhausted} or {@code RecordAgeExceeded}), the last invocation's outcome, and
 * where the batch is in the stream ({@code DDBStreamBatchInfo} for DynamoDB,
 * {@code KinesisBatchInfo} for Kinesis), not the records themselves. Pure functions.
 */
final class StreamFailureRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamFailureRecords() {}

    static byte[] describe(EventSourceMapping mapping, String batchInfoMember, String shardId, List<ChangeFeed.Record> records, String condition,
            int invocations, FunctionInvoker.Result lastResult, Instant now) {
        ObjectNode record = JSON.createObjectNode();
        ObjectNode request = record.putObject("requestContext");
        request.put("requestId", UUID.randomUUID().toString());
        request.put("functionArn", FunctionRecord.arn(mapping.accountId(), mapping.region(), mapping.functionName()));
        request.put("condition", condition);
        request.put("approximateInvokeCount", invocations);
        if (lastResult != null) {
            ObjectNode response = record.putObject("responseContext");
            response.put("statusCode", lastResult.statusCode());
            response.put("executedVersion", FunctionRecord.LATEST);
            if (lastResult.functionError() != null) {
                response.put("functionError", lastResult.functionError());
            }
        }
        record.put("version", "1.0");
        record.put("timestamp", now.toString());
        ObjectNode info = record.putObject(batchInfoMember);
        info.put("shardId", shardId);
        info.put("startSequenceNumber", records.getFirst().sequenceNumber());
        info.put("endSequenceNumber", records.getLast().sequenceNumber());
        info.put("approximateArrivalOfFirstRecord", records.getFirst().approximateCreation().toString());
        info.put("approximateArrivalOfLastRecord", records.getLast().approximateCreation().toString());
        info.put("batchSize", records.size());
        info.put("streamArn", mapping.eventSourceArn());
        return record.toString().getBytes(StandardCharsets.UTF_8);
    }
}
