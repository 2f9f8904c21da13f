package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.ChangeFeed;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.core.spi.Queues;
import io.stratus.core.spi.Targets;
import io.stratus.lambda.EventSourceModel.CreateEventSourceMappingRequest;
import io.stratus.lambda.EventSourceModel.EventSourceMappingConfiguration;
import io.stratus.lambda.EventSourceModel.EventSourceMappingRequest;
import io.stratus.lambda.EventSourceModel.FilterCriteria;
import io.stratus.lambda.EventSourceModel.ListEventSourceMappingsRequest;
import io.stratus.lambda.EventSourceModel.ListEventSourceMappingsResponse;
import io.stratus.lambda.EventSourceModel.UpdateEventSourceMappingRequest;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Event source mappings (Create/Get/Update/Delete/ListEventSourceMappings): the mappings in the
 * store, one key per mapping plus one per (function, source) pair so that two creates of the same
 * pair conflict, and a running poller per enabled mapping: {@link SqsPoller} for SQS queues (reached
 * through the {@link Queues} SPI), {@link StreamPoller} for DynamoDB and Kinesis streams (through the
 * {@link ChangeFeed} SPI, with checkpoints in {@link ShardCheckpoints}). Thread-safe.
 */
final class EventSourceMappings implements AutoCloseable {

    static final String MAPPINGS = "lambda.esm";
    static final String PAIRS = "lambda.esm.pairs";
    /** A mapping's tags, by the mapping's key; none for a mapping without tags. */
    static final String TAGS = "lambda.esm.tags";

    private static final ObjectMapper STORED = JsonMapper.builder()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final int DEFAULT_BATCH_SIZE = 10;
    private static final int MAX_FIFO_BATCH_SIZE = 10;
    private static final int DEFAULT_MAX_ITEMS = 100;

    /** Finds the function a {@code FunctionName} names, as Invoke would, or throws ResourceNotFoundException. */
    interface FunctionResolver {
        MappedFunction resolve(String accountId, String region, String functionName);
    }

    /**
     * The function a mapping invokes: {@code name} as the mapping keeps it (the function's name, or
     * {@code name:qualifier} for a version or alias, as Invoke takes it), and the version it names now.
     */
    record MappedFunction(String name, FunctionRecord version) {}

    /** How a mapping keeps the function a reference names: qualified when it names a version or alias, not {@code $LATEST}. */
    static String mappedName(FunctionRules.FunctionReference reference) {
        String qualifier = reference.qualifier();
        return qualifier == null || qualifier.equals(FunctionRecord.LATEST) ? reference.name() : reference.name() + ":" + qualifier;
    }

    private final Store store;
    private final Clock clock;
    private final Queues queues;
    private final ChangeFeed streams;
    private final Targets targets;
    private final ShardCheckpoints checkpoints;
    private final FunctionInvoker functions;
    private final FunctionResolver resolver;
    private final Map<String, MappingPoller> pollers = new ConcurrentHashMap<>();

    EventSourceMappings(Store store, Clock clock, Queues queues, ChangeFeed streams, Targets targets, FunctionInvoker functions,
            FunctionResolver resolver) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.queues = requireNonNull(queues, "queues is null");
        this.streams = requireNonNull(streams, "streams is null");
        this.targets = requireNonNull(targets, "targets is null");
        this.checkpoints = new ShardCheckpoints(store);
        this.functions = requireNonNull(functions, "functions is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
    }

    /** Starts polling for every enabled mapping a previous run left. */
    void start() {
        try (Scan scan = store.scan(MAPPINGS, KeyRange.all())) {
            while (scan.hasNext()) {
                EventSourceMapping mapping = decode(scan.next().value());
                if (mapping.enabled()) {
                    startPolling(mapping);
                }
            }
        }
    }

    @Override
    public void close() {
        pollers.values().forEach(MappingPoller::close);
        pollers.clear();
    }

