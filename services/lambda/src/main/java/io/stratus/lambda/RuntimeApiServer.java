package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The Lambda Runtime API of one execution environment, on a loopback port of its own: the runtime
 * process long-polls {@code /2018-06-01/runtime/invocation/next}, then posts the invocation's
 * {@code response} or {@code error}, or {@code /runtime/init/error} when it cannot load the handler.
 * A JDK HTTP server on virtual threads, so a parked long poll costs no platform thread.
 *
 * <p>Thread-safe: {@link #submit} may be called from any thread; the server's own threads complete
 * the futures it hands out.
 */
final class RuntimeApiServer implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";
    /** AWS's limit on a synchronous response. */
    static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

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
        record Response(byte[] body) implements Outcome {}

        record Error(byte[] body, String errorType) implements Outcome {}
    }

    /**
     * An event on its way through the runtime.
     *
     * @param taken completes with {@link System#nanoTime()} when the runtime takes the event
     * @param outcome completes with the runtime's answer
     */
    record Invocation(Event event, CompletableFuture<Long> taken, CompletableFuture<Outcome> outcome) {}

    private final HttpServer server;
    private final ExecutorService executor;
    private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Outcome.Error> initError = new CompletableFuture<>();
    /** Completes at the runtime's first {@code next}: its initialization is done. */
    private final CompletableFuture<Void> initialized = new CompletableFuture<>();

    private RuntimeApiServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static RuntimeApiServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        RuntimeApiServer api = new RuntimeApiServer(server, executor);
        server.setExecutor(executor);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    /** {@code host:port}, as {@code AWS_LAMBDA_RUNTIME_API} gives it to the runtime. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an event for the runtime's next {@code next}. */
    Invocation submit(Event event) {
        Invocation invocation = new Invocation(event, new CompletableFuture<>(), new CompletableFuture<>());
        queue.add(invocation);
        return invocation;
    }

    /** Completes when the runtime asks for its first event, having initialized. */
    CompletableFuture<Void> initialized() {
        return initialized;
    }

    /** Completes when the runtime reports that it could not initialize. */
    CompletableFuture<Outcome.Error> initError() {
        return initError;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            String route = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
            if (method.equals("GET") && route.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && route.equals("init/error")) {
                initError.complete(new Outcome.Error(readBody(exchange.getRequestBody(), MAX_RESPONSE_BYTES), errorType(exchange)));
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && route.startsWith("invocation/")) {
                answer(exchange, route);
            } else {
                send(exchange, 404, "{\"errorMessage\":\"Unknown Runtime API path " + path + "\",\"errorType\":\"InvalidRequest\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        initialized.complete(null);
        Invocation pending;
        try {
            pending = queue.take();
        } catch (InterruptedException e) {
            // The environment is closing.
            Thread.currentThread().interrupt();
            return;
        }
        Event event = pending.event();
        inFlight.put(event.requestId(), pending);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", event.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + event.timeoutMillis()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", event.functionArn());
        headers.set("Lambda-Runtime-Trace-Id", event.traceId());
        if (event.clientContext() != null) {
            headers.set("Lambda-Runtime-Client-Context", event.clientContext());
        }
        pending.taken().complete(System.nanoTime());
        exchange.sendResponseHeaders(200, event.payload().length == 0 ? -1 : event.payload().length);
        exchange.getResponseBody().write(event.payload());
    }

    private void answer(HttpExchange exchange, String route) throws IOException {
        String[] parts = route.split("/");
        Invocation pending = parts.length == 3 ? inFlight.remove(parts[1]) : null;
        if (pending == null) {
            send(exchange, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        byte[] body = readBody(exchange.getRequestBody(), MAX_RESPONSE_BYTES);
        switch (parts[2]) {
            case "response" -> {
                if (body.length > MAX_RESPONSE_BYTES) {
                    pending.outcome().complete(new Outcome.Error(String.format(
                            "{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (%d bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}",
                            MAX_RESPONSE_BYTES).getBytes(StandardCharsets.UTF_8), "Function.ResponseSizeTooLarge"));
                    send(exchange, 413, "{\"errorMessage\":\"Payload too large\",\"errorType\":\"RequestEntityTooLarge\"}");
                    return;
                }
                pending.outcome().complete(new Outcome.Response(body));
            }
            case "error" -> pending.outcome().complete(new Outcome.Error(body, errorType(exchange)));
            default -> {
                inFlight.put(parts[1], pending);
                send(exchange, 404, "{\"errorMessage\":\"Unknown Runtime API path\",\"errorType\":\"InvalidRequest\"}");
                return;
            }
        }
        send(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static String errorType(HttpExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        return type == null || type.isBlank() ? "Unhandled" : type;
    }

    /** Reads up to one byte more than {@code limit}, so a caller can tell a body that is too large. */
    private static byte[] readBody(InputStream in, int limit) throws IOException {
        byte[] body = in.readNBytes(limit + 1);
        in.transferTo(java.io.OutputStream.nullOutputStream());
        return body;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Stops serving; a runtime still polling sees its connection close. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
