package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.lambda.RuntimeApiConnection.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Lambda Extensions API of one execution environment ({@code /2020-01-01/extension/…}, served
 * by its {@link RuntimeApiServer} where {@code AWS_LAMBDA_RUNTIME_API} points). Extensions register
 * while the environment initializes (external ones, a layer's {@code extensions/} executables, under
 * their file name; the runtime's own, internal ones, under any), then long-poll {@code event/next}
 * for their {@code INVOKE} and {@code SHUTDOWN} events; each {@code next} also says the extension is
 * done with its previous event, which is when the environment may take its next invocation, as on
 * AWS. An extension that reports an error ({@code init/error}, {@code exit/error}) fails the
 * environment. At most {@value #MAX_EXTENSIONS} extensions.
 *
 * <p>Thread-safe: an extension's {@code next} waits on its connection's thread (see
 * {@link RuntimeApiServer}), under this object's lock and condition.
 */
final class ExtensionsApi {

    static final String PREFIX = "/2020-01-01/extension/";
    static final int MAX_EXTENSIONS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] OK = "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);

    /** What registration tells an extension of the function. */
    record Function(String name, String version, String handler, String accountId) {}

    /** An extension as registered: its name and the events it registered for. */
    record Registration(String name, List<String> events) {}

    /** An extension's report of its failure, with the type it gave. */
    record Failure(String extension, String errorType) {}

    private static final class Extension {
        final String id;
        final String name;
        final boolean invoke;
        final boolean shutdown;
        final ArrayDeque<byte[]> events = new ArrayDeque<>();
        /** Whether it asked for an event at least once: its initialization is done. */
        boolean ready;
        /** Whether it has an event it has not yet said it is done with (by asking for the next). */
        boolean busy;

        Extension(String id, String name, boolean invoke, boolean shutdown) {
            this.id = id;
            this.name = name;
            this.invoke = invoke;
            this.shutdown = shutdown;
        }
    }

    private final Function function;
    private final Clock clock;
    private final TelemetryApi telemetry;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Extension> extensions = new LinkedHashMap<>();
    /** Read without the lock on every invocation: whether any extension registered. */
    private volatile boolean any;
    private boolean registrationClosed;
    private boolean closed;
    private final CompletableFuture<Failure> failure = new CompletableFuture<>();
    /** Completes once no extension is busy with an event; replaced when events go out. */
    private CompletableFuture<Void> idle = CompletableFuture.completedFuture(null);

    ExtensionsApi(Function function, Clock clock) {
        this(function, clock, new TelemetryApi(function.name(), function.version(), false, "127.0.0.1", clock));
    }

    ExtensionsApi(Function function, Clock clock, TelemetryApi telemetry) {
        this.function = requireNonNull(function, "function is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.telemetry = requireNonNull(telemetry, "telemetry is null");
    }

    /** The Telemetry and Logs APIs, where extensions subscribe to the environment's events. */
    TelemetryApi telemetry() {
        return telemetry;
    }

    /** The extensions registered so far, in the order they registered. */
    List<Registration> registrations() {
        lock.lock();
        try {
            return extensions.values().stream().map(extension -> new Registration(extension.name,
                    extension.invoke && extension.shutdown ? List.of("INVOKE", "SHUTDOWN") : extension.invoke ? List.of("INVOKE")
                            : extension.shutdown ? List.of("SHUTDOWN") : List.of())).toList();
        } finally {
            lock.unlock();
        }
    }

    /** The name of the extension registered under this identifier, or null. */
    String nameOf(String id) {
        lock.lock();
        try {
            Extension extension = extensions.get(id);
            return extension == null ? null : extension.name;
        } finally {
            lock.unlock();
        }
    }

    /** Whether any extension registered. */
    boolean any() {
        return any;
    }

    /** Completes when an extension reports an error (or fails otherwise, see {@link #fail}). */
    CompletableFuture<Failure> failure() {
        return failure;
    }

    /** Fails the environment; an invocation it holds for its extensions is let go at once (the environment is not used again). */
    void fail(String extension, String errorType) {
        failure.complete(new Failure(extension, errorType));
        lock.lock();
        try {
            idle.complete(null);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether an extension of this name registered. */
    boolean registered(String name) {
        lock.lock();
        try {
            return extensions.values().stream().anyMatch(extension -> extension.name.equals(name));
        } finally {
            lock.unlock();
        }
    }

    /** Ends registration, as the end of the environment's initialization does. */
    void closeRegistration() {
        lock.lock();
        try {
            registrationClosed = true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every registered extension asked for its first event; whether they all did in time. */
    boolean awaitReady(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && !failure.isDone() && extensions.values().stream().anyMatch(extension -> !extension.ready)) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return !closed && !failure.isDone();
        } finally {
            lock.unlock();
        }
    }

    /** Sends an invocation's INVOKE event to the extensions registered for it. */
    void invoke(RuntimeApiServer.Event event) {
        ObjectNode invoke = JSON.createObjectNode().put("eventType", "INVOKE").put("deadlineMs", clock.millis() + event.timeoutMillis())
                .put("requestId", event.requestId()).put("invokedFunctionArn", event.functionArn());
        invoke.putObject("tracing").put("type", "X-Amzn-Trace-Id").put("value", event.traceId());
        send(invoke, extension -> extension.invoke);
    }

    /**
     * Sends the SHUTDOWN event to the extensions registered for it and waits, at most
     * {@code waitMillis}, until each asked for the next event (it is done) or this API closed.
     */
    void shutdown(String reason, long waitMillis) throws InterruptedException {
        ObjectNode shutdown = JSON.createObjectNode().put("eventType", "SHUTDOWN").put("shutdownReason", reason)
                .put("deadlineMs", clock.millis() + waitMillis);
        CompletableFuture<Void> done = send(shutdown, extension -> extension.shutdown);
        try {
            done.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Stopped regardless.
        }
    }

    private CompletableFuture<Void> send(ObjectNode event, java.util.function.Predicate<Extension> wants) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        lock.lock();
        try {
            boolean sent = false;
            for (Extension extension : extensions.values()) {
                if (wants.test(extension)) {
                    extension.events.addLast(body);
                    extension.busy = true;
                    sent = true;
                }
            }
            if (sent && idle.isDone()) {
                idle = new CompletableFuture<>();
            }
            changed.signalAll();
            return idle;
        } finally {
            lock.unlock();
        }
    }

    /** Completes once every extension is done with its events (at once when none is busy). */
    CompletableFuture<Void> idle() {
        lock.lock();
        try {
            return idle;
        } finally {
            lock.unlock();
        }
    }

    /** Answers no more events: extensions waiting for one get their connection closed. */
    void close() {
        lock.lock();
        try {
            closed = true;
            idle.complete(null);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        telemetry.close();
    }

    /** Answers one request under {@link #PREFIX}; false when the connection is to close (this API closed). */
    boolean handle(Request request, RuntimeApiConnection connection) throws IOException {
        String route = request.path().substring(PREFIX.length());
        String method = request.method();
        if (method.equals("POST") && route.equals("register")) {
            register(request, connection);
            return true;
        }
        boolean known = method.equals("GET") && route.equals("event/next")
                || method.equals("POST") && (route.equals("init/error") || route.equals("exit/error"));
        if (!known) {
            connection.respond(404, "Not Found", error("Unknown Extensions API path " + request.path(), "InvalidRequest"), request.close());
            return true;
        }
        String id = request.header("lambda-extension-identifier");
        if (id == null) {
            connection.respond(403, "Forbidden", error("Missing Lambda-Extension-Identifier header", "Extension.MissingHeader"), request.close());
            return true;
        }
        Extension extension;
        lock.lock();
        try {
            extension = extensions.get(id);
        } finally {
            lock.unlock();
        }
        if (extension == null) {
            connection.respond(403, "Forbidden", error("Unknown extension " + id, "Extension.UnknownExtensionIdentifier"), request.close());
            return true;
        }
        if (route.equals("event/next")) {
            return next(extension, request, connection);
        }
        String type = request.header("lambda-extension-function-error-type");
        fail(extension.name, type == null || type.isBlank() ? "Extension.Unknown" : type);
        connection.respond(202, "Accepted", OK, request.close());
        return true;
    }

    private void register(Request request, RuntimeApiConnection connection) throws IOException {
        String name = request.header("lambda-extension-name");
        if (name == null || name.isBlank()) {
            connection.respond(403, "Forbidden", error("Empty extension name", "Extension.InvalidExtensionName"), request.close());
            return;
        }
        List<String> events = new ArrayList<>();
        try {
            JsonNode body = JSON.readTree(request.body());
            JsonNode list = body == null ? null : body.get("events");
            if (list != null && !list.isArray()) {
                throw new IOException("events is not a list");
            }
            for (JsonNode event : list == null ? List.<JsonNode>of() : list) {
                events.add(event.asText());
            }
        } catch (IOException e) {
            connection.respond(400, "Bad Request", error("Invalid registration request: " + e.getMessage(), "InvalidRequestFormat"), request.close());
            return;
        }
        for (String event : events) {
            if (!event.equals("INVOKE") && !event.equals("SHUTDOWN")) {
                connection.respond(403, "Forbidden", error("Unknown event type " + event, "Extension.InvalidEventType"), request.close());
                return;
            }
        }
        String id = UUID.randomUUID().toString();
        lock.lock();
        try {
            String refusal = registrationClosed ? "Extension.RegistrationClosed"
                    : extensions.size() >= MAX_EXTENSIONS ? "Extension.TooManyExtensions"
                    : extensions.values().stream().anyMatch(extension -> extension.name.equals(name)) ? "Extension.InvalidExtensionName" : null;
            if (refusal != null) {
                String message = switch (refusal) {
                    case "Extension.RegistrationClosed" -> "Extension registration closed already";
                    case "Extension.TooManyExtensions" -> "Extension limit reached (" + MAX_EXTENSIONS + ")";
                    default -> "Extension " + name + " is already registered";
                };
                connection.respond(403, "Forbidden", error(message, refusal), request.close());
                return;
            }
            extensions.put(id, new Extension(id, name, events.contains("INVOKE"), events.contains("SHUTDOWN")));
            any = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        ObjectNode answer = JSON.createObjectNode().put("functionName", function.name()).put("functionVersion", function.version())
                .put("handler", function.handler());
        String features = request.header("lambda-extension-accept-feature");
        if (features != null && List.of(features.split("\\s*,\\s*")).contains("accountId")) {
            answer.put("accountId", function.accountId());
        }
        connection.respond(200, "OK", JSON.writeValueAsBytes(answer), request.close(), "Lambda-Extension-Identifier", id);
    }

    /** Says the extension is done with its last event, then waits for its next one. */
    private boolean next(Extension extension, Request request, RuntimeApiConnection connection) throws IOException {
        byte[] event;
        lock.lock();
        try {
            extension.ready = true;
            if (extension.events.isEmpty()) {
                extension.busy = false;
                if (extensions.values().stream().noneMatch(other -> other.busy)) {
                    idle.complete(null);
                }
            }
            changed.signalAll();
            while (extension.events.isEmpty() && !closed) {
                changed.awaitUninterruptibly();
            }
            if (closed) {
                return false;
            }
            event = extension.events.removeFirst();
        } finally {
            lock.unlock();
        }
        connection.respond(200, "OK", event, request.close(), "Lambda-Extension-Event-Identifier", UUID.randomUUID().toString());
        return true;
    }

    private static byte[] error(String message, String type) {
        ObjectNode error = JSON.createObjectNode().put("errorMessage", message).put("errorType", type);
        try {
            return JSON.writeValueAsBytes(error);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
