package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.lambda.RuntimeApiConnection.Request;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The Telemetry API ({@code PUT /2022-07-01/telemetry}) and its older form, the Logs API
 * ({@code PUT /2020-08-15/logs}), of one execution environment: an extension subscribes while the
 * environment initializes and from then on gets the environment's events — the platform's
 * ({@code platform.initStart}, {@code platform.start}, {@code platform.runtimeDone},
 * {@code platform.report}, …), the function's log lines and the extensions' — in batches at the
 * address it listens on (see {@link TelemetrySubscriber}). What happened during the initialization
 * before it subscribed is delivered to it too, as Lambda does. The destination's host is the
 * sandbox's name, {@code sandbox.localdomain} (or {@code sandbox}), which here is a loopback
 * address of the environment's own (see {@link EnvironmentDirectory#writeHosts});
 * {@code localhost} and {@code 127.0.0.1} are taken as well.
 *
 * <p>Costs nothing per line or invocation once the initialization is over with no subscriber
 * (one volatile read). Thread-safe.
 */
final class TelemetryApi {

    static final String TELEMETRY_PATH = "/2022-07-01/telemetry";
    static final String LOGS_PATH = "/2020-08-15/logs";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final byte[] OK = "\"OK\"".getBytes(StandardCharsets.UTF_8);
    private static final Set<String> TELEMETRY_SCHEMAS = Set.of("2022-07-01", "2022-12-13", "2025-01-29");
    private static final Set<String> LOGS_SCHEMAS = Set.of("2020-08-15", "2021-03-18");
    private static final Set<String> TYPES = Set.of("platform", "function", "extension");
    private static final Set<String> SANDBOX_HOSTS = Set.of("sandbox.localdomain", "sandbox", "localhost", "127.0.0.1");
    /** What the initialization's events kept for subscribers still to come may hold at most. */
    private static final int MAX_INIT_EVENTS = 2_000;

    /** Which API (and schema) a subscriber subscribed with: what its events look like. */
    enum Flavor {
        /** The Telemetry API: a function's JSON log records as objects (schema 2022-12-13 on). */
        TELEMETRY,
        /** The Telemetry API's first schema, 2022-07-01: every log record a string. */
        TELEMETRY_STRINGS,
        /** The Logs API, schema 2020-08-15. */
        LOGS,
        /** The Logs API, schema 2021-03-18, which adds {@code platform.runtimeDone}. */
        LOGS_WITH_RUNTIME_DONE;

        boolean logs() {
            return this == LOGS || this == LOGS_WITH_RUNTIME_DONE;
        }
    }

    /**
     * One event as the APIs send it: {@code {"time", "type", "record"}}, whose record is
     * {@code record} for the Telemetry API ({@code objectRecord} instead, when set, for a subscriber
     * that takes log records as objects) and {@code logsRecord} for the Logs API; a null record is
     * an event that API does not send.
     */
    record Event(long time, String type, String category, String record, String objectRecord, String logsRecord) {

        String render(Flavor flavor) {
            String body = switch (flavor) {
                case TELEMETRY -> objectRecord != null ? objectRecord : record;
                case TELEMETRY_STRINGS -> record;
                case LOGS -> type.equals("platform.runtimeDone") ? null : logsRecord;
                case LOGS_WITH_RUNTIME_DONE -> logsRecord;
            };
            return body == null ? null : "{\"time\":\"" + TIME.format(Instant.ofEpochMilli(time)) + "\",\"type\":\"" + type + "\",\"record\":" + body + "}";
        }

        static Event platform(long time, String type, ObjectNode record, ObjectNode logsRecord) {
            return new Event(time, type, "platform", record == null ? null : record.toString(), null, logsRecord == null ? null : logsRecord.toString());
        }

        static Event logsDropped(long time, String reason, int records, long bytes) {
            ObjectNode record = JSON.createObjectNode().put("reason", reason).put("droppedRecords", records).put("droppedBytes", bytes);
            return platform(time, "platform.logsDropped", record, record);
        }
    }

