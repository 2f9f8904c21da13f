package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.ChangeFeed;
import io.stratus.lambda.EventSourceMapping.StreamSettings;
import io.stratus.lambda.EventSourceModel.CreateEventSourceMappingRequest;
import io.stratus.lambda.EventSourceModel.UpdateEventSourceMappingRequest;
import java.time.Clock;
import java.util.UUID;

/**
 * Builds and changes event source mappings on DynamoDB and Kinesis streams: checks the request against
 * {@link StreamMappingRules}, the function and the stream (through the {@link ChangeFeed} SPI).
 * Storing and running them is {@link EventSourceMappings}' job. Stateless; thread-safe.
 */
final class StreamMappings {

    /** The member naming the batch in a DynamoDB stream mapping's OnFailure record. */
    static final String DYNAMODB_BATCH_INFO = "DDBStreamBatchInfo";
    /** The member naming the batch in a Kinesis stream mapping's OnFailure record. */
    static final String KINESIS_BATCH_INFO = "KinesisBatchInfo";

    private final ChangeFeed feed;
    private final EventSourceMappings.FunctionResolver resolver;
    private final Clock clock;

    StreamMappings(ChangeFeed feed, EventSourceMappings.FunctionResolver resolver, Clock clock) {
        this.feed = requireNonNull(feed, "feed is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Whether an event source ARN names a stream (DynamoDB, Kinesis) rather than a queue. */
    static boolean isStream(String eventSourceArn) {
        return isService(eventSourceArn, "dynamodb") || isService(eventSourceArn, "kinesis");
    }

    static boolean isKinesis(String eventSourceArn) {
        return isService(eventSourceArn, "kinesis");
    }

    /** The member that names the batch in the mapping's OnFailure records. */
    static String batchInfoMember(String eventSourceArn) {
        return isKinesis(eventSourceArn) ? KINESIS_BATCH_INFO : DYNAMODB_BATCH_INFO;
    }

    private static boolean isService(String arn, String service) {
        if (arn == null) {
            return false;
        }
        try {
            return Arn.parse(arn).service().equals(service);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    EventSourceMapping create(RequestContext context, CreateEventSourceMappingRequest request) {
        EventSourceMappings.notYet(request.topics(), "Topics");
        EventSourceMappings.notYet(request.queues(), "Queues");
        EventSourceMappings.notYet(request.sourceAccessConfigurations(), "SourceAccessConfigurations");
        EventSourceMappings.notYet(request.selfManagedEventSource(), "SelfManagedEventSource");
        EventSourceMappings.notYet(request.amazonManagedKafkaEventSourceConfig(), "AmazonManagedKafkaEventSourceConfig");
        EventSourceMappings.notYet(request.selfManagedKafkaEventSourceConfig(), "SelfManagedKafkaEventSourceConfig");
        EventSourceMappings.notYet(request.documentDBEventSourceConfig(), "DocumentDBEventSourceConfig");
        EventSourceMappings.notYet(request.kmsKeyArn(), "KMSKeyArn");
        EventSourceMappings.notYet(request.metricsConfig(), "MetricsConfig");
        EventSourceMappings.notYet(request.provisionedPollerConfig(), "ProvisionedPollerConfig");
        StreamSettings settings = StreamMappingRules.create(request);
        int batchSize = request.batchSize() == null ? StreamMappingRules.DEFAULT_BATCH_SIZE : request.batchSize();
        int window = request.maximumBatchingWindowInSeconds() == null ? 0 : request.maximumBatchingWindowInSeconds();
        StreamMappingRules.checkBatching(batchSize, window);
        var filters = EventSourceMappings.filters(request.filterCriteria());
        var responseTypes = EventSourceMappings.responseTypes(request.functionResponseTypes());
        EventSourceMappings.MappedFunction function = resolver.resolve(context.accountId(), context.region(), request.functionName());
        String streamArn = requireStream(request.eventSourceArn());
        return new EventSourceMapping(UUID.randomUUID().toString(), context.accountId(), context.region(), function.name(), streamArn,
                batchSize, window, filters, responseTypes, null, request.enabled() == null || request.enabled(), clock.millis(), settings);
    }

    EventSourceMapping update(RequestContext context, EventSourceMapping current, UpdateEventSourceMappingRequest request) {
        EventSourceMappings.notYet(request.sourceAccessConfigurations(), "SourceAccessConfigurations");
        EventSourceMappings.notYet(request.documentDBEventSourceConfig(), "DocumentDBEventSourceConfig");
        EventSourceMappings.notYet(request.kmsKeyArn(), "KMSKeyArn");
        EventSourceMappings.notYet(request.metricsConfig(), "MetricsConfig");
        EventSourceMappings.notYet(request.provisionedPollerConfig(), "ProvisionedPollerConfig");
        EventSourceMappings.notYet(request.amazonManagedKafkaEventSourceConfig(), "AmazonManagedKafkaEventSourceConfig");
        EventSourceMappings.notYet(request.selfManagedKafkaEventSourceConfig(), "SelfManagedKafkaEventSourceConfig");
        StreamSettings settings = StreamMappingRules.update(current.stream(), request);
        int batchSize = request.batchSize() == null ? current.batchSize() : request.batchSize();
        int window = request.maximumBatchingWindowInSeconds() == null ? current.batchingWindowSeconds() : request.maximumBatchingWindowInSeconds();
        StreamMappingRules.checkBatching(batchSize, window);
        String functionName = request.functionName() == null ? current.functionName()
                : resolver.resolve(context.accountId(), context.region(), request.functionName()).name();
        return new EventSourceMapping(current.uuid(), current.accountId(), current.region(), functionName, current.eventSourceArn(),
                batchSize, window,
                request.filterCriteria() == null ? current.filters() : EventSourceMappings.filters(request.filterCriteria()),
                request.functionResponseTypes() == null ? current.functionResponseTypes()
                        : EventSourceMappings.responseTypes(request.functionResponseTypes()),
                null, request.enabled() == null ? current.enabled() : request.enabled(), clock.millis(), settings);
    }

    /** The stream's ARN as the feed spells it, or AWS's refusal of a stream it cannot find. */
    private String requireStream(String eventSourceArn) {
        return feed.describe(eventSourceArn).map(ChangeFeed.FeedDescription::streamArn)
                .orElseThrow(() -> AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Stream not found: %s", eventSourceArn));
    }
}
