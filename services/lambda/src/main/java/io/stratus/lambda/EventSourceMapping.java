package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.lambda.EventSourceModel.DestinationConfig;
import io.stratus.lambda.EventSourceModel.EventSourceMappingConfiguration;
import io.stratus.lambda.EventSourceModel.Filter;
import io.stratus.lambda.EventSourceModel.FilterCriteria;
import io.stratus.lambda.EventSourceModel.OnFailure;
import io.stratus.lambda.EventSourceModel.ScalingConfig;
import java.util.List;

/**
 * An event source mapping as stored: which source feeds which function, how. Immutable.
 *
 * @param uuid the mapping's id
 * @param accountId the account it belongs to
 * @param region its region
 * @param functionName the function it invokes ($LATEST)
 * @param eventSourceArn the queue or stream it reads
 * @param batchSize the most records per invocation
 * @param batchingWindowSeconds how long to gather records before invoking, 0 for not at all
 * @param filters the FilterCriteria patterns, empty for none
 * @param functionResponseTypes {@code ReportBatchItemFailures} or nothing
 * @param maximumConcurrency the most invocations at once, or null for the default
 * @param enabled whether it polls
 * @param lastModified when it last changed, epoch millis
 * @param stream the settings of a stream source (DynamoDB Streams), null for a queue
 */
record EventSourceMapping(String uuid, String accountId, String region, String functionName, String eventSourceArn, int batchSize,
        int batchingWindowSeconds, List<String> filters, List<String> functionResponseTypes, Integer maximumConcurrency, boolean enabled,
        long lastModified, StreamSettings stream) {

    static final String REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures";

    EventSourceMapping {
        requireNonNull(uuid, "uuid is null");
        filters = List.copyOf(filters);
        functionResponseTypes = List.copyOf(functionResponseTypes);
    }

    /**
     * What only a stream mapping has.
     *
     * @param startingPosition {@code TRIM_HORIZON}, {@code LATEST} or {@code AT_TIMESTAMP}: where it starts in the
     *     shards the stream has when the mapping is created (shards that appear later are read from their start)
     * @param startingPositionTimestamp for {@code AT_TIMESTAMP} (Kinesis), epoch millis; else null
     * @param maximumRetryAttempts retries of a failed batch, -1 for until the records expire
     * @param maximumRecordAgeSeconds the age past which records are discarded unprocessed, -1 for never
     * @param bisectBatchOnFunctionError whether a failed batch is split in two and each half retried
     * @param parallelizationFactor how many batches of a shard are in flight at once (the records of one item keep their order)
     * @param onFailureDestination where the description of discarded batches goes, or null
     * @param tumblingWindowSeconds the length of its tumbling windows, 0 for none
     */
    record StreamSettings(String startingPosition, Long startingPositionTimestamp, int maximumRetryAttempts, int maximumRecordAgeSeconds, boolean bisectBatchOnFunctionError,
            int parallelizationFactor, String onFailureDestination, int tumblingWindowSeconds) {

        StreamSettings {
            requireNonNull(startingPosition, "startingPosition is null");
        }

        StreamSettings(String startingPosition, Long startingPositionTimestamp, int maximumRetryAttempts, int maximumRecordAgeSeconds,
                boolean bisectBatchOnFunctionError, int parallelizationFactor, String onFailureDestination) {
            this(startingPosition, startingPositionTimestamp, maximumRetryAttempts, maximumRecordAgeSeconds, bisectBatchOnFunctionError,
                    parallelizationFactor, onFailureDestination, 0);
        }
    }

    boolean reportsItemFailures() {
        return functionResponseTypes.contains(REPORT_BATCH_ITEM_FAILURES);
    }

    String arn() {
        return "arn:aws:lambda:" + region + ":" + accountId + ":event-source-mapping:" + uuid;
    }

    EventSourceMappingConfiguration toConfiguration(String state, String lastProcessingResult) {
        return new EventSourceMappingConfiguration(uuid, batchSize, batchingWindowSeconds, eventSourceArn,
                filters.isEmpty() ? null : new FilterCriteria(filters.stream().map(Filter::new).toList()),
                FunctionRecord.arn(accountId, region, functionName), lastModified / 1000.0, lastProcessingResult, state, "USER_INITIATED",
                functionResponseTypes.isEmpty() ? null : functionResponseTypes,
                maximumConcurrency == null ? null : new ScalingConfig(maximumConcurrency), arn(),
                stream == null ? null : stream.startingPosition(),
                stream == null || stream.startingPositionTimestamp() == null ? null : stream.startingPositionTimestamp() / 1000.0,
                stream == null ? null : stream.parallelizationFactor(),
                stream == null ? null : stream.maximumRecordAgeSeconds(),
                stream == null ? null : stream.bisectBatchOnFunctionError(),
                stream == null ? null : stream.maximumRetryAttempts(),
                stream == null ? null : new DestinationConfig(new OnFailure(stream.onFailureDestination())),
                stream == null ? null : stream.tumblingWindowSeconds());
    }
}