    private final String functionName;
    private final String functionVersion;
    private final boolean jsonLogs;
    /** The loopback address {@code sandbox.localdomain} stands for in this environment. */
    private final String sandboxAddress;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, TelemetrySubscriber> subscribers = new ConcurrentHashMap<>();
    /** The initialization's events so far, for subscribers still to come; null once subscriptions closed. */
    private volatile List<Event> initEvents = new ArrayList<>();
    /** Read without the lock on every line and invocation: whether anything is to be done with events. */
    private volatile boolean active = true;
    /** {@code on-demand} or {@code provisioned-concurrency}, as {@link #initStart} was told. */
    private volatile String initializationType = "on-demand";

    /** @param sandboxAddress the loopback address {@code sandbox.localdomain} stands for in this environment */
    TelemetryApi(String functionName, String functionVersion, boolean jsonLogs, String sandboxAddress, Clock clock) {
        this.functionName = requireNonNull(functionName, "functionName is null");
        this.functionVersion = requireNonNull(functionVersion, "functionVersion is null");
        this.jsonLogs = jsonLogs;
        this.sandboxAddress = requireNonNull(sandboxAddress, "sandboxAddress is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** {@code on-demand} or {@code provisioned-concurrency}: how the environment was initialized. */
    String initializationType() {
        return initializationType;
    }

    /** Whether events are wanted: during the initialization, and after it while an extension subscribed. */
    boolean active() {
        return active;
    }

    /** Ends subscribing, as the end of the initialization does; without a subscriber, events are no longer made. */
    void closeSubscriptions() {
        lock.lock();
        try {
            initEvents = null;
            active = !subscribers.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Sends what the subscribers have queued, waiting at most {@code timeout} in all (before extensions get SHUTDOWN). */
    void flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (TelemetrySubscriber subscriber : subscribers.values()) {
            subscriber.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    void close() {
        lock.lock();
        try {
            initEvents = null;
            active = false;
        } finally {
            lock.unlock();
        }
        subscribers.values().forEach(TelemetrySubscriber::close);
    }

    private void publish(Event event) {
        if (initEvents != null) {
            // While subscriptions are open, under the lock: a subscriber gets each event once, replayed or offered.
            lock.lock();
            try {
                if (initEvents != null) {
                    if (initEvents.size() < MAX_INIT_EVENTS) {
                        initEvents.add(event);
                    }
                    subscribers.values().forEach(subscriber -> subscriber.offer(event));
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
        subscribers.values().forEach(subscriber -> subscriber.offer(event));
    }

    /** A line the runtime (the function) or an extension wrote. */
    void line(boolean extension, String line) {
        if (!active) {
            return;
        }
        String object = null;
        if (jsonLogs && line.startsWith("{")) {
            try {
                JsonNode parsed = JSON.readTree(line);
                object = parsed != null && parsed.isObject() ? parsed.toString() : null;
            } catch (JsonProcessingException e) {
                // Not a JSON record: sent as the line it is.
            }
        }
        String quoted = JSON.getNodeFactory().textNode(line).toString();
        publish(new Event(clock.millis(), extension ? "extension" : "function", extension ? "extension" : "function", quoted, object, quoted));
    }

    /** {@code platform.initStart}: a new environment's initialization begins. */
    void initStart(String initializationType, String runtimeVersion, String runtimeVersionArn) {
        this.initializationType = initializationType;
        if (!active) {
            return;
        }
        ObjectNode record = JSON.createObjectNode().put("initializationType", initializationType).put("phase", "init")
                .put("runtimeVersion", runtimeVersion).put("runtimeVersionArn", runtimeVersionArn).put("functionName", functionName)
                .put("functionVersion", functionVersion);
        publish(Event.platform(clock.millis(), "platform.initStart", record, null));
    }

    /**
     * The end of the initialization: {@code platform.initRuntimeDone}, a {@code platform.extension}
     * for each extension (in both APIs) and {@code platform.initReport}.
     *
     * @param status {@code success}, {@code error} or {@code timeout}
     * @param errorType why it failed, or null
     */
    void initDone(String status, String errorType, long durationNanos, List<ExtensionsApi.Registration> extensions) {
        if (!active) {
            return;
        }
        long now = clock.millis();
        ObjectNode done = JSON.createObjectNode().put("initializationType", initializationType).put("phase", "init").put("status", status);
        if (errorType != null) {
            done.put("errorType", errorType);
        }
        publish(Event.platform(now, "platform.initRuntimeDone", done, null));
        for (ExtensionsApi.Registration extension : extensions) {
            ObjectNode record = JSON.createObjectNode().put("name", extension.name()).put("state", "Ready");
            ArrayNode events = record.putArray("events");
            extension.events().forEach(events::add);
            publish(Event.platform(now, "platform.extension", record, record));
        }
        ObjectNode report = JSON.createObjectNode().put("initializationType", initializationType).put("phase", "init").put("status", status);
        if (errorType != null) {
            report.put("errorType", errorType);
        }
        report.putObject("metrics").put("durationMs", millis(durationNanos));
        publish(Event.platform(now, "platform.initReport", report, null));
    }

    /** {@code platform.start}: an invocation begins. */
    void start(String requestId, String version, String traceId) {
        if (!active) {
            return;
        }
        ObjectNode record = JSON.createObjectNode().put("requestId", requestId).put("version", version);
        record.putObject("tracing").put("type", "X-Amzn-Trace-Id").put("value", traceId);
        publish(Event.platform(clock.millis(), "platform.start", record, JSON.createObjectNode().put("requestId", requestId)));
    }

    /**
     * The end of an invocation: {@code platform.runtimeDone} (the Logs API's 2021-03-18 schema
     * has it too), the Logs API's {@code platform.end}, then {@code platform.report}.
     *
     * @param status {@code success}, {@code error}, {@code failure} or {@code timeout}
     */
    void invocationDone(SystemLog.Report report, String status, String errorType, long producedBytes) {
        if (!active) {
            return;
        }
        long now = clock.millis();
        ObjectNode done = JSON.createObjectNode().put("requestId", report.requestId()).put("status", status);
        if (errorType != null) {
            done.put("errorType", errorType);
        }
        done.putObject("metrics").put("durationMs", millis(report.durationNanos())).put("producedBytes", producedBytes);
        ObjectNode logsDone = JSON.createObjectNode().put("requestId", report.requestId()).put("status", status.equals("error") ? "failure" : status);
        publish(Event.platform(now, "platform.runtimeDone", done, logsDone));
        publish(Event.platform(now, "platform.end", null, JSON.createObjectNode().put("requestId", report.requestId())));
        ObjectNode metrics = JSON.createObjectNode().put("durationMs", millis(report.durationNanos()))
                .put("billedDurationMs", SystemLog.billedMillis(report)).put("memorySizeMB", report.memorySizeMb())
                .put("maxMemoryUsedMB", report.maxMemoryUsedMb());
        if (report.initNanos() >= 0) {
            metrics.put("initDurationMs", millis(report.initNanos()));
        }
        ObjectNode record = JSON.createObjectNode().put("requestId", report.requestId());
        record.set("metrics", metrics);
        ObjectNode logsRecord = record.deepCopy();
        record.put("status", report.status() == null ? "success" : report.status());
        if (report.errorType() != null) {
            record.put("errorType", report.errorType());
        }
        publish(Event.platform(now, "platform.report", record, logsRecord));
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    /**
     * Answers a subscription ({@link #TELEMETRY_PATH} or {@link #LOGS_PATH}, PUT) with AWS's
     * answers: 200 {@code "OK"}, 400 {@code ValidationError} naming what is wrong, 403 for a
     * caller that is no registered extension or comes after the initialization.
     *
     * @param names the name of the extension an identifier belongs to, or null for none
     */
    void handle(Request request, RuntimeApiConnection connection, Function<String, String> names) throws IOException {
        boolean logsApi = request.path().startsWith(LOGS_PATH);
        String api = logsApi ? "Logs" : "Telemetry";
        if (!request.method().equals("PUT")) {
            connection.respond(404, "Not Found", error("Unknown " + api + " API path " + request.path(), "InvalidRequest"), request.close());
            return;
        }
        String id = request.header("lambda-extension-identifier");
        String name;
        if (id == null || id.isBlank()) {
            connection.respond(403, "Forbidden", error("Missing Lambda-Extension-Identifier header", "Extension.MissingExtensionIdentifier"),
                    request.close());
            return;
        } else if (!isUuid(id)) {
            connection.respond(403, "Forbidden", error("Invalid Lambda-Extension-Identifier", "Extension.InvalidExtensionIdentifier"), request.close());
            return;
        } else if ((name = names.apply(id)) == null) {
            connection.respond(403, "Forbidden", error("Unknown extension " + id, "Extension.UnknownExtensionIdentifier"), request.close());
            return;
        }
        List<String> problems = new ArrayList<>();
        TelemetrySubscriber subscriber = subscriber(name, request.body(), logsApi, sandboxAddress, problems);
        if (subscriber == null) {
            connection.respond(400, "Bad Request", error(String.join("; ", problems), logsApi ? "Logs.ValidationError" : "ValidationError"),
                    request.close());
            return;
        }
        // Decided under the lock, answered after it: the environment's lines wait on this lock while subscriptions are open.
        int status = 200;
        byte[] answer = OK;
        lock.lock();
        try {
            TelemetrySubscriber previous = subscribers.get(name);
            if (initEvents == null) {
                status = 403;
                answer = error(api + " API subscription is closed already", api + ".SubscriptionClosed");
            } else if (previous != null && previous.flavor().logs() != logsApi) {
                status = 400;
                answer = error("Extension " + name + " is already subscribed with the " + (logsApi ? "Telemetry" : "Logs") + " API",
                        logsApi ? "Logs.ValidationError" : "ValidationError");
            } else {
                subscribe(name, subscriber, previous, logsApi);
            }
        } finally {
            lock.unlock();
        }
        connection.respond(status, status == 200 ? "OK" : status == 403 ? "Forbidden" : "Bad Request", answer, request.close());
    }

    /** Adds a subscriber (in place of the extension's previous one), replays the initialization's events to it and starts it; under the lock. */
    private void subscribe(String name, TelemetrySubscriber subscriber, TelemetrySubscriber previous, boolean logsApi) {
        if (previous != null) {
            previous.close();
        }
        initEvents.forEach(subscriber::offer);
        subscribers.put(name, subscriber);
        ObjectNode record = JSON.createObjectNode().put("name", name).put("state", "Subscribed");
        ArrayNode types = record.putArray("types");
        subscriber.types().forEach(types::add);
        Event subscribed = logsApi ? Event.platform(clock.millis(), "platform.logsSubscription", null, record)
                : Event.platform(clock.millis(), "platform.telemetrySubscription", record, null);
        initEvents.add(subscribed);
        subscribers.values().forEach(each -> each.offer(subscribed));
        subscriber.start();
    }

    /** The subscriber a request's body describes, or null with what is wrong with it in {@code problems}. */
    private static TelemetrySubscriber subscriber(String name, byte[] body, boolean logsApi, String sandboxAddress, List<String> problems) {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            problems.add("failed to parse JSON: " + e.getOriginalMessage());
            return null;
        } catch (IOException e) {
            problems.add("failed to parse JSON: " + e.getMessage());
            return null;
        }
        if (request == null || !request.isObject()) {
            problems.add("the request body is not a JSON object");
            return null;
        }
        Flavor flavor = flavor(request.path("schemaVersion"), logsApi, problems);
        Set<String> types = new LinkedHashSet<>();
        JsonNode typeList = request.get("types");
        if (typeList == null || !typeList.isArray() || typeList.isEmpty()) {
            problems.add("types should not be empty");
        } else {
            for (JsonNode type : typeList) {
                if (!TYPES.contains(type.asText())) {
                    problems.add("types contains an unknown type: " + type);
                }
                types.add(type.asText());
            }
        }
        TelemetrySubscriber.Destination destination = destination(request.get("destination"), sandboxAddress, problems);
        TelemetrySubscriber.Buffering buffering = buffering(request.get("buffering"), problems);
        return problems.isEmpty() ? new TelemetrySubscriber(name, flavor, types, destination, buffering) : null;
    }

    private static Flavor flavor(JsonNode version, boolean logsApi, List<String> problems) {
        if (logsApi) {
            if (version.isMissingNode() || version.isNull()) {
                return Flavor.LOGS;
            }
            if (!LOGS_SCHEMAS.contains(version.asText())) {
                problems.add("schemaVersion must be one of 2020-08-15, 2021-03-18");
                return null;
            }
            return version.asText().equals("2021-03-18") ? Flavor.LOGS_WITH_RUNTIME_DONE : Flavor.LOGS;
        }
        if (!version.isTextual() || !TELEMETRY_SCHEMAS.contains(version.asText())) {
            problems.add("schemaVersion must be one of 2022-07-01, 2022-12-13, 2025-01-29");
            return null;
        }
        return version.asText().equals("2022-07-01") ? Flavor.TELEMETRY_STRINGS : Flavor.TELEMETRY;
    }

    private static TelemetrySubscriber.Destination destination(JsonNode destination, String sandboxAddress, List<String> problems) {
        if (destination == null || !destination.isObject()) {
            problems.add("destination is required");
            return null;
        }
        String protocol = destination.path("protocol").asText();
        if (!protocol.equals("HTTP") && !protocol.equals("TCP")) {
            problems.add("destination.protocol must be HTTP or TCP");
            return null;
        }
        String method = destination.path("method").asText("POST").toUpperCase(java.util.Locale.ROOT);
        if (!method.equals("POST") && !method.equals("PUT")) {
            problems.add("destination.method must be POST or PUT");
            return null;
        }
        JsonNode port = destination.get("port");
        if (protocol.equals("TCP") && port != null && port.canConvertToInt()) {
            return tcp(sandboxAddress, port.asInt(), problems);
        }
        String text = destination.path("URI").asText("");
        if (text.isEmpty()) {
            problems.add("destination.URI is required");
            return null;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            problems.add("Invalid destination: could not parse destination.URI: " + e.getMessage());
            return null;
        }
        if (uri.getHost() == null || !SANDBOX_HOSTS.contains(uri.getHost().toLowerCase(java.util.Locale.ROOT))) {
            problems.add("Invalid destination: destination.URI host must be sandbox.localdomain");
            return null;
        }
        if (uri.getPort() <= 0) {
            problems.add("URI port is not provided");
            return null;
        }
        String host = uri.getHost().toLowerCase(java.util.Locale.ROOT).startsWith("sandbox") ? sandboxAddress : "127.0.0.1";
        if (protocol.equals("TCP")) {
            return tcp(host, uri.getPort(), problems);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            problems.add("Invalid destination: destination.URI must be an http:// URI");
            return null;
        }
        try {
            URI local = new URI("http", null, host, uri.getPort(), uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getPath(),
                    uri.getQuery(), null);
            return new TelemetrySubscriber.Destination("HTTP", local, uri.getPort(), method);
        } catch (URISyntaxException e) {
            problems.add("Invalid destination: could not parse destination.URI: " + e.getMessage());
            return null;
        }
    }

    private static TelemetrySubscriber.Destination tcp(String host, int port, List<String> problems) {
        if (port < 1 || port > 65_535) {
            problems.add("destination.port must be between 1 and 65535");
            return null;
        }
        return new TelemetrySubscriber.Destination("TCP", URI.create("tcp://" + host + ":" + port), port, "POST");
    }

    private static TelemetrySubscriber.Buffering buffering(JsonNode buffering, List<String> problems) {
        if (buffering == null || buffering.isNull()) {
            return new TelemetrySubscriber.Buffering(10_000, 262_144, 1_000);
        }
        if (!buffering.isObject()) {
            problems.add("buffering must be an object");
            return null;
        }
        int maxItems = bounded(buffering, "maxItems", 10_000, 1_000, 10_000, problems);
        int maxBytes = bounded(buffering, "maxBytes", 262_144, 262_144, 1_048_576, problems);
        int timeoutMs = bounded(buffering, "timeoutMs", 1_000, 25, 30_000, problems);
        return new TelemetrySubscriber.Buffering(maxItems, maxBytes, timeoutMs);
    }

    private static int bounded(JsonNode buffering, String field, int otherwise, int min, int max, List<String> problems) {
        JsonNode value = buffering.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            problems.add("buffering." + field + " must be an integer between " + min + " and " + max);
            return otherwise;
        }
        return value.asInt();
    }

    private static boolean isUuid(String id) {
        try {
            return UUID.fromString(id).toString().equalsIgnoreCase(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] error(String message, String type) {
        ObjectNode error = JSON.createObjectNode().put("errorMessage", message).put("errorType", type);
        return error.toString().getBytes(StandardCharsets.UTF_8);
    }
}
