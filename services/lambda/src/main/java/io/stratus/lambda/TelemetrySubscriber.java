package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One extension's subscription to the Telemetry API (or the older Logs API): the events of the
 * types it asked for, queued and sent in batches to where it listens, on a virtual thread of its
 * own, as Lambda buffers them: a batch goes when it holds {@code maxItems} events or
 * {@code maxBytes} of them, or {@code timeoutMs} after its first event. Over HTTP a batch is one
 * POST (or PUT, as a Logs API subscriber may ask) of a JSON array; over TCP each event is a line
 * of JSON. A batch the subscriber does not take (no listener, an error status) is tried twice
 * more, then dropped; so are events that pile up beyond four batches' bytes while it is slow. Both
 * are told to it in a {@code platform.logsDropped} event, as AWS does.
 *
 * <p>Thread-safe: events are offered from the environment's threads, sent from the subscriber's.
 */
final class TelemetrySubscriber {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetrySubscriber.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
    private static final long[] RETRY_DELAYS_MILLIS = {100, 400};
    private static final String SLOW_CONSUMER = "Some logs were dropped because the downstream consumer is slower than the logs production rate";

    /** Where the events go: an HTTP URI, or a TCP port, on the environment's own address. */
    record Destination(String protocol, URI uri, int port, String method) {}

    /** How events are batched (the subscription's {@code buffering}). */
    record Buffering(int maxItems, int maxBytes, int timeoutMs) {}

    private final String extension;
    private final TelemetryApi.Flavor flavor;
    private final Set<String> types;
    private final Destination destination;
    private final Buffering buffering;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long batchOpenedNanos;
    private boolean sending;
    /** What the notice at the head of the batch being sent counted (0 for none); read and written under the lock. */
    private int noticeRecords;
    private long noticeBytes;
    private boolean flushing;
    private boolean closed;
    private int droppedRecords;
    private long droppedBytes;
    private String dropReason;
    private volatile Socket tcp;

    TelemetrySubscriber(String extension, TelemetryApi.Flavor flavor, Set<String> types, Destination destination, Buffering buffering) {
        this.extension = requireNonNull(extension, "extension is null");
        this.flavor = requireNonNull(flavor, "flavor is null");
        this.types = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(types));
        this.destination = requireNonNull(destination, "destination is null");
        this.buffering = requireNonNull(buffering, "buffering is null");
    }

    String extension() {
        return extension;
    }

    TelemetryApi.Flavor flavor() {
        return flavor;
    }

    Set<String> types() {
        return types;
    }

    /** Starts sending; events offered before are sent in the first batch. */
    void start() {
        Thread.ofVirtual().name("lambda-telemetry-" + extension).start(this::run);
    }

    /** Queues an event for this subscriber, if it asked for its category. */
    void offer(TelemetryApi.Event event) {
        if (!types.contains(event.category())) {
            return;
        }
        String json = event.render(flavor);
        if (json == null) {
            return;
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (queuedBytes + json.length() > 4L * buffering.maxBytes()) {
                drop(1, json.length(), SLOW_CONSUMER);
                return;
            }
            if (queue.isEmpty()) {
                batchOpenedNanos = System.nanoTime();
            }
            queue.addLast(json);
            queuedBytes += json.length();
            // The sender starts a batch's timer at its first event, and sends a full one at once.
            if (queue.size() == 1 || queue.size() >= buffering.maxItems() || queuedBytes >= buffering.maxBytes()) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends what is queued now and waits, at most {@code timeout}, until it is sent (or given up on). */
    void flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            flushing = true;
            changed.signalAll();
            while ((!queue.isEmpty() || sending) && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            flushing = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Stops sending; what is still queued is dropped. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        closeTcp();
    }

    private void drop(int records, long bytes, String reason) {
        droppedRecords += records;
        droppedBytes += bytes;
        dropReason = reason;
    }

    private void run() {
        while (true) {
            List<String> batch = new ArrayList<>();
            lock.lock();
            try {
                while (!closed && !due()) {
                    if (queue.isEmpty()) {
                        changed.await();
                    } else {
                        long waited = System.nanoTime() - batchOpenedNanos;
                        changed.awaitNanos(Math.max(1, TimeUnit.MILLISECONDS.toNanos(buffering.timeoutMs()) - waited));
                    }
                }
                if (closed) {
                    return;
                }
                // What was dropped since the last batch is told at the head of this one (a notice goes with events, never alone).
                noticeRecords = droppedRecords;
                noticeBytes = droppedBytes;
                if (noticeRecords > 0) {
                    batch.add(TelemetryApi.Event.logsDropped(System.currentTimeMillis(), dropReason, noticeRecords, noticeBytes).render(flavor));
                    droppedRecords = 0;
                    droppedBytes = 0;
                }
                long bytes = 0;
                while (!queue.isEmpty() && batch.size() < buffering.maxItems() && (bytes < buffering.maxBytes() || batch.isEmpty())) {
                    String event = queue.removeFirst();
                    bytes += event.length();
                    queuedBytes -= event.length();
                    batch.add(event);
                }
                batchOpenedNanos = System.nanoTime();
                sending = true;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            boolean sent = send(batch);
            lock.lock();
            try {
                sending = false;
                if (!sent) {
                    // The notice, if there was one, is not an event of its own: what it counted is counted again.
                    List<String> events = noticeRecords > 0 ? batch.subList(1, batch.size()) : batch;
                    drop(noticeRecords + events.size(), noticeBytes + events.stream().mapToLong(String::length).sum(),
                            dropReason == null ? "could not send events" : dropReason);
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Whether a batch should go now (called under the lock): only with events, so a notice of drops waits for the next of them. */
    private boolean due() {
        if (queue.isEmpty()) {
            return false;
        }
        return flushing || queue.size() >= buffering.maxItems() || queuedBytes >= buffering.maxBytes()
                || System.nanoTime() - batchOpenedNanos >= TimeUnit.MILLISECONDS.toNanos(buffering.timeoutMs());
    }

    private boolean send(List<String> batch) {
        for (int attempt = 0; ; attempt++) {
            String failure = destination.protocol().equals("TCP") ? sendTcp(batch) : sendHttp(batch);
            if (failure == null) {
                return true;
            }
            if (attempt == RETRY_DELAYS_MILLIS.length || isClosed()) {
                LOG.debug("Telemetry for extension {} dropped: {}", extension, failure);
                lock.lock();
                try {
                    dropReason = "could not send events: " + failure;
                } finally {
                    lock.unlock();
                }
                return false;
            }
            try {
                Thread.sleep(RETRY_DELAYS_MILLIS[attempt]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private String sendHttp(List<String> batch) {
        String body = "[" + String.join(",", batch) + "]";
        HttpRequest request = HttpRequest.newBuilder(destination.uri()).timeout(SEND_TIMEOUT).header("Content-Type", "application/json")
                .method(destination.method(), HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<Void> response = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() < 400 ? null : "the subscriber answered " + response.statusCode();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private String sendTcp(List<String> batch) {
        StringBuilder lines = new StringBuilder();
        batch.forEach(event -> lines.append(event).append('\n'));
        try {
            if (tcp == null || tcp.isClosed()) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(destination.uri().getHost(), destination.port()), 1000);
                tcp = socket;
            }
            OutputStream out = tcp.getOutputStream();
            out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return null;
        } catch (IOException e) {
            closeTcp();
            return e.toString();
        }
    }

    private void closeTcp() {
        Socket socket = tcp;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Gone either way.
            }
        }
    }
}
