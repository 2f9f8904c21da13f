package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import io.stratus.core.spi.ChangeFeed;
import io.stratus.core.spi.ChangeFeed.Batch;
import io.stratus.core.spi.ChangeFeed.FeedDescription;
import io.stratus.core.spi.ChangeFeed.Position;
import io.stratus.core.spi.ChangeFeed.Shard;
import io.stratus.core.spi.ChangeFeed.StartingPosition;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.lambda.EventSourceMapping.StreamSettings;
import io.stratus.lambda.ShardCheckpoints.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a stream ({@link ChangeFeed}: DynamoDB Streams now, Kinesis later) to a function, as
 * Lambda's stream event sources do. One virtual thread per mapping walks the stream's shards
 * (a child shard only once its parent is finished), reads a batch from each shard's durable
 * checkpoint ({@link ShardCheckpoints}), skips and checkpoints the records no filter matches,
 * invokes the function synchronously with {@code {"Records":[…]}} and, once the batch is dealt
 * with, checkpoints past it. A failed batch is retried with a backoff (200 ms doubling up to 5 s)
 * until {@code MaximumRetryAttempts} or {@code MaximumRecordAgeInSeconds}; with
 * {@code BisectBatchOnFunctionError} it is split in two first; with {@code ReportBatchItemFailures}
 * the checkpoint moves to just before the first failed record and only the rest is retried. A batch
 * given up on is described to the {@code OnFailure} destination and skipped. When there is nothing
 * new the worker sleeps {@link #IDLE} between polls.
 *
 * <p>With a {@code ParallelizationFactor} of 1 a shard's records are handed over one batch at a
 * time, in order. With a factor of <i>n</i> the worker reads up to <i>n</i> batches' worth, deals
 * the records out to <i>n</i> lanes by their {@link ChangeFeed.Record#orderingKey() ordering key}
 * (the item, for DynamoDB) and runs the lanes at once, each handing its records over in order, one
 * batch at a time, with its own retries: records of one item keep their order, as AWS promises, and
 * the shard's checkpoint moves past the read once every lane is done.
 *
 * <p>With {@code TumblingWindowInSeconds} (a factor of 1 only) an invocation carries one
 * {@link TumblingWindow}'s records and the state the function returned so far, which is kept with
 * the shard's checkpoint; once the window is over (the clock passed its end, a later window's
 * record or the shard's end was read) its final invocation gets the state, and the shard goes on.
 *
 * <p>Delivery is at least once: a batch whose invocation ended but whose checkpoint was not
 * written yet (a crash) comes again, and with a factor above 1 so does the rest of its read.
 * {@link #close} (disable, update, delete, server close) wakes the worker from a pause but lets an
 * invocation in flight end and be checkpointed, waiting up to five seconds for it.
 *
 * <p>Thread safety: {@link #start}, {@link #close} and {@link #lastProcessingResult} may be called
 * from any thread; the rest runs on the worker thread and, with a factor above 1, on one virtual
 * thread per lane, which share only the mapping's settings and these thread-safe members.
 */
final class StreamPoller implements MappingPoller {

    /** How long the worker sleeps when no shard had anything to hand over. */
    static final Duration IDLE = Duration.ofMillis(200);

    private static final Logger LOG = LoggerFactory.getLogger(StreamPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROBLEM_PAUSE = Duration.ofSeconds(1);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);
    private static final int MAX_READ = 10_000;
    /** The date folders and time of a discarded batch's object in an S3 bucket. */
    private static final DateTimeFormatter OBJECT_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd/yyyy-MM-dd'T'HH.mm.ss").withZone(ZoneOffset.UTC);

    /** Where descriptions of discarded batches go: the mapping's {@code OnFailure} destination. */
    interface FailureDestination {
        /** @param objectKey for an S3 bucket, the key of the object the description becomes; else null */
        void send(String destinationArn, byte[] payload, String objectKey);
    }

    /** A record of the batch at hand: as read, and as the event carries it. */
    private record Item(ChangeFeed.Record record, ObjectNode json) {}

    /** The shard a batch comes from and the position it was read from. */
    private record Place(String shardId, String token) {}

    private final EventSourceMapping mapping;
    private final StreamSettings settings;
    private final ChangeFeed feed;
    private final String batchInfoMember;
    private final ShardCheckpoints checkpoints;
    private final FunctionInvoker functions;
    private final FailureDestination destination;
    private final Clock clock;
    private final EventFilter filter;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Thread worker;
    private volatile String lastProcessingResult = "No records processed";
    /**
     * With tumbling windows, the window open in the shard being polled (its state so far), or
     * null; read from the shard's checkpoint at each poll and written with it. Windows are refused
     * with lanes, so only the worker thread uses it.
     */
    private TumblingWindow window;

    /**
     * @param batchInfoMember the member naming the batch in an {@code OnFailure} record, e.g. {@code DDBStreamBatchInfo}
     */
    StreamPoller(EventSourceMapping mapping, ChangeFeed feed, String batchInfoMember, ShardCheckpoints checkpoints, FunctionInvoker functions,
            FailureDestination destination, Clock clock) {
        this.mapping = requireNonNull(mapping, "mapping is null");
        this.settings = requireNonNull(mapping.stream(), "mapping has no stream settings");
        this.feed = requireNonNull(feed, "feed is null");
        this.batchInfoMember = requireNonNull(batchInfoMember, "batchInfoMember is null");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints is null");
        this.functions = requireNonNull(functions, "functions is null");
        this.destination = requireNonNull(destination, "destination is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.filter = new EventFilter(mapping.filters());
    }

    /**
     * Pins where a new mapping starts in the shards the stream has now: with {@code LATEST}, every
     * open shard's current end (closed shards count as finished), so records written right after
     * CreateEventSourceMapping returns are delivered; with {@code AT_TIMESTAMP}, the first record
     * at or after the timestamp. With {@code TRIM_HORIZON}, and for shards that appear later,
     * nothing is pinned: a shard without a checkpoint is read from its trim horizon.
     */
    static void initialize(EventSourceMapping mapping, ChangeFeed feed, ShardCheckpoints checkpoints) {
        StartingPosition position = StartingPosition.valueOf(mapping.stream().startingPosition());
        if (position == StartingPosition.TRIM_HORIZON) {
            return;
        }
        Instant timestamp = mapping.stream().startingPositionTimestamp() == null ? null
                : Instant.ofEpochMilli(mapping.stream().startingPositionTimestamp());
        Optional<FeedDescription> description = feed.describe(mapping.eventSourceArn());
        for (Shard shard : description.map(FeedDescription::shards).orElse(List.of())) {
            if (checkpoints.get(mapping.uuid(), shard.shardId()).isPresent()) {
                continue;
            }
            checkpoints.put(mapping.uuid(), shard.shardId(), shard.closed() && position == StartingPosition.LATEST ? Checkpoint.FINISHED
                    : Checkpoint.at(feed.start(mapping.eventSourceArn(), shard.shardId(), position, timestamp).token()));
        }
    }

    @Override
    public void start() {
        worker = Thread.ofVirtual().name("lambda-stream-" + mapping.uuid()).start(this::work);
    }

    @Override
    public String lastProcessingResult() {
        return lastProcessingResult;
    }

    @Override
    public void close() {
        running = false;
        // Wakes a pause; an invocation in flight is not interrupted, so its batch is checkpointed.
        stopping.countDown();
        Thread thread = worker;
        if (thread == null) {
            return;
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        while (running) {
            boolean progressed = false;
            try {
                Optional<FeedDescription> description = feed.describe(mapping.eventSourceArn());
                if (description.isEmpty()) {
                    lastProcessingResult = "PROBLEM: Stream not found: " + mapping.eventSourceArn();
                    pause(PROBLEM_PAUSE);
                    continue;
                }
                for (Shard shard : description.get().shards()) {
                    if (!running) {
                        break;
                    }
                    Checkpoint checkpoint = checkpoint(shard, description.get().shards());
                    if (checkpoint != null && !checkpoint.finished()) {
                        progressed |= poll(shard.shardId(), checkpoint);
                    }
                }
            } catch (AwsException e) {
                if (!running) {
                    break;
                }
                lastProcessingResult = "PROBLEM: " + e.getMessage();
                pause(PROBLEM_PAUSE);
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warn("Event source mapping {} failed polling {}", mapping.uuid(), mapping.eventSourceArn(), e);
                pause(PROBLEM_PAUSE);
            }
            if (!progressed) {
                pause(IDLE);
            }
        }
    }

    /** Where to read a shard from, or null while its parent is not finished. */
    private Checkpoint checkpoint(Shard shard, List<Shard> shards) {
        Optional<Checkpoint> stored = checkpoints.get(mapping.uuid(), shard.shardId());
        if (stored.isPresent()) {
            return stored.get();
        }
        if (shard.parentShardId() != null && shards.stream().anyMatch(s -> s.shardId().equals(shard.parentShardId()))) {
            Optional<Checkpoint> parent = checkpoints.get(mapping.uuid(), shard.parentShardId());
            if (parent.isEmpty() || !parent.get().finished()) {
                return null;
            }
        }
        Checkpoint start = Checkpoint.at(feed.start(mapping.eventSourceArn(), shard.shardId(), StartingPosition.TRIM_HORIZON, null).token());
        checkpoints.put(mapping.uuid(), shard.shardId(), start);
        return start;
    }

    /** Reads a shard once and deals with what came; whether anything moved. */
    private boolean poll(String shardId, Checkpoint checkpoint) {
        window = checkpoint.window();
        Batch batch;
        try {
            batch = feed.read(mapping.eventSourceArn(), shardId, new Position(shardId, checkpoint.token()),
                    Math.min(MAX_READ, mapping.batchSize() * settings.parallelizationFactor()));
        } catch (AwsException e) {
            if (!"TrimmedDataAccessException".equals(e.errorCode().code())) {
                throw e;
            }
            // The records at the checkpoint passed the stream's retention: go on from the oldest left (in the same window, if one is open).
            checkpoints.put(mapping.uuid(), shardId,
                    Checkpoint.at(feed.start(mapping.eventSourceArn(), shardId, StartingPosition.TRIM_HORIZON, null).token()).withWindow(window));
            return true;
        }
        List<ChangeFeed.Record> fresh = batch.records().stream()
                .filter(r -> checkpoint.after() == null || compareSequence(r.sequenceNumber(), checkpoint.after()) > 0)
                .toList();
        Place place = new Place(shardId, checkpoint.token());
        if (fresh.isEmpty()) {
            if (window != null && (batch.next() == null || window.over(clock.instant()))) {
                return closeWindow(place, checkpoint);
            }
            if (batch.next() == null) {
                checkpoints.put(mapping.uuid(), shardId, Checkpoint.FINISHED);
                return true;
            }
            if (!batch.records().isEmpty()) {
                checkpoints.put(mapping.uuid(), shardId, Checkpoint.at(batch.next().token()).withWindow(window));
                return true;
            }
            return false;
        }
        if (waitingForMore(fresh, batch)) {
            return false;
        }
        if (concurrent()) {
            return pollLanes(place, fresh, batch);
        }
        TumblingWindow batchWindow = null;
        if (windowed()) {
            Instant first = fresh.getFirst().approximateCreation();
            if (window != null && !first.isBefore(window.end())) {
                // A record of a later window: every record of the open one was dealt with.
                return closeWindow(place, checkpoint);
            }
            batchWindow = window != null ? window : TumblingWindow.of(first, settings.tumblingWindowSeconds());
        }
        List<Item> items = new ArrayList<>();
        List<Item> matching = new ArrayList<>();
        int size = 0;
        for (ChangeFeed.Record record : fresh) {
            if (batchWindow != null && !record.approximateCreation().isBefore(batchWindow.end())) {
                // One window's records per invocation: the next window's come once this one is closed.
                break;
            }
            ObjectNode json = parse(record);
            int recordSize = record.json().length + 1;
            if (!matching.isEmpty() && size + recordSize > SqsPoller.MAX_EVENT_BYTES - 64) {
                // Past what one invocation can carry: the rest comes in the next batch.
                break;
            }
            Item item = new Item(record, json);
            items.add(item);
            if (filter.matches(json)) {
                matching.add(item);
                size += recordSize;
            }
        }
        if (!matching.isEmpty()) {
            if (window == null) {
                window = batchWindow;
            }
            if (!settle(place, matching, 0)) {
                return true;
            }
        }
        // Every record read is dealt with (filtered out, processed or given up on): move past them.
        if (items.size() == fresh.size() && (batch.next() != null || window == null)) {
            checkpoints.put(mapping.uuid(), shardId, batch.next() == null ? Checkpoint.FINISHED : Checkpoint.at(batch.next().token()).withWindow(window));
        } else {
            commit(place, items.getLast());
        }
        return true;
    }

    private boolean concurrent() {
        return settings.parallelizationFactor() > 1;
    }

    private boolean windowed() {
        return settings.tumblingWindowSeconds() > 0;
    }

    /**
     * Ends the open tumbling window: its final invocation ({@code isFinalInvokeForWindow}, no
     * records, the state so far), retried as a failed batch is, then the shard goes on without a
     * window from where it stands. Returns true (something moved) unless the poller stopped first.
     */
    private boolean closeWindow(Place place, Checkpoint checkpoint) {
        if (!invokeFinal(place, false)) {
            return false;
        }
        window = null;
        checkpoints.put(mapping.uuid(), place.shardId(), checkpoint.withWindow(null));
        return true;
    }

    /**
     * The final invocation of the open window, until it succeeds or its retries are used up (the
     * window's state is then dropped). With {@code terminatedEarly} the state outgrew
     * {@link TumblingWindow#MAX_STATE_BYTES} and the window goes on with a fresh one. Returns
     * false when the poller stopped first.
     */
    private boolean invokeFinal(Place place, boolean terminatedEarly) {
        int retries = 0;
        while (running) {
            ObjectNode event = JSON.createObjectNode();
            event.putArray("Records");
            window.decorate(event, place.shardId(), mapping.eventSourceArn(), true, terminatedEarly);
            FunctionInvoker.Result result;
            try {
                result = functions.invoke(mapping.accountId(), mapping.region(), mapping.functionName(), event.toString().getBytes(StandardCharsets.UTF_8));
            } catch (AwsException e) {
                lastProcessingResult = "PROBLEM: Function call failed";
                pause(PROBLEM_PAUSE);
                continue;
            }
            if (!result.failed()) {
                lastProcessingResult = "OK";
                return true;
            }
            lastProcessingResult = "PROBLEM: Function call failed";
            retries++;
            if (settings.maximumRetryAttempts() != -1 && retries > settings.maximumRetryAttempts()) {
                LOG.warn("Event source mapping {} gave up on the final invocation of the window starting {} in shard {}", mapping.uuid(),
                        window.start(), place.shardId());
                return true;
            }
            pause(backoff(retries));
        }
        return false;
    }

    /**
     * Deals {@code fresh} out to the lanes, runs them at once and, once all of them are done,
     * checkpoints past the read. Returns true (something moved) unless the poller stopped first,
     * in which case the whole read comes again.
     */
    private boolean pollLanes(Place place, List<ChangeFeed.Record> fresh, Batch batch) {
        List<List<Item>> lanes = new ArrayList<>();
        for (int i = 0; i < settings.parallelizationFactor(); i++) {
            lanes.add(new ArrayList<>());
        }
        for (ChangeFeed.Record record : fresh) {
            ObjectNode json = parse(record);
            if (filter.matches(json)) {
                lanes.get(Math.floorMod(record.orderingKey().hashCode(), lanes.size())).add(new Item(record, json));
            }
        }
        List<Future<Boolean>> settling = new ArrayList<>();
        boolean done = true;
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("lambda-stream-" + mapping.uuid() + "-lane-", 0).factory())) {
            for (List<Item> lane : lanes) {
                if (!lane.isEmpty()) {
                    settling.add(executor.submit(() -> settleLane(place, lane)));
                }
            }
            for (Future<Boolean> lane : settling) {
                done &= lane.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
        if (!done) {
            return false;
        }
        checkpoints.put(mapping.uuid(), place.shardId(), batch.next() == null ? Checkpoint.FINISHED : Checkpoint.at(batch.next().token()));
        return true;
    }

    /** Hands a lane's records over in order, in batches as large as the mapping and the payload limit allow. */
    private boolean settleLane(Place place, List<Item> lane) {
        int from = 0;
        while (from < lane.size()) {
            int to = from;
            int size = 0;
            while (to < lane.size() && to - from < mapping.batchSize()) {
                int recordSize = lane.get(to).record().json().length + 1;
                if (to > from && size + recordSize > SqsPoller.MAX_EVENT_BYTES - 64) {
                    break;
                }
                size += recordSize;
                to++;
            }
            if (!settle(place, lane.subList(from, to), 0)) {
                return false;
            }
            from = to;
        }
        return true;
    }

    /** With a batching window: whether to wait for more records before invoking. */
    private boolean waitingForMore(List<ChangeFeed.Record> fresh, Batch batch) {
        if (mapping.batchingWindowSeconds() == 0 || fresh.size() >= mapping.batchSize() || batch.next() == null) {
            return false;
        }
        Duration waited = Duration.between(fresh.getFirst().approximateCreation(), clock.instant());
        return waited.compareTo(Duration.ofSeconds(mapping.batchingWindowSeconds())) < 0;
    }

    /**
     * Invokes the function with {@code part} until it is processed or given up on, checkpointing
     * as records are dealt with. Returns false when the poller stopped first.
     */
    private boolean settle(Place place, List<Item> part, int retriesSoFar) {
        List<Item> pending = part;
        int retries = retriesSoFar;
        int invocations = 0;
        while (running) {
            pending = dropExpired(place, pending, invocations);
            if (pending.isEmpty()) {
                return true;
            }
            FunctionInvoker.Result result;
            try {
                result = functions.invoke(mapping.accountId(), mapping.region(), mapping.functionName(), event(place, pending));
            } catch (AwsException e) {
                // Not invoked (throttled, the function is gone): retried until the records expire, without using up retries.
                lastProcessingResult = "PROBLEM: Function call failed";
                pause(PROBLEM_PAUSE);
                continue;
            }
            invocations++;
            // With tumbling windows a response without a state is a failed invocation.
            String state = window == null || result.failed() ? null : TumblingWindow.stateOf(result.payload());
            boolean failed = result.failed() || (window != null && state == null);
            int failedAt = failed ? 0 : mapping.reportsItemFailures() ? firstFailure(result.payload(), pending) : -1;
            if (failedAt != 0 && state != null) {
                window = window.withState(state);
            }
            if (failedAt < 0) {
                commit(place, pending.getLast());
                lastProcessingResult = "OK";
                return endEarlyIfFull(place, pending.getLast());
            }
            lastProcessingResult = "PROBLEM: Function call failed";
            if (failedAt > 0) {
                commit(place, pending.get(failedAt - 1));
                if (!endEarlyIfFull(place, pending.get(failedAt - 1))) {
                    return false;
                }
                pending = pending.subList(failedAt, pending.size());
            }
            if (failed && settings.bisectBatchOnFunctionError() && pending.size() > 1) {
                // Splitting does not use up a retry.
                int half = pending.size() / 2;
                return settle(place, pending.subList(0, half), retries) && settle(place, pending.subList(half, pending.size()), retries);
            }
            retries++;
            if (settings.maximumRetryAttempts() != -1 && retries > settings.maximumRetryAttempts()) {
                discard(place, pending, "RetryAttemptsExhausted", invocations, result);
                return true;
            }
            pause(backoff(retries));
        }
        return false;
    }

    /**
     * Ends the open window early when the state the function returned outgrew
     * {@link TumblingWindow#MAX_STATE_BYTES}: its final invocation says {@code isWindowTerminatedEarly},
     * and the window goes on with a fresh state. Returns false when the poller stopped first.
     */
    private boolean endEarlyIfFull(Place place, Item last) {
        if (window == null || !window.stateTooLarge()) {
            return true;
        }
        if (!invokeFinal(place, true)) {
            return false;
        }
        window = window.fresh();
        commit(place, last);
        return true;
    }

    /** Gives up on the records older than {@code MaximumRecordAgeInSeconds}; returns the rest. */
    private List<Item> dropExpired(Place place, List<Item> pending, int invocations) {
        if (settings.maximumRecordAgeSeconds() == -1) {
            return pending;
        }
        int expired = 0;
        while (expired < pending.size() && Duration.between(pending.get(expired).record().approximateCreation(), clock.instant())
                .compareTo(Duration.ofSeconds(settings.maximumRecordAgeSeconds())) > 0) {
            expired++;
        }
        if (expired > 0) {
            discard(place, pending.subList(0, expired), "RecordAgeExceeded", invocations, null);
        }
        return pending.subList(expired, pending.size());
    }

    /**
     * Skips records given up on, telling the OnFailure destination which. An S3 bucket gets the
     * batch itself too, as an object under {@code aws/lambda/<mapping>/<shard>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<request id>}.
     */
    private void discard(Place place, List<Item> records, String condition, int invocations, FunctionInvoker.Result result) {
        if (settings.onFailureDestination() != null) {
            boolean bucket = settings.onFailureDestination().startsWith("arn:") && settings.onFailureDestination().split(":")[2].equals("s3");
            Instant now = clock.instant();
            String requestId = UUID.randomUUID().toString();
            byte[] payload = StreamFailureRecords.describe(mapping, batchInfoMember, place.shardId(),
                    records.stream().map(Item::record).toList(), condition, invocations, result, now, requestId, bucket ? event(records) : null);
            String objectKey = bucket ? "aws/lambda/" + mapping.uuid() + "/" + place.shardId() + "/" + OBJECT_TIME.format(now) + "-" + requestId : null;
            try {
                destination.send(settings.onFailureDestination(), payload, objectKey);
            } catch (RuntimeException e) {
                LOG.warn("Event source mapping {} could not send a discarded batch to {}", mapping.uuid(), settings.onFailureDestination(), e);
                lastProcessingResult = "PROBLEM: Error sending to OnFailure destination: " + e.getMessage();
            }
        }
        commit(place, records.getLast());
    }

    /**
     * Checkpoints just past {@code last}, the newest record dealt with. Lanes leave the shard's
     * checkpoint alone: it moves once all of them are done.
     */
    private void commit(Place place, Item last) {
        if (concurrent()) {
            return;
        }
        checkpoints.put(mapping.uuid(), place.shardId(), new Checkpoint(place.token(), last.record().sequenceNumber(), false).withWindow(window));
    }

    /**
     * The index of the first record a {@code ReportBatchItemFailures} response names, -1 when it
     * names none, 0 when the whole batch failed (see {@link BatchItemFailures}).
     */
    private static int firstFailure(byte[] payload, List<Item> records) {
        List<String> ids = records.stream().map(item -> item.record().sequenceNumber()).toList();
        Set<String> failed = BatchItemFailures.named(payload, ids);
        for (int i = 0; i < ids.size(); i++) {
            if (failed.contains(ids.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] event(List<Item> items) {
        return records(items).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The event of an invocation in {@code place}: its records and, with a tumbling window, the window's members. */
    private byte[] event(Place place, List<Item> items) {
        ObjectNode event = records(items);
        if (window != null) {
            window.decorate(event, place.shardId(), mapping.eventSourceArn(), false, false);
        }
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode records(List<Item> items) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        items.forEach(item -> records.add(item.json()));
        return event;
    }

    private static ObjectNode parse(ChangeFeed.Record record) {
        try {
            return (ObjectNode) JSON.readTree(record.json());
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("The feed returned a record that is not a JSON object: " + record.sequenceNumber(), e);
        }
    }

    /** Orders sequence numbers: numerically when both are decimal (DynamoDB, Kinesis), else as text. */
    static int compareSequence(String a, String b) {
        if (!a.isEmpty() && !b.isEmpty() && a.chars().allMatch(Character::isDigit) && b.chars().allMatch(Character::isDigit)) {
            return new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b));
        }
        return a.compareTo(b);
    }

    private static Duration backoff(int retries) {
        long millis = FIRST_RETRY.toMillis() << Math.min(retries - 1, 10);
        return Duration.ofMillis(Math.min(millis, LAST_RETRY.toMillis()));
    }

    private void pause(Duration duration) {
        try {
            stopping.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
