package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.lambda.RuntimeApiConnection.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Lambda Runtime API of one execution environment, on a loopback port of its own (and, for
 * Stratus's own bootstraps, on a Unix domain socket of its own, see {@link #localAddress()}): the runtime
 * process long-polls {@code /2018-06-01/runtime/invocation/next}, then posts the invocation's
 * {@code response} or {@code error}, or {@code /runtime/init/error} when it cannot load the handler.
 *
 * <p>A small HTTP/1.1 server of its own (the protocol's side is {@link RuntimeApiConnection}, its sockets {@link RuntimeApiSockets}), one
 * platform thread per connection blocked in its socket's read (a runtime keeps one connection): the kernel
 * wakes that thread when a request arrives, with no poller thread and no virtual thread hand-off in
 * between. A {@code next} that finds no event leaves its connection waiting; {@link #submit} then
 * writes the event to it from the submitting thread, so an invocation reaches the runtime without
 * waking any thread of this server.
 *
 * <p>Thread-safe: {@link #submit} may be called from any thread; the connections' threads complete
 * the futures it hands out.
 */
final class RuntimeApiServer implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";
    /** AWS's limit on a synchronous response: 6 MB and 100 bytes, as the error it answers past it reports. */
    static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;
    /** The most a streamed response may carry: AWS's 200 MB (20 MB until 2025). */
    static final int MAX_STREAMED_RESPONSE_BYTES = 200 * 1024 * 1024;

    /**
     * One event for the runtime.
     *
     * @param timeoutMillis the function's timeout; the deadline runs from when the runtime takes the
     *     event, so initialization does not count against it (as on AWS)
     */
    record Event(String requestId, byte[] payload, long timeoutMillis, String functionArn, String traceId, String clientContext) {

        Event {
            requireNonNull(requestId, "requestId is null");
            requireNonNull(payload, "payload is null");
            requireNonNull(functionArn, "functionArn is null");
            requireNonNull(traceId, "traceId is null");
        }
    }

    /** What the runtime answered: a response, or an error document with its type. */
    sealed interface Outcome {
        /** @param stream the streamed response this is, or null for a buffered one */
        record Response(byte[] body, StreamedResponse stream) implements Outcome {
            Response(byte[] body) {
                this(body, null);
            }
        }

        /**
         * @param exiting whether the runtime exits after it: its environment serves no more invocations
         * @param stream a streamed response the error ended midway (what was streamed before it), or null
         */
        record Error(byte[] body, String errorType, boolean exiting, StreamedResponse stream) implements Outcome {
            Error(byte[] body, String errorType) {
                this(body, errorType, false, null);
            }

            Error(byte[] body, String errorType, boolean exiting) {
                this(body, errorType, exiting, null);
            }
        }
    }

    /**
     * An event on its way through the runtime.
     *
     * @param taken completes with {@link System#nanoTime()} when the runtime takes the event
     * @param outcome completes with the runtime's answer
     * @param settled completes when {@code outcome} does, or when the server is {@linkplain #abandon()
     *     abandoned} (the runtime failed): what an invoker waits on
     * @param streaming completes when the runtime begins to stream its response, on the connection's
     *     thread, before the response's first byte is read; its outcome follows once the stream ends
     */
    record Invocation(Event event, CompletableFuture<Long> taken, CompletableFuture<Outcome> outcome, CompletableFuture<Void> settled,
            CompletableFuture<StreamedResponse> streaming) {

        private void answer(Outcome answer) {
            outcome.complete(answer);
            settled.complete(null);
        }
    }

    /** Where it listens (see {@link RuntimeApiSockets}). */
    private final RuntimeApiSockets sockets;
    /** Guards {@link #queue} and {@link #waiting}, and orders {@link #abandoned}'s setting against them. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    /** Events no {@code next} has taken yet, oldest first. */
    private final ArrayDeque<Invocation> queue = new ArrayDeque<>();
    /** A connection whose {@code next} waits for an event, or null. */
    private RuntimeApiConnection waiting;
    private volatile boolean abandoned;
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Outcome.Error> initError = new CompletableFuture<>();
    /** Completes at the runtime's first {@code next}: its initialization is done. */
    private final CompletableFuture<Void> initialized = new CompletableFuture<>();
    private final ExtensionsApi extensions;
    private volatile boolean closed;

    private RuntimeApiServer(RuntimeApiSockets sockets, ExtensionsApi extensions) {
        this.sockets = sockets;
        this.extensions = extensions;
        // An extension that fails while the environment initializes fails its initialization.
        extensions.failure().thenAccept(failure -> failInit(new Outcome.Error(json("{\"errorMessage\":"
                + quoted("Extension " + failure.extension() + " failed: " + failure.errorType()) + ",\"errorType\":" + quoted(failure.errorType()) + "}"),
                failure.errorType())));
    }

    /** As {@link #start(Path, ExtensionsApi)}, with an Extensions API for no function in particular (for tests). */
    static RuntimeApiServer start(Path socketPath) throws IOException {
        return start(socketPath, new ExtensionsApi(new ExtensionsApi.Function("function", "$LATEST", "handler", "000000000000"),
                java.time.Clock.systemUTC()));
    }

    /**
     * Starts serving on a loopback port and, unless {@code socketPath} is null, on a Unix domain
     * socket there (which {@link #close} deletes); should the socket fail, on the port alone.
     */
    static RuntimeApiServer start(Path socketPath, ExtensionsApi extensions) throws IOException {
        RuntimeApiSockets sockets = RuntimeApiSockets.open(socketPath);
        RuntimeApiServer api = new RuntimeApiServer(sockets, extensions);
        sockets.start(api::serve);
        return api;
    }

    /** {@code host:port}, as {@code AWS_LAMBDA_RUNTIME_API} gives it to the runtime. */
    String address() {
        return sockets.address();
    }

    /**
     * The path of the same API's Unix domain socket, or null where there is none: Stratus's own
     * bootstraps connect there (a message through it costs both sides less than through loopback
     * TCP); a zip's own bootstrap and AWS's Java client use {@link #address()}, as on AWS.
     */
    String localAddress() {
        return sockets.localAddress();
    }

    /**
     * Hands an event to the runtime: written at once, by the calling thread, when the runtime waits
     * in {@code next}; else queued for its next {@code next}.
     */
    Invocation submit(Event event) {
        return submit(event, null);
    }

    /**
     * Like {@link #submit(Event)}; {@code streaming}, when not null, follows the response should the
     * runtime stream it (see {@link StreamedResponse#follow}), told on the connection's thread before
     * the response's first byte is read.
     */
    Invocation submit(Event event, java.util.function.Consumer<StreamedResponse> streaming) {
        return submit(event, streaming, null);
    }

    /**
     * Like {@link #submit(Event, java.util.function.Consumer)}; {@code taking}, when not null, runs
     * when the runtime takes the event, before the event is written to it (so before anything the
     * function does with it).
     */
    Invocation submit(Event event, java.util.function.Consumer<StreamedResponse> streaming, Runnable taking) {
        Invocation invocation = new Invocation(event, new CompletableFuture<>(), new CompletableFuture<>(), new CompletableFuture<>(),
                new CompletableFuture<>());
        if (taking != null) {
            // Registered before the event can be delivered: run by deliver's completion of taken, ahead of the write.
            invocation.taken().thenRun(taking);
        }
        if (streaming != null) {
            invocation.streaming().thenAccept(stream -> {
                stream.follow();
                streaming.accept(stream);
            });
        }
        RuntimeApiConnection runtime;
        lock.lock();
        try {
            if (abandoned) {
                invocation.settled().complete(null);
            }
            runtime = waiting;
            waiting = null;
            if (runtime == null) {
                queue.add(invocation);
                queued.signal();
                return invocation;
            }
        } finally {
            lock.unlock();
        }
        try {
            deliver(invocation, runtime, false);
        } catch (IOException e) {
            // The runtime is gone: its exit (or the invocation's timeout) answers the invocation.
            RuntimeApiSockets.closeQuietly(runtime.socket());
        }
        return invocation;
    }

    /**
     * Settles every invocation, queued, in flight and to come, without an outcome: the runtime failed
     * (exited, ran out of memory, or could not initialize) and will answer none of them.
     */
    void abandon() {
        lock.lock();
        try {
            abandoned = true;
            queue.forEach(invocation -> invocation.settled().complete(null));
        } finally {
            lock.unlock();
        }
        inFlight.values().forEach(invocation -> invocation.settled().complete(null));
    }

    /** Fails the initialization, unless the runtime initialized already. */
    private void failInit(Outcome.Error error) {
        if (!initialized.isDone()) {
            initError.complete(error);
        }
    }

    /** The Extensions API served with this one. */
    ExtensionsApi extensions() {
        return extensions;
    }

    /** Completes when the runtime asks for its first event, having initialized. */
    CompletableFuture<Void> initialized() {
        return initialized;
    }

    /** Completes when the runtime reports that it could not initialize. */
    CompletableFuture<Outcome.Error> initError() {
        return initError;
    }

    /** Reads and answers the connection's requests in turn until it closes (on its own thread, see {@link RuntimeApiSockets}). */
    private void serve(RuntimeApiConnection connection) throws IOException {
        try {
            while (!closed) {
                Request request;
                try {
                    request = read(connection);
                    if (request == null) {
                        return;
                    }
                } catch (RuntimeApiConnection.BadRequest e) {
                    connection.respond(400, "Bad Request", json("{\"errorMessage\":\"" + e.getMessage() + "\",\"errorType\":\"InvalidRequest\"}"),
                            true);
                    return;
                }
                if (!handle(request, connection) || request.close()) {
                    return;
                }
            }
        } finally {
            lock.lock();
            try {
                if (waiting == connection) {
                    waiting = null;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Reads one request; null at the connection's end before a request. A request that arrives while
     * this connection's {@code next} is still unanswered (pipelined behind it) waits for that answer
     * first, so the answers go out in order.
     */
    private Request read(RuntimeApiConnection connection) throws IOException {
        String requestLine = connection.readRequestLine();
        if (requestLine == null || !answerWaitingNext(connection)) {
            return null;
        }
        return connection.readRequest(requestLine, this::streaming);
    }

    /** A runtime began to stream an invocation's response: those who follow the invocation may follow the stream. */
    private void streaming(String path, StreamedResponse stream) {
        String[] parts = path.startsWith(PREFIX) ? path.substring(PREFIX.length()).split("/") : new String[0];
        if (parts.length == 3 && parts[0].equals("invocation") && parts[2].equals("response")) {
            Invocation pending = inFlight.get(parts[1]);
            if (pending != null) {
                pending.streaming().complete(stream);
            }
        }
    }

    /** Answers one request; false when the connection is to close (this server is closing). */
    private boolean handle(Request request, RuntimeApiConnection connection) throws IOException {
        byte[] body = request.body();
        String path = request.path();
        String method = request.method();
        String route = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        if (path.startsWith(ExtensionsApi.PREFIX)) {
            return extensions.handle(request, connection);
        } else if (isTelemetry(path)) {
            extensions.telemetry().handle(request, connection, extensions::nameOf);
        } else if (method.equals("GET") && route.equals("invocation/next") && !initError.isDone()) {
            return next(connection, request.close());
        } else if (method.equals("POST") && route.equals("init/error")) {
            // Only while it initializes, as AWS's Runtime API takes it: later, or twice, is a transition it refuses.
            String state = initError.isDone() ? "InitError" : initialized.isDone() ? "Ready" : null;
            if (state != null) {
                connection.respond(403, "Forbidden", invalidTransition(state, "InitError"), request.close());
            } else {
                initError.complete(new Outcome.Error(body, errorType(request)));
                connection.respond(202, "Accepted", OK, request.close());
            }
        } else if (method.equals("GET") && route.equals("invocation/next") && initError.isDone()) {
            connection.respond(403, "Forbidden", invalidTransition("InitError", "Ready"), request.close());
        } else if (method.equals("POST") && route.startsWith("invocation/")) {
            answer(request, route, connection);
        } else {
            connection.respond(404, "Not Found", json("{\"errorMessage\":\"Unknown Runtime API path " + path + "\",\"errorType\":\"InvalidRequest\"}"),
                    request.close());
        }
        return true;
    }

    private static final byte[] OK = json("{\"status\":\"OK\"}");

    /** Whether a path is the Telemetry API's or the Logs API's (with or without a trailing slash, as AWS's guide writes both). */
    private static boolean isTelemetry(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.equals(TelemetryApi.TELEMETRY_PATH) || trimmed.equals(TelemetryApi.LOGS_PATH);
    }

    /** AWS's answer to a request its runtime state machine does not allow in {@code from}. */
    private static byte[] invalidTransition(String from, String to) {
        return json("{\"errorMessage\":\"State transition from " + from + " to " + to
                + " failed for runtime. Error: State transition is not allowed\",\"errorType\":\"InvalidStateTransition\"}");
    }

    /**
     * A {@code next}: answered at once with a queued event; else the connection waits and
     * {@link #submit} answers it. A {@code next} that closes its connection after the answer waits
     * here instead, on this thread.
     */
    private boolean next(RuntimeApiConnection connection, boolean close) throws IOException {
        Invocation pending;
        lock.lock();
        try {
            pending = queue.poll();
            if (pending == null && !close) {
                waiting = connection;
            }
        } finally {
            lock.unlock();
        }
        if (!initialized.isDone()) {
            // Its initialization, and with it the extensions' registration, is over.
            extensions.closeRegistration();
        }
        // Initialized once it asks, and only after it is waiting: an event submitted from then on goes straight to it.
        initialized.complete(null);
        if (pending == null) {
            if (!close) {
                return true;
            }
            pending = awaitQueued();
            if (pending == null) {
                return false;
            }
        }
        deliver(pending, connection, close);
        return true;
    }

    /** The next queued event, once there is one; null when the server closes first. */
    private Invocation awaitQueued() {
        lock.lock();
        try {
            Invocation pending = queue.poll();
            while (pending == null) {
                if (closed) {
                    return null;
                }
                queued.await();
                pending = queue.poll();
            }
            return pending;
        } catch (InterruptedException e) {
            // The environment is closing.
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Before another request of a connection whose {@code next} is unanswered: waits for an event
     * and answers that {@code next} with it; false when the server closes meanwhile.
     */
    private boolean answerWaitingNext(RuntimeApiConnection connection) throws IOException {
        Invocation pending;
        lock.lock();
        try {
            if (waiting != connection) {
                return true;
            }
            waiting = null;
            pending = queue.poll();
            while (pending == null) {
                if (closed) {
                    return false;
                }
                queued.await();
                pending = queue.poll();
            }
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
        deliver(pending, connection, false);
        return true;
    }

    /** Answers a {@code next} with an event. */
    private void deliver(Invocation pending, RuntimeApiConnection connection, boolean close) throws IOException {
        Event event = pending.event();
        inFlight.put(event.requestId(), pending);
        StringBuilder head = new StringBuilder(512).append("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n");
        head.append("Lambda-Runtime-Aws-Request-Id: ").append(event.requestId()).append("\r\n");
        head.append("Lambda-Runtime-Deadline-Ms: ").append(System.currentTimeMillis() + event.timeoutMillis()).append("\r\n");
        head.append("Lambda-Runtime-Invoked-Function-Arn: ").append(event.functionArn()).append("\r\n");
        head.append("Lambda-Runtime-Trace-Id: ").append(event.traceId()).append("\r\n");
        if (event.clientContext() != null) {
            head.append("Lambda-Runtime-Client-Context: ").append(event.clientContext()).append("\r\n");
        }
        pending.taken().complete(System.nanoTime());
        if (abandoned) {
            pending.settled().complete(null);
        }
        connection.write(RuntimeApiConnection.head(head, event.payload().length, close), event.payload());
    }

    /**
     * A streamed response, ended: its bytes, or the error its trailers report (the runtime failed
     * midway), or that it passed {@link #MAX_STREAMED_RESPONSE_BYTES}.
     */
    private static Outcome streamed(Request request) {
        StreamedResponse stream = request.stream();
        if (stream.truncated()) {
            return new Outcome.Error(String.format(
                    "{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (%d bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}",
                    MAX_STREAMED_RESPONSE_BYTES).getBytes(StandardCharsets.UTF_8), "Function.ResponseSizeTooLarge", false, stream);
        }
        if (request.trailerErrorType() == null) {
            return new Outcome.Response(stream.bytes(), stream);
        }
        byte[] document;
        try {
            document = java.util.Base64.getDecoder().decode(request.trailerErrorBody() == null ? "" : request.trailerErrorBody());
        } catch (IllegalArgumentException e) {
            document = new byte[0];
        }
        if (document.length == 0) {
            document = ("{\"errorType\":" + quoted(request.trailerErrorType()) + ",\"errorMessage\":\"\"}").getBytes(StandardCharsets.UTF_8);
        }
        return new Outcome.Error(document, request.trailerErrorType(), request.exiting(), stream);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void answer(Request request, String route, RuntimeApiConnection connection) throws IOException {
        byte[] body = request.body();
        String[] parts = route.split("/");
        Invocation pending = parts.length == 3 ? inFlight.remove(parts[1]) : null;
        if (pending == null) {
            connection.respond(400, "Bad Request", json("{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}"),
                    request.close());
            return;
        }
        switch (parts[2]) {
            case "response" -> {
                if (request.streamed()) {
                    pending.answer(streamed(request));
                } else if (body.length > MAX_RESPONSE_BYTES) {
                    pending.answer(new Outcome.Error(String.format(
                            "{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (%d bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}",
                            MAX_RESPONSE_BYTES).getBytes(StandardCharsets.UTF_8), "Function.ResponseSizeTooLarge"));
                    connection.respond(413, "Payload Too Large", json("{\"errorMessage\":\"Payload too large\",\"errorType\":\"RequestEntityTooLarge\"}"),
                            request.close());
                    return;
                } else {
                    pending.answer(new Outcome.Response(body));
                }
            }
            case "error" -> pending.answer(new Outcome.Error(body, errorType(request), request.exiting()));
            default -> {
                inFlight.put(parts[1], pending);
                connection.respond(404, "Not Found", json("{\"errorMessage\":\"Unknown Runtime API path\",\"errorType\":\"InvalidRequest\"}"),
                        request.close());
                return;
            }
        }
        if (!request.close() && connection.pipelined()) {
            // The runtime sent its next request with this one, so it does not wait for this answer.
            connection.defer(ACCEPTED);
            return;
        }
        connection.respond(202, "Accepted", OK, request.close());
    }

    private static final byte[] ACCEPTED = ("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: " + OK.length + "\r\n\r\n"
            + new String(OK, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);

    private static String errorType(Request request) {
        String type = request.errorType();
        return type == null || type.isBlank() ? "Unhandled" : type;
    }

    private static byte[] json(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** Stops serving; a runtime still polling sees its connection close. */
    @Override
    public void close() {
        closed = true;
        extensions.close();
        sockets.close();
    }
}