    EventSourceMappingConfiguration create(RequestContext context, CreateEventSourceMappingRequest request) {
        Map<String, String> tags = TagOperations.validate(request.tags());
        if (request.eventSourceArn() != null && StreamMappings.isStream(request.eventSourceArn())) {
            return created(streamMappings().create(context, request), tags);
        }
        unsupportedForQueues(request.parallelizationFactor(), "ParallelizationFactor");
        unsupportedForQueues(request.startingPosition(), "StartingPosition");
        unsupportedForQueues(request.startingPositionTimestamp(), "StartingPositionTimestamp");
        unsupportedForQueues(request.destinationConfig(), "DestinationConfig");
        unsupportedForQueues(request.maximumRecordAgeInSeconds(), "MaximumRecordAgeInSeconds");
        unsupportedForQueues(request.bisectBatchOnFunctionError(), "BisectBatchOnFunctionError");
        unsupportedForQueues(request.maximumRetryAttempts(), "MaximumRetryAttempts");
        unsupportedForQueues(request.tumblingWindowInSeconds(), "TumblingWindowInSeconds");
        notYet(request.topics(), "Topics");
        notYet(request.queues(), "Queues");
        notYet(request.sourceAccessConfigurations(), "SourceAccessConfigurations");
        notYet(request.selfManagedEventSource(), "SelfManagedEventSource");
        notYet(request.amazonManagedKafkaEventSourceConfig(), "AmazonManagedKafkaEventSourceConfig");
        notYet(request.selfManagedKafkaEventSourceConfig(), "SelfManagedKafkaEventSourceConfig");
        notYet(request.documentDBEventSourceConfig(), "DocumentDBEventSourceConfig");
        notYet(request.kmsKeyArn(), "KMSKeyArn");
        notYet(request.metricsConfig(), "MetricsConfig");
        notYet(request.provisionedPollerConfig(), "ProvisionedPollerConfig");
        if (request.eventSourceArn() == null) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "EventSourceArn is required: Stratus supports SQS and DynamoDB Streams event sources.");
        }
        Arn source = sourceArn(request.eventSourceArn());
        MappedFunction function = resolver.resolve(context.accountId(), context.region(), request.functionName());
        Queues.QueueInfo queue = describe(source);
        if (queue.visibilityTimeout().toSeconds() < function.version().timeout()) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Queue visibility timeout: %d seconds is less than Function timeout: %d seconds",
                    queue.visibilityTimeout().toSeconds(), function.version().timeout());
        }
        int batchSize = request.batchSize() == null ? DEFAULT_BATCH_SIZE : request.batchSize();
        int window = request.maximumBatchingWindowInSeconds() == null ? 0 : request.maximumBatchingWindowInSeconds();
        List<String> filters = filters(request.filterCriteria());
        List<String> responseTypes = responseTypes(request.functionResponseTypes());
        Integer concurrency = concurrency(request.scalingConfig());
        checkBatching(queue, batchSize, window);
        EventSourceMapping mapping = new EventSourceMapping(UUID.randomUUID().toString(), context.accountId(), context.region(),
                function.name(), source.toString(), batchSize, window, filters, responseTypes, concurrency,
                request.enabled() == null || request.enabled(), clock.millis(), null);
        return created(mapping, tags);
    }

    /** Stores a new mapping with its tags (refusing a second one of the same function and source) and starts it. */
    private EventSourceMappingConfiguration created(EventSourceMapping mapping, Map<String, String> tags) {
        store.transaction(txn -> {
            byte[] pair = pairKey(mapping);
            byte[] existing = txn.get(PAIRS, pair);
            if (existing != null && mapping.stream() != null) {
                throw AwsException.of(LambdaErrors.RESOURCE_CONFLICT,
                        "The event source arn (\" %s \") and function (\" %s \") provided mapping already exists. Please update or delete the existing mapping with UUID %s",
                        mapping.eventSourceArn(), mapping.functionName(), new String(existing, StandardCharsets.UTF_8));
            }
            if (existing != null) {
                throw AwsException.of(LambdaErrors.RESOURCE_CONFLICT,
                        "An event source mapping with SQS arn (\" %s \") and function (\" %s \") already exists. Please update or delete the existing mapping with UUID %s",
                        mapping.eventSourceArn(), mapping.functionName(), new String(existing, StandardCharsets.UTF_8));
            }
            txn.put(PAIRS, pair, mapping.uuid().getBytes(StandardCharsets.UTF_8));
            txn.put(MAPPINGS, key(mapping.accountId(), mapping.region(), mapping.uuid()), encode(mapping));
            if (!tags.isEmpty()) {
                txn.put(TAGS, key(mapping.accountId(), mapping.region(), mapping.uuid()), encodeTags(tags));
            }
            return null;
        });
        if (mapping.stream() != null) {
            StreamPoller.initialize(mapping, streams, checkpoints);
        }
        if (mapping.enabled()) {
            startPolling(mapping);
        }
        return mapping.toConfiguration("Creating", "No records processed");
    }

    EventSourceMappingConfiguration get(RequestContext context, EventSourceMappingRequest request) {
        EventSourceMapping mapping = require(context, request.uuid());
        return configuration(mapping);
    }

    EventSourceMappingConfiguration update(RequestContext context, UpdateEventSourceMappingRequest request) {
        EventSourceMapping current = require(context, request.uuid());
        if (current.stream() != null) {
            return updated(current, streamMappings().update(context, current, request));
        }
        unsupportedForQueues(request.parallelizationFactor(), "ParallelizationFactor");
        unsupportedForQueues(request.destinationConfig(), "DestinationConfig");
        unsupportedForQueues(request.maximumRecordAgeInSeconds(), "MaximumRecordAgeInSeconds");
        unsupportedForQueues(request.bisectBatchOnFunctionError(), "BisectBatchOnFunctionError");
        unsupportedForQueues(request.maximumRetryAttempts(), "MaximumRetryAttempts");
        unsupportedForQueues(request.tumblingWindowInSeconds(), "TumblingWindowInSeconds");
        notYet(request.sourceAccessConfigurations(), "SourceAccessConfigurations");
        notYet(request.documentDBEventSourceConfig(), "DocumentDBEventSourceConfig");
        notYet(request.kmsKeyArn(), "KMSKeyArn");
        notYet(request.metricsConfig(), "MetricsConfig");
        notYet(request.provisionedPollerConfig(), "ProvisionedPollerConfig");
        notYet(request.amazonManagedKafkaEventSourceConfig(), "AmazonManagedKafkaEventSourceConfig");
        notYet(request.selfManagedKafkaEventSourceConfig(), "SelfManagedKafkaEventSourceConfig");
        String functionName = current.functionName();
        if (request.functionName() != null) {
            functionName = resolver.resolve(context.accountId(), context.region(), request.functionName()).name();
        }
        Queues.QueueInfo queue = describe(Arn.parse(current.eventSourceArn()));
        int batchSize = request.batchSize() == null ? current.batchSize() : request.batchSize();
        int window = request.maximumBatchingWindowInSeconds() == null ? current.batchingWindowSeconds() : request.maximumBatchingWindowInSeconds();
        checkBatching(queue, batchSize, window);
        EventSourceMapping updated = new EventSourceMapping(current.uuid(), current.accountId(), current.region(), functionName,
                current.eventSourceArn(), batchSize, window,
                request.filterCriteria() == null ? current.filters() : filters(request.filterCriteria()),
                request.functionResponseTypes() == null ? current.functionResponseTypes() : responseTypes(request.functionResponseTypes()),
                request.scalingConfig() == null ? current.maximumConcurrency() : concurrency(request.scalingConfig()),
                request.enabled() == null ? current.enabled() : request.enabled(), clock.millis(), null);
        return updated(current, updated);
    }

    /** Stores a changed mapping and restarts its poller. */
    private EventSourceMappingConfiguration updated(EventSourceMapping current, EventSourceMapping updated) {
        store.transaction(txn -> {
            if (txn.get(MAPPINGS, key(current.accountId(), current.region(), current.uuid())) == null) {
                throw notFound();
            }
            if (!updated.functionName().equals(current.functionName())) {
                if (txn.get(PAIRS, pairKey(updated)) != null) {
                    throw AwsException.of(LambdaErrors.RESOURCE_CONFLICT, updated.stream() == null
                                    ? "An event source mapping with SQS arn (\" %s \") and function (\" %s \") already exists."
                                    : "The event source arn (\" %s \") and function (\" %s \") provided mapping already exists.",
                            updated.eventSourceArn(), updated.functionName());
                }
                txn.delete(PAIRS, pairKey(current));
                txn.put(PAIRS, pairKey(updated), updated.uuid().getBytes(StandardCharsets.UTF_8));
            }
            txn.put(MAPPINGS, key(updated.accountId(), updated.region(), updated.uuid()), encode(updated));
            return null;
        });
        stopPolling(updated.uuid());
        if (updated.enabled()) {
            startPolling(updated);
        }
        String state = updated.enabled() == current.enabled() ? "Updating" : updated.enabled() ? "Enabling" : "Disabling";
        return updated.toConfiguration(state, lastProcessingResult(updated));
    }

    EventSourceMappingConfiguration delete(RequestContext context, EventSourceMappingRequest request) {
        EventSourceMapping mapping = require(context, request.uuid());
        String lastResult = lastProcessingResult(mapping);
        store.transaction(txn -> {
            if (txn.get(MAPPINGS, key(mapping.accountId(), mapping.region(), mapping.uuid())) == null) {
                throw notFound();
            }
            txn.delete(MAPPINGS, key(mapping.accountId(), mapping.region(), mapping.uuid()));
            txn.delete(TAGS, key(mapping.accountId(), mapping.region(), mapping.uuid()));
            txn.delete(PAIRS, pairKey(mapping));
            return null;
        });
        stopPolling(mapping.uuid());
        checkpoints.deleteAll(mapping.uuid());
        return mapping.toConfiguration("Deleting", lastResult);
    }

    ListEventSourceMappingsResponse list(RequestContext context, ListEventSourceMappingsRequest request) {
        int max = request.maxItems() == null ? DEFAULT_MAX_ITEMS : request.maxItems();
        if (max < 1 || max > 10_000) {
            throw AwsException.of(LambdaErrors.VALIDATION, "1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value %s",
                    max, max < 1 ? "greater than or equal to 1" : "less than or equal to 10000");
        }
        // The mappings of exactly that function, version or alias.
        String functionName = request.functionName() == null ? null : mappedName(FunctionRules.reference(request.functionName(), null));
        byte[] prefix = Key.builder().add(context.accountId()).add(context.region()).build();
        KeyRange range = request.marker() == null ? KeyRange.prefix(prefix)
                : new KeyRange(Key.prefixEnd(key(context.accountId(), context.region(), request.marker())), Key.prefixEnd(prefix));
        List<EventSourceMappingConfiguration> page = new ArrayList<>();
        String next = null;
        try (Scan scan = store.scan(MAPPINGS, range)) {
            while (scan.hasNext()) {
                EventSourceMapping mapping = decode(scan.next().value());
                if ((request.eventSourceArn() != null && !request.eventSourceArn().equals(mapping.eventSourceArn()))
                        || (functionName != null && !functionName.equals(mapping.functionName()))) {
                    continue;
                }
                if (page.size() == max) {
                    next = page.getLast().uuid();
                    break;
                }
                page.add(configuration(mapping));
            }
        }
        return new ListEventSourceMappingsResponse(next, page);
    }

    private EventSourceMappingConfiguration configuration(EventSourceMapping mapping) {
        return mapping.toConfiguration(mapping.enabled() ? "Enabled" : "Disabled", lastProcessingResult(mapping));
    }

    private String lastProcessingResult(EventSourceMapping mapping) {
        MappingPoller poller = pollers.get(mapping.uuid());
        return poller == null ? "No records processed" : poller.lastProcessingResult();
    }

    private void startPolling(EventSourceMapping mapping) {
        MappingPoller poller = mapping.stream() == null ? new SqsPoller(mapping, queues, functions)
                : new StreamPoller(mapping, streams, StreamMappings.batchInfoMember(mapping.eventSourceArn()), checkpoints, functions, this::sendFailure, clock);
        MappingPoller previous = pollers.put(mapping.uuid(), poller);
        if (previous != null) {
            previous.close();
        }
        poller.start();
    }

    private void stopPolling(String uuid) {
        MappingPoller poller = pollers.remove(uuid);
        if (poller != null) {
            poller.close();
        }
    }

    private StreamMappings streamMappings() {
        return new StreamMappings(streams, resolver, clock);
    }

    /** Sends the description of a discarded stream batch to its OnFailure destination. */
    private void sendFailure(String destinationArn, byte[] payload, String objectKey) {
        targets.deliver(Arn.parse(destinationArn), payload, objectKey == null ? Targets.Options.NONE : Targets.Options.NONE.withObjectKey(objectKey));
    }

    /** The tags of the mapping {@code uuid} (ListTags on its ARN); ResourceNotFoundException when there is none. */
    Map<String, String> tags(RequestContext context, String uuid) {
        require(context, uuid);
        byte[] tags = store.get(TAGS, key(context.accountId(), context.region(), uuid));
        return tags == null ? Map.of() : decodeTags(tags);
    }

    /**
     * Changes the tags of the mapping {@code uuid} (TagResource, UntagResource on its ARN), in one
     * transaction with the check that the mapping is there.
     */
    void changeTags(RequestContext context, String uuid, java.util.function.UnaryOperator<Map<String, String>> change) {
        require(context, uuid);
        byte[] key = key(context.accountId(), context.region(), uuid);
        store.transaction(txn -> {
            if (txn.get(MAPPINGS, key) == null) {
                throw notFound();
            }
            byte[] current = txn.get(TAGS, key);
            Map<String, String> changed = change.apply(current == null ? Map.of() : decodeTags(current));
            if (changed.isEmpty()) {
                txn.delete(TAGS, key);
            } else {
                txn.put(TAGS, key, encodeTags(changed));
            }
            return null;
        });
    }

    private static byte[] encodeTags(Map<String, String> tags) {
        try {
            return STORED.writeValueAsBytes(new TagOperations.TagSet(tags));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> decodeTags(byte[] tags) {
        try {
            return STORED.readValue(tags, TagOperations.TagSet.class).tags();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private EventSourceMapping require(RequestContext context, String uuid) {
        byte[] value = uuid == null ? null : store.get(MAPPINGS, key(context.accountId(), context.region(), uuid));
        if (value == null) {
            throw notFound();
        }
        return decode(value);
    }

    private static AwsException notFound() {
        return AwsException.of(LambdaErrors.RESOURCE_NOT_FOUND, "The resource you requested does not exist.");
    }

    private static Arn sourceArn(String text) {
        Arn arn;
        try {
            arn = Arn.parse(text);
        } catch (IllegalArgumentException e) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Invalid EventSourceArn: %s", text);
        }
        if (!arn.service().equals("sqs")) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "Event sources of service %s are not supported by Stratus yet; SQS queues, DynamoDB streams and Kinesis streams are.", arn.service());
        }
        return arn;
    }

    private Queues.QueueInfo describe(Arn queue) {
        try {
            return queues.describe(queue);
        } catch (AwsException e) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "Error occurred while ReceiveMessage. SQS Error Code: %s. SQS Error Message: %s", e.errorCode().queryCode(), e.getMessage());
        }
    }

    /** The API model's bounds first ({@code ValidationException}), then SQS's own rules ({@code InvalidParameterValueException}). */
    private static void checkBatching(Queues.QueueInfo queue, int batchSize, int window) {
        StreamMappingRules.checkBatching(batchSize, window);
        if (queue.fifo() && batchSize > MAX_FIFO_BATCH_SIZE) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "BatchSize must be between 1 and %d for FIFO queues; %d was given.", MAX_FIFO_BATCH_SIZE, batchSize);
        }
        if (queue.fifo() && window > 0) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Batching window is not supported for FIFO queues.");
        }
        if (batchSize > 10 && window == 0) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
        }
    }

    static List<String> filters(FilterCriteria criteria) {
        if (criteria == null || criteria.filters() == null) {
            return List.of();
        }
        List<String> patterns = criteria.filters().stream().map(f -> f == null ? null : f.pattern()).toList();
        EventFilter.validate(patterns);
        return patterns;
    }

    static List<String> responseTypes(List<String> types) {
        if (types == null) {
            return List.of();
        }
        for (String type : types) {
            if (!EventSourceMapping.REPORT_BATCH_ITEM_FAILURES.equals(type)) {
                throw AwsException.of(LambdaErrors.VALIDATION,
                        "1 validation error detected: Value '[%s]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy enum value set: [ReportBatchItemFailures]",
                        type);
            }
        }
        return types.stream().distinct().toList();
    }

    private static Integer concurrency(EventSourceModel.ScalingConfig scaling) {
        if (scaling == null || scaling.maximumConcurrency() == null) {
            return null;
        }
        int value = scaling.maximumConcurrency();
        if (value < 2 || value > 1000) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%d' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value %s",
                    value, value < 2 ? "greater than or equal to 2" : "less than or equal to 1000");
        }
        return value;
    }

    /** AWS's answer to a stream-only setting on a queue mapping. */
    private static void unsupportedForQueues(JsonNode value, String member) {
        if (value != null && !value.isNull()) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Unsupported %s parameter for given event source.", member);
        }
    }

    static void notYet(JsonNode value, String member) {
        if (value != null && !value.isNull()) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "%s is not supported by Stratus yet.", member);
        }
    }

    private static byte[] key(String accountId, String region, String uuid) {
        return Key.builder().add(accountId).add(region).add(uuid).build();
    }

    private static byte[] pairKey(EventSourceMapping mapping) {
        return Key.builder().add(mapping.accountId()).add(mapping.region()).add(mapping.functionName()).add(mapping.eventSourceArn()).build();
    }

    private static byte[] encode(EventSourceMapping mapping) {
        try {
            return STORED.writeValueAsBytes(mapping);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EventSourceMapping decode(byte[] value) {
        try {
            return STORED.readValue(value, EventSourceMapping.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a stored event source mapping", e);
        }
    }
}
