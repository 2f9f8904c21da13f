package io.stratus.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.spi.ChangeFeed;
import io.stratus.core.spi.FunctionInvoker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The record a stream event source mapping sends to its {@code OnFailure} destination for a batch
 * it gave up on: who gave up and why ({@code requestContext.condition} is
 * {@code RetryAttemptsExhausted} or {@code RecordAgeExceeded}), the last invocation's outcome, and
 * where the batch is in the stream ({@code DDBStreamBatchInfo} for DynamoDB,
 * {@code KinesisBatchInfo} for Kinesis) — and, for an S3 bucket, which has room for them, the
 * records themselves as the event the function was given ({@code payload}). Pure functions.
 */
final class StreamFailureRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamFailureRecords() {}

    /**
     * @param requestId the record's request id
     * @param event the batch as the function's event, to include as {@code payload}; null for a destination that gets only the description
     */
    static byte[] describe(EventSourceMapping mapping, String batchInfoMember, String shardId, List<ChangeFeed.Record> records, String condition,
            int invocations, FunctionInvoker.Result lastResult, Instant now, String requestId, byte[] event) {
        ObjectNode record = JSON.createObjectNode();
        ObjectNode request = record.putObject("requestContext");
        request.put("requestId", requestId);
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
        if (event != null) {
            try {
                record.set("payload", JSON.readTree(event));
            } catch (IOException e) {
                throw new IllegalArgumentException("the batch's event is not JSON", e);
            }
        }
        return record.toString().getBytes(StandardCharsets.UTF_8);
    }
}
