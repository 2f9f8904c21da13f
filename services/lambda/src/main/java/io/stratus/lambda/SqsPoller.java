package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.core.spi.Queues;
import io.stratus.core.spi.Queues.ReceivedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds an SQS queue to a function, as Lambda's SQS event source does: workers each receive
 * a batch (long polling; gathering up to {@code BatchSize} for the batching window), drop and
 * delete the messages no filter matches, invoke the function with the rest as an {@code aws:sqs}
 * event, and delete what it processed: the whole batch on success, all but the reported
 * {@code batchItemFailures} with {@code ReportBatchItemFailures}, nothing when the invocation
 * fails or is throttled, so those messages come back after the queue's visibility timeout and,
 * past its {@code maxReceiveCount}, go to its dead-letter queue.
 *
 * <p>The workers scale as AWS's pollers do: two long-poll a quiet queue (five when
 * {@code MaximumConcurrency} is set, which turns that saving off); once messages come, five
 * batches are processed at a time, and while batches keep coming full, one more worker a
 * {@value #SCALE_UP_MILLIS} ms (AWS adds up to 300 a minute), up to {@code MaximumConcurrency}, else
 * {@value #MAX_BATCHES}. A worker whose receive comes back empty, or whose invocation is throttled,
 * retires while more than the quiet count run. Thread-safe.
 */
final class SqsPoller implements MappingPoller {

    private static final Logger LOG = LoggerFactory.getLogger(SqsPoller.class);
    /** The message attribute with the X-Ray trace header its sender's request came with. */
    private static final String TRACE_HEADER = "AWSTraceHeader";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What an invocation's event may weigh, as for a synchronous Invoke. */
    static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;
    /** Workers on a quiet queue without {@code MaximumConcurrency}. */
    static final int QUIET_WORKERS = 2;
    /** Batches processed at once as soon as messages come (and on a quiet queue with {@code MaximumConcurrency}). */
    static final int ACTIVE_WORKERS = 5;
    /** The most batches one mapping processes at once, as on AWS. */
    static final int MAX_BATCHES = 1000;
    static final long SCALE_UP_MILLIS = 200;

    private static final Duration LONG_POLL = Duration.ofSeconds(20);
    private static final Duration BACKOFF = Duration.ofSeconds(1);
    private static final Set<String> EVENT_ATTRIBUTES = Set.of("ApproximateReceiveCount", "SentTimestamp", "SenderId",
            "ApproximateFirstReceiveTimestamp", "SequenceNumber", "MessageGroupId", "MessageDeduplicationId", "AWSTraceHeader");

    private final EventSourceMapping mapping;
    private final Arn queue;
    private final Queues queues;
    private final FunctionInvoker functions;
    private final EventFilter filter;
    /** At most this many workers (MaximumConcurrency, else MAX_BATCHES), and never fewer than {@link #quiet} while running. */
    private final int ceiling;
    private final int quiet;
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    /** Workers started, for their names; under {@code this}. */
    private int started;
    /** When the last worker was added because batches came full; under {@code this}. */
    private long grownNanos;
    private volatile boolean running = true;
    private volatile String lastProcessingResult = "No records processed";

    SqsPoller(EventSourceMapping mapping, Queues queues, FunctionInvoker functions) {
        this.mapping = requireNonNull(mapping, "mapping is null");
        this.queue = Arn.parse(mapping.eventSourceArn());
        this.queues = requireNonNull(queues, "queues is null");
        this.functions = requireNonNull(functions, "functions is null");
        this.filter = new EventFilter(mapping.filters());
        this.ceiling = mapping.maximumConcurrency() == null ? MAX_BATCHES : Math.min(mapping.maximumConcurrency(), MAX_BATCHES);
        this.quiet = Math.min(ceiling, mapping.maximumConcurrency() == null ? QUIET_WORKERS : ACTIVE_WORKERS);
    }

    @Override
    public void start() {
        synchronized (this) {
            while (workers.size() < quiet) {
                addWorker();
            }
        }
    }

    /** Under {@code this}. */
    private void addWorker() {
        Thread worker = Thread.ofVirtual().name("lambda-sqs-" + mapping.uuid() + "-" + started++).unstarted(this::work);
        workers.add(worker);
        worker.start();
    }

    /** Messages came: at least {@value #ACTIVE_WORKERS} at work, and one more a step while batches come {@code full}. */
    private synchronized void grow(boolean full) {
        if (!running) {
            return;
        }
        while (workers.size() < Math.min(ACTIVE_WORKERS, ceiling)) {
            addWorker();
        }
        long now = System.nanoTime();
        if (full && workers.size() < ceiling && now - grownNanos >= TimeUnit.MILLISECONDS.toNanos(SCALE_UP_MILLIS)) {
            grownNanos = now;
            addWorker();
        }
    }

    /** Whether the calling worker stops, there being more than a quiet queue needs. */
    private synchronized boolean retire() {
        if (running && workers.size() > quiet) {
            workers.remove(Thread.currentThread());
            return true;
        }
        return false;
    }

    @Override
    public String lastProcessingResult() {
        return lastProcessingResult;
    }

    @Override
    public void close() {
        List<Thread> stopping;
        synchronized (this) {
            running = false;
            stopping = List.copyOf(workers);
        }
        stopping.forEach(Thread::interrupt);
        // Five seconds in all, however many workers there are.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Thread worker : stopping) {
            try {
                worker.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void work() {
        while (running) {
            try {
                List<ReceivedMessage> batch = gather();
                if (batch.isEmpty()) {
                    if (retire()) {
                        return;
                    }
                    continue;
                }
                grow(batch.size() >= mapping.batchSize());
                if (!process(batch) && retire()) {
                    return;
                }
            } catch (AwsException e) {
                // The queue is gone or refuses: say so and try again later, as Lambda keeps polling (with fewer workers).
                lastProcessingResult = "PROBLEM: " + e.getMessage();
                pause();
                if (retire()) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warn("Event source mapping {} failed a batch", mapping.uuid(), e);
                pause();
                if (retire()) {
                    return;
                }
            }
        }
    }

    /** A batch: one long-polled receive, then more until {@code BatchSize} or the batching window ends. */
    private List<ReceivedMessage> gather() {
        List<ReceivedMessage> batch = new ArrayList<>(queues.receive(queue, Math.min(10, mapping.batchSize()), LONG_POLL, null));
        long deadline = System.nanoTime() + Duration.ofSeconds(mapping.batchingWindowSeconds()).toNanos();
        while (running && !batch.isEmpty() && batch.size() < mapping.batchSize() && System.nanoTime() < deadline) {
            long left = Math.max(0, deadline - System.nanoTime());
            List<ReceivedMessage> more = queues.receive(queue, Math.min(10, mapping.batchSize() - batch.size()),
                    Duration.ofNanos(left).truncatedTo(ChronoUnit.SECONDS), null);
            if (more.isEmpty() && left < 1_000_000_000L) {
                break;
            }
            batch.addAll(more);
        }
        return batch;
    }

    /** Invokes the function with {@code batch}; false when the invocation was throttled (or the function is gone). */
    private boolean process(List<ReceivedMessage> batch) {
        List<ReceivedMessage> records = new ArrayList<>();
        ArrayNode events = JSON.createArrayNode();
        int size = 0;
        for (ReceivedMessage message : batch) {
            ObjectNode record = record(message);
            if (!filter.matches(record)) {
                // Messages no filter matches are consumed, as on AWS.
                queues.delete(queue, message.receiptHandle());
                continue;
            }
            int recordSize = record.toString().getBytes(StandardCharsets.UTF_8).length + 1;
            if (size + recordSize > MAX_EVENT_BYTES - 64 && !records.isEmpty()) {
                // Past what one invocation can carry: hand it back for the next batch.
                queues.changeVisibility(queue, message.receiptHandle(), Duration.ZERO);
                continue;
            }
            size += recordSize;
            records.add(message);
            events.add(record);
        }
        if (records.isEmpty()) {
            return true;
        }
        ObjectNode event = JSON.createObjectNode();
        event.set("Records", events);
        // The invocation continues the trace of the batch's most travelled message (see TraceLineage).
        ReceivedMessage traced = null;
        int tracedDepth = -1;
        for (ReceivedMessage message : records) {
            String header = message.attributes().get(TRACE_HEADER);
            int depth = header == null ? -1 : TraceLineage.of(header).depth();
            if (depth > tracedDepth) {
                traced = message;
                tracedDepth = depth;
            }
        }
        FunctionInvoker.Result result;
        try {
            result = functions.invoke(mapping.accountId(), mapping.region(), mapping.functionName(), event.toString().getBytes(StandardCharsets.UTF_8),
                    traced == null ? null : traced.attributes().get(TRACE_HEADER));
        } catch (AwsException e) {
            if (e.errorCode() == LambdaErrors.RECURSIVE_INVOCATION) {
                // That message runs in a loop: it stays hidden and returns to the queue (and, by its redrive policy, reaches the
                // dead-letter queue) as a failed message does; the others go out again at once, without it.
                lastProcessingResult = "PROBLEM: Recursive invocation stopped";
                LOG.warn("Event source mapping {} stopped a message of {} running in a recursive loop", mapping.uuid(), mapping.functionName());
                for (ReceivedMessage message : records) {
                    if (message != traced) {
                        queues.changeVisibility(queue, message.receiptHandle(), Duration.ZERO);
                    }
                }
                return true;
            }
            // Throttled or gone: the messages come back after their visibility timeout.
            lastProcessingResult = "PROBLEM: Function call failed";
            pause();
            return false;
        }
        if (result.failed()) {
            lastProcessingResult = "PROBLEM: Function call failed";
            return true;
        }
        Set<String> failed = mapping.reportsItemFailures() ? BatchItemFailures.named(result.payload(), records.stream().map(ReceivedMessage::messageId).toList()) : Set.of();
        for (ReceivedMessage message : records) {
            if (!failed.contains(message.messageId())) {
                queues.delete(queue, message.receiptHandle());
            }
        }
        lastProcessingResult = "OK";
        return true;
    }

    /** A message as an {@code aws:sqs} event record. */
    private ObjectNode record(ReceivedMessage message) {
        ObjectNode record = JSON.createObjectNode();
        record.put("messageId", message.messageId());
        record.put("receiptHandle", message.receiptHandle());
        record.put("body", message.body());
        ObjectNode attributes = record.putObject("attributes");
        message.attributes().forEach((name, value) -> {
            if (EVENT_ATTRIBUTES.contains(name)) {
                attributes.put(name, value);
            }
        });
        ObjectNode messageAttributes = record.putObject("messageAttributes");
        message.messageAttributes().forEach((name, value) -> {
            ObjectNode attribute = messageAttributes.putObject(name);
            if (value.stringValue() != null) {
                attribute.put("stringValue", value.stringValue());
            }
            if (value.binaryValue() != null) {
                attribute.put("binaryValue", Base64.getEncoder().encodeToString(value.binaryValue()));
            }
            attribute.putArray("stringListValues");
            attribute.putArray("binaryListValues");
            attribute.put("dataType", value.dataType());
        });
        record.put("md5OfBody", message.md5OfBody());
        if (message.md5OfMessageAttributes() != null) {
            record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
        }
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", mapping.eventSourceArn());
        record.put("awsRegion", queue.region());
        return record;
    }

    private void pause() {
        try {
            Thread.sleep(BACKOFF);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
