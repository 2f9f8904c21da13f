package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.spi.Buckets;
import io.stratus.protocol.RequestObserver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server access logs: each answered request to a bucket with {@link BucketLogging} becomes a line
 * ({@link AccessLogLines}) in a batch per bucket (and per day of the requests), which a worker
 * writes as a log object into the target bucket every interval, as S3's log delivery
 * ({@code logging.s3.amazonaws.com}) would, and once more when the service stops. Like S3's,
 * delivery is best effort: a batch not yet written is lost if the process dies, and one the target
 * bucket's policy no longer lets in (or a target that is gone) is dropped. Thread-safe.
 */
final class AccessLogs implements RequestObserver, AutoCloseable {

    /** How often buffered log lines are written, an ISO-8601 duration ({@code PT10S}); S3 takes minutes to hours. */
    static final String INTERVAL_PROPERTY = "stratus.s3.accessLogInterval";
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /** A batch this large is written without waiting for the interval. */
    private static final int MAX_BATCH_CHARS = 1 << 20;
    /** Parsed configurations kept by their document; cleared when it holds more. */
    private static final int MAX_PARSED = 256;
    private static final Logger LOG = LoggerFactory.getLogger(AccessLogs.class);

    /** Lines of one source bucket's requests made on one day, not yet written. */
    private static final class Batch {
        final Bucket source;
        final BucketLogging logging;
        final Instant firstEvent;
        final StringBuilder lines = new StringBuilder();

        Batch(Bucket source, BucketLogging logging, Instant firstEvent) {
            this.source = source;
            this.logging = logging;
            this.firstEvent = firstEvent;
        }
    }

    private final BucketStore buckets;
    private final BucketAccess access;
    private final Buckets delivery;
    private final Clock clock;
    private final Duration interval;
    private final Map<String, Batch> batches = new ConcurrentHashMap<>();
    private final Map<String, Optional<BucketLogging>> parsed = new ConcurrentHashMap<>();
    private final Object flushing = new Object();
    private volatile ScheduledExecutorService worker;

    AccessLogs(BucketStore buckets, BucketAccess access, Buckets delivery, Clock clock, Duration interval) {
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.access = requireNonNull(access, "access is null");
        this.delivery = requireNonNull(delivery, "delivery is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.interval = requireNonNull(interval, "interval is null");
    }

    /** The interval {@link #INTERVAL_PROPERTY} sets, else {@link #DEFAULT_INTERVAL}. */
    static Duration intervalFromSystemProperties() {
        String value = System.getProperty(INTERVAL_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_INTERVAL;
        }
        try {
            Duration parsed = Duration.parse(value.trim());
            if (parsed.isNegative() || parsed.isZero()) {
                throw new IllegalArgumentException(INTERVAL_PROPERTY + " must be positive: " + value);
            }
            return parsed;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(INTERVAL_PROPERTY + " is not an ISO-8601 duration such as PT10S: " + value, e);
        }
    }

    synchronized void start() {
        worker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("s3-access-logs").factory());
        worker.scheduleWithFixedDelay(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void completed(Completed completed) {
        String path = completed.request().path();
        String bucket = BucketNames.ofPath(path);
        if (bucket == null) {
            return; // ListBuckets
        }
        BucketLogging logging = logging(bucket);
        if (logging == null) {
            return;
        }
        Bucket source = BucketStore.read(buckets.store(), bucket);
        if (source == null) {
            return;
        }
        String key = path.length() > bucket.length() + 2 ? path.substring(bucket.length() + 2) : null; // after "/<bucket>/"
        String line = AccessLogLines.line(completed, BucketOperations.owner(source.account()).id(), bucket, key);
        Instant at = completed.context().receivedAt();
        // One log object holds one day's requests, which a key partitioned by event time needs.
        String batchKey = bucket + "/" + at.getEpochSecond() / 86_400;
        Batch batch = batches.compute(batchKey, (k, current) -> {
            Batch appended = current != null ? current : new Batch(source, logging, at);
            appended.lines.append(line);
            return appended;
        });
        ScheduledExecutorService running = worker;
        if (batch.lines.length() > MAX_BATCH_CHARS && running != null) {
            running.execute(this::flush);
        }
    }

    /** The bucket's logging configuration, or null when it logs nothing. */
    private BucketLogging logging(String bucket) {
        Optional<byte[]> document = buckets.config(bucket, LoggingOperations.SUBRESOURCE);
        if (document.isEmpty()) {
            return null;
        }
        String text = new String(document.get(), StandardCharsets.UTF_8);
        Optional<BucketLogging> logging = parsed.get(text);
        if (logging == null) {
            if (parsed.size() >= MAX_PARSED) {
                parsed.clear();
            }
            logging = Optional.ofNullable(BucketLogging.parse(document.get()));
            parsed.put(text, logging);
        }
        return logging.orElse(null);
    }

    /** Writes every batch buffered so far. */
    void flush() {
        synchronized (flushing) {
            for (String key : batches.keySet()) {
                Batch batch = batches.remove(key);
                if (batch != null) {
                    deliver(batch);
                }
            }
        }
    }

    private void deliver(Batch batch) {
        BucketLogging logging = batch.logging;
        try {
            Bucket target = BucketStore.read(buckets.store(), logging.targetBucket());
            Instant now = clock.instant();
            String unique = HexFormat.of().withUpperCase().formatHex(longBytes(ThreadLocalRandom.current().nextLong()));
            String key = logging.key(batch.source, batch.firstEvent, now, unique);
            if (target == null || !target.account().equals(batch.source.account()) || !access.allowsLogDelivery(target, batch.source, key, now)) {
                LOG.debug("Server access logs of {} dropped: {} does not let log delivery write {}", batch.source.name(), logging.targetBucket(), key);
                return;
            }
            delivery.put(target.name(), key, batch.lines.toString().getBytes(StandardCharsets.UTF_8), "text/plain");
        } catch (RuntimeException e) {
            LOG.warn("Server access logs of {} could not be written to {}: {}", batch.source.name(), logging.targetBucket(), e.getMessage());
        }
    }

    private static byte[] longBytes(long value) {
        byte[] bytes = new byte[8];
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) value;
            value >>>= 8;
        }
        return bytes;
    }

    /** Stops the worker and writes what is buffered. */
    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = worker;
            worker = null;
        }
        if (running != null) {
            running.shutdown();
            try {
                running.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }
}
