package io.stratus.lambda;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpQuery;
import java.util.List;

/**
 * The request and response records of the event source mapping operations, named as AWS names
 * them. Members Stratus does not act on yet are read as raw JSON, so that a request using one is
 * refused rather than half done.
 */
final class EventSourceModel {

    private EventSourceModel() {}

    record Filter(String pattern) {}

    record FilterCriteria(List<Filter> filters) {}

    record ScalingConfig(Integer maximumConcurrency) {}

    record OnFailure(String destination) {}

    record DestinationConfig(OnFailure onFailure) {}

    record CreateEventSourceMappingRequest(
            String eventSourceArn,
            String functionName,
            Boolean enabled,
            Integer batchSize,
            FilterCriteria filterCriteria,
            Integer maximumBatchingWindowInSeconds,
            List<String> functionResponseTypes,
            ScalingConfig scalingConfig,
            // Stream sources only; AWS refuses them for SQS.
            JsonNode parallelizationFactor,
            JsonNode startingPosition,
            JsonNode startingPositionTimestamp,
            JsonNode destinationConfig,
            JsonNode maximumRecordAgeInSeconds,
            JsonNode bisectBatchOnFunctionError,
            JsonNode maximumRetryAttempts,
            JsonNode tumblingWindowInSeconds,
            // Other sources and features Stratus does not have yet.
            JsonNode topics,
            JsonNode queues,
            JsonNode sourceAccessConfigurations,
            JsonNode selfManagedEventSource,
            JsonNode amazonManagedKafkaEventSourceConfig,
            JsonNode selfManagedKafkaEventSourceConfig,
            JsonNode documentDBEventSourceConfig,
            @JsonProperty("KMSKeyArn") JsonNode kmsKeyArn,
            JsonNode metricsConfig,
            JsonNode provisionedPollerConfig,
            java.util.Map<String, String> tags) {}

    record UpdateEventSourceMappingRequest(
            @HttpLabel("UUID") String uuid,
            String functionName,
            Boolean enabled,
            Integer batchSize,
            FilterCriteria filterCriteria,
            Integer maximumBatchingWindowInSeconds,
            List<String> functionResponseTypes,
            ScalingConfig scalingConfig,
            JsonNode parallelizationFactor,
            JsonNode destinationConfig,
            JsonNode maximumRecordAgeInSeconds,
            JsonNode bisectBatchOnFunctionError,
            JsonNode maximumRetryAttempts,
            JsonNode tumblingWindowInSeconds,
            JsonNode sourceAccessConfigurations,
            JsonNode documentDBEventSourceConfig,
            @JsonProperty("KMSKeyArn") JsonNode kmsKeyArn,
            JsonNode metricsConfig,
            JsonNode provisionedPollerConfig,
            JsonNode amazonManagedKafkaEventSourceConfig,
            JsonNode selfManagedKafkaEventSourceConfig) {}

    record EventSourceMappingRequest(@HttpLabel("UUID") String uuid) {}

    record ListEventSourceMappingsRequest(
            @HttpQuery("EventSourceArn") String eventSourceArn,
            @HttpQuery("FunctionName") String functionName,
            @HttpQuery("Marker") String marker,
            @HttpQuery("MaxItems") Integer maxItems) {}

    record EventSourceMappingConfiguration(
            @JsonProperty("UUID") String uuid,
            Integer batchSize,
            Integer maximumBatchingWindowInSeconds,
            String eventSourceArn,
            FilterCriteria filterCriteria,
            String functionArn,
            Double lastModified,
            String lastProcessingResult,
            String state,
            String stateTransitionReason,
            List<String> functionResponseTypes,
            ScalingConfig scalingConfig,
            String eventSourceMappingArn,
            // Stream sources only; null (left out) for queues.
            String startingPosition,
            Double startingPositionTimestamp,
            Integer parallelizationFactor,
            Integer maximumRecordAgeInSeconds,
            Boolean bisectBatchOnFunctionError,
            Integer maximumRetryAttempts,
            DestinationConfig destinationConfig,
            Integer tumblingWindowInSeconds) {}

    record ListEventSourceMappingsResponse(String nextMarker, List<EventSourceMappingConfiguration> eventSourceMappings) {}
}
