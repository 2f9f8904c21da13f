package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The Lambda Runtime API of one execution environment, on a loopback port of its own (and, for
 * Stratus's own bootstraps, on a Unix domain socket of its own, see {@link #localAddress()}): the runtime
 * process long-polls {@code /2018-06-01/runtime/invocation/next}, then posts the invocation's
 * {@code response} or {@code error}, or {@code /runtime/init/error} when it cannot load the handler.
 *
 * <p>A small HTTP/1.1 server of its own (persistent connections, pipelined requests,
 * {@code Content-Length} or chunked request bodies, {@code Expect: 100-continue}), one platform
 * thread per connection blocked in its socket's read (a runtime keeps one connection): the kernel
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
    /** AWS's limit on a synchronous response. */
    static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
    /** Bounds on a request's head: its line and each header line, and the number of headers. */
    private static final int MAX_LINE_BYTES = 64 * 1024;
    private static final int MAX_HEADERS = 200;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** The longest Unix domain socket path Linux takes is 107 bytes; a longer temporary directory means TCP alone. */
    private static final int MAX_SOCKET_PATH = 100;
    private static final String SOCKET_DIRECTORY_PREFIX = "stratus-runtime-api-";
    private static final String SOCKET_NAME = "api.sock";
    private static final long ABANDONED_AFTER_MILLIS = 60_000;
    /** A connection thread's stack: it parses requests and nothing deeper. */
    private static final long CONNECTION_STACK_BYTES = 256 * 1024;

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
     * @param settled completes when {@code outcome} does, or when the server is {@linkplain #abandon()
     *     abandoned} (the runtime failed): what an invoker waits on
     */
    record Invocation(Event event, CompletableFuture<Long> taken, CompletableFuture<Outcome> outcome, CompletableFuture<Void> settled) {

        private void answer(Outcome answer) {
            outcome.complete(answer);
            settled.complete(null);
        }
    }

    /** A request's method, path (without its query), the headers the API reads, and its body. */
    private record Request(String method, String path, String errorType, boolean close, byte[] body) {}

    /** A request that is not HTTP/1.x as this server reads it: answered 400, then the connection closes. */
    private static final class BadRequest extends IOException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** One connection: its socket, its buffered input (read by its thread alone) and its output (written under its own monitor). */
    private static final class Connection {
        final Closeable socket;
        final Input in;
        final OutputStream out;
        /**
         * An answer not written yet, guarded by {@link #out}'s monitor: the 202 to a runtime's
         * response when its next request is already here (pipelined), which goes out with the
         * answer to that request (the next event), in one write and one wake-up of the runtime.
         */
        byte[] deferred;

        Connection(Closeable socket, InputStream in, OutputStream out) {
            this.socket = socket;
            this.in = new Input(in);
            this.out = out;
        }
    }

    private final ServerSocket server;
    /** The same API on a Unix domain socket, for Stratus's own bootstraps; null where there is none. */
    private final ServerSocketChannel local;
    private final Path localPath;
    /** Guards {@link #queue} and {@link #waiting}, and orders {@link #abandoned}'s setting against them. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    /** Events no {@code next} has taken yet, oldest first. */
    private final ArrayDeque<Invocation> queue = new ArrayDeque<>();
    /** A connection whose {@code next} waits for an event, or null. */
    private Connection waiting;
    private volatile boolean abandoned;
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Outcome.Error> initError = new CompletableFuture<>();
    /** Completes at the runtime's first {@code next}: its initialization is done. */
    private final CompletableFuture<Void> initialized = new CompletableFuture<>();
    /** Open connections and their threads, closed and interrupted on {@link #close}. */
    private final Map<Closeable, Thread> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private RuntimeApiServer(ServerSocket server, ServerSocketChannel local, Path localPath) {
        this.server = server;
        this.local = local;
        this.localPath = localPath;
    }

    static RuntimeApiServer start() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        Path localPath = null;
        ServerSocketChannel local = null;
        try {
            localPath = Files.createTempDirectory(SOCKET_DIRECTORY_PREFIX).resolve(SOCKET_NAME);
            if (localPath.toString().length() <= MAX_SOCKET_PATH) {
                local = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(localPath), 16);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // TCP alone, as for any runtime.
        }
        if (local == null && localPath != null) {
            deleteQuietly(localPath);
        }
        RuntimeApiServer api = new RuntimeApiServer(socket, local, local == null ? null : localPath);
        Thread.ofVirtual().name("lambda-runtime-api-" + socket.getLocalPort()).start(api::accept);
        if (local != null) {
            Thread.ofVirtual().name("lambda-runtime-api-local-" + socket.getLocalPort()).start(api::acceptLocal);
        }
        return api;
    }

    /**
     * Removes the socket directories of servers that are gone without closing (their process was
     * killed): a directory whose socket refuses connections and is older than a minute. A live
     * server's socket accepts (the probe's connection ends at once, as a runtime's that exits
     * would); a young one may be between its bind and its listen, and a directory without a socket
     * a server still starting: those stay.
     */
    static void sweepAbandoned() {
        Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        long youngSince = System.currentTimeMillis() - ABANDONED_AFTER_MILLIS;
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(temporary, SOCKET_DIRECTORY_PREFIX + "*")) {
            for (Path directory : directories) {
                Path socketPath = directory.resolve(SOCKET_NAME);
                try {
                    if (!Files.exists(socketPath, LinkOption.NOFOLLOW_LINKS)
                            || Files.getLastModifiedTime(socketPath, LinkOption.NOFOLLOW_LINKS).toMillis() > youngSince) {
                        continue;
                    }
                    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socketPath))) {
                        // Someone listens: in use.
                    } catch (ConnectException e) {
                        deleteQuietly(socketPath);
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // Gone meanwhile, or not ours to judge (no permission, not a socket): left alone.
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Nothing to sweep.
        }
    }

    /** {@code host:port}, as {@code AWS_LAMBDA_RUNTIME_API} gives it to the runtime. */
    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /**
     * The path of the same API's Unix domain socket, or null where there is none: Stratus's own
     * bootstraps connect there (a message through it costs both sides less than through loopback
     * TCP); a zip's own bootstrap and AWS's Java client use {@link #address()}, as on AWS.
     */
    String localAddress() {
        return localPath == null ? null : localPath.toString();
    }

    /**
     * Hands an event to the runtime: written at once, by the calling thread, when the runtime waits
     * in {@code next}; else queued for its next {@code next}.
     */
    Invocation submit(Event event) {
        Invocation invocation = new Invocation(event, new CompletableFuture<>(), new CompletableFuture<>(), new CompletableFuture<>());
        Connection runtime;
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
            closeQuietly(runtime.socket);
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

    /** Completes when the runtime asks for its first event, having initialized. */
    CompletableFuture<Void> initialized() {
        return initialized;
    }

    /** Completes when the runtime reports that it could not initialize. */
    CompletableFuture<Outcome.Error> initError() {
        return initError;
    }

    /** Takes the TCP port's connections until the server closes. */
    private void accept() {
        acceptAll(server::accept, socket -> () -> {
            socket.setTcpNoDelay(true);
            return new Connection(socket, socket.getInputStream(), socket.getOutputStream());
        });
    }

    /** Takes the Unix domain socket's connections until the server closes. */
    private void acceptLocal() {
        acceptAll(local::accept, channel -> () -> new Connection(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel)));
    }

    /** A listener's next connection. */
    @FunctionalInterface
    private interface Listener<S extends Closeable> {
        S accept() throws IOException;
    }

    /** How a connection's streams are opened, on its own thread. */
    @FunctionalInterface
    private interface Opener {
        Connection open() throws IOException;
    }

    private <S extends Closeable> void acceptAll(Listener<S> listener, Function<S, Opener> opener) {
        while (!closed) {
            S socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                // Closed.
                return;
            }
            if (!follow(socket, opener.apply(socket))) {
                return;
            }
        }
    }

    /** Starts the thread that serves a new connection; false when this server closed meanwhile. */
    private boolean follow(Closeable socket, Opener opener) {
        Thread thread = Thread.ofPlatform().daemon().name("lambda-runtime-api-connection").stackSize(CONNECTION_STACK_BYTES)
                .unstarted(() -> serve(socket, opener));
        connections.put(socket, thread);
        if (closed) {
            closeQuietly(socket);
            connections.remove(socket);
            return false;
        }
        thread.start();
        return true;
    }

    /** Reads and answers the connection's requests in turn until it closes. */
    private void serve(Closeable socket, Opener opener) {
        Connection connection = null;
        try (socket) {
            connection = opener.open();
            while (!closed) {
                Request request;
                try {
                    request = read(connection);
                    if (request == null) {
                        return;
                    }
                } catch (BadRequest e) {
                    respond(connection, 400, "Bad Request", json("{\"errorMessage\":\"" + e.getMessage() + "\",\"errorType\":\"InvalidRequest\"}"),
                            true);
                    return;
                }
                if (!handle(request, connection)) {
                    return;
                }
                if (request.close()) {
                    return;
                }
            }
        } catch (IOException e) {
            // The runtime closed its connection, or this server is closing.
        } finally {
            if (connection != null) {
                lock.lock();
                try {
                    if (waiting == connection) {
                        waiting = null;
                    }
                } finally {
                    lock.unlock();
                }
            }
            connections.remove(socket);
        }
    }

    private static final byte[] NO_BODY = new byte[0];

    /**
     * Reads one request's head and body (up to one byte past {@link #MAX_RESPONSE_BYTES}, the rest
     * read and dropped); null at the connection's end before a request. A request that arrives
     * while this connection's {@code next} is still unanswered (pipelined behind it) waits for that
     * answer first, so the answers go out in order.
     */
    private Request read(Connection connection) throws IOException {
        Input in = connection.in;
        String requestLine = in.readLine();
        while (requestLine != null && requestLine.isEmpty()) {
            // Tolerated before a request line, as RFC 9112 asks.
            requestLine = in.readLine();
        }
        if (requestLine == null) {
            return null;
        }
        if (!answerWaitingNext(connection)) {
            return null;
        }
        int firstSpace = requestLine.indexOf(' ');
        int lastSpace = requestLine.lastIndexOf(' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace) {
            throw new BadRequest("Malformed request line");
        }
        String method = requestLine.substring(0, firstSpace);
        String target = requestLine.substring(firstSpace + 1, lastSpace);
        String version = requestLine.substring(lastSpace + 1);
        if (!version.startsWith("HTTP/1.")) {
            throw new BadRequest("Unsupported HTTP version");
        }
        boolean http10 = version.equals("HTTP/1.0");
        long contentLength = -1;
        boolean chunked = false;
        boolean expectContinue = false;
        String errorType = null;
        String connectionHeader = null;
        for (int count = 0;; count++) {
            String line = in.readLine();
            if (line == null) {
                throw new EOFException();
            }
            if (line.isEmpty()) {
                break;
            }
            if (count >= MAX_HEADERS) {
                throw new BadRequest("Too many headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new BadRequest("Malformed header");
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Content-Length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new BadRequest("Malformed Content-Length");
                }
                if (contentLength < 0) {
                    throw new BadRequest("Malformed Content-Length");
                }
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
            } else if (name.equalsIgnoreCase("Expect")) {
                expectContinue = value.equalsIgnoreCase("100-continue");
            } else if (name.equalsIgnoreCase("Lambda-Runtime-Function-Error-Type")) {
                errorType = value;
            } else if (name.equalsIgnoreCase("Connection")) {
                connectionHeader = value.toLowerCase(Locale.ROOT);
            }
        }
        boolean close = http10 ? connectionHeader == null || !connectionHeader.contains("keep-alive")
                : connectionHeader != null && connectionHeader.contains("close");
        if (expectContinue && !http10 && (chunked || contentLength > 0)) {
            write(connection, CONTINUE, NO_BODY);
        }
        byte[] body = chunked ? readChunked(in) : contentLength > 0 ? readFixed(in, contentLength) : NO_BODY;
        int query = target.indexOf('?');
        String path = query >= 0 ? target.substring(0, query) : target;
        return new Request(method, path, errorType, close, body);
    }

    /** Reads a body of {@code length} bytes, keeping up to one byte past the limit so a caller can tell one that is too large. */
    private static byte[] readFixed(Input in, long length) throws IOException {
        int keep = (int) Math.min(length, MAX_RESPONSE_BYTES + 1L);
        byte[] body = in.readNBytes(keep);
        in.skipExactly(length - keep);
        return body;
    }

    private static byte[] readChunked(Input in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = in.readLine();
            if (sizeLine == null) {
                throw new EOFException();
            }
            int extension = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).strip(), 16);
            } catch (NumberFormatException e) {
                throw new BadRequest("Malformed chunk size");
            }
            if (size < 0) {
                throw new BadRequest("Malformed chunk size");
            }
            if (size == 0) {
                // Trailers, up to the blank line.
                for (String trailer = in.readLine(); trailer != null && !trailer.isEmpty(); trailer = in.readLine()) {
                    // Dropped.
                }
                return body.toByteArray();
            }
            long room = Math.max(0, MAX_RESPONSE_BYTES + 1L - body.size());
            long keep = Math.min(size, room);
            byte[] chunk = in.readNBytes((int) keep);
            body.write(chunk, 0, chunk.length);
            in.skipExactly(size - keep);
            String end = in.readLine();
            if (end == null || !end.isEmpty()) {
                throw new BadRequest("Malformed chunk");
            }
        }
    }

    /** Answers one request; false when the connection is to close (this server is closing). */
    private boolean handle(Request request, Connection connection) throws IOException {
        byte[] body = request.body();
        String path = request.path();
        String method = request.method();
        String route = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        if (method.equals("GET") && route.equals("invocation/next")) {
            return next(connection, request.close());
        } else if (method.equals("POST") && route.equals("init/error")) {
            initError.complete(new Outcome.Error(body, errorType(request)));
            respond(connection, 202, "Accepted", OK, request.close());
        } else if (method.equals("POST") && route.startsWith("invocation/")) {
            answer(request, route, connection);
        } else {
            respond(connection, 404, "Not Found", json("{\"errorMessage\":\"Unknown Runtime API path " + path + "\",\"errorType\":\"InvalidRequest\"}"),
                    request.close());
        }
        return true;
    }

    private static final byte[] OK = json("{\"status\":\"OK\"}");

    /**
     * A {@code next}: answered at once with a queued event; else the connection waits and
     * {@link #submit} answers it. A {@code next} that closes its connection after the answer waits
     * here instead, on this thread.
     */
    private boolean next(Connection connection, boolean close) throws IOException {
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
    private boolean answerWaitingNext(Connection connection) throws IOException {
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
    private void deliver(Invocation pending, Connection connection, boolean close) throws IOException {
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
        write(connection, head(head, event.payload().length, close), event.payload());
    }

    private void answer(Request request, String route, Connection connection) throws IOException {
        byte[] body = request.body();
        String[] parts = route.split("/");
        Invocation pending = parts.length == 3 ? inFlight.remove(parts[1]) : null;
        if (pending == null) {
            respond(connection, 400, "Bad Request", json("{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}"),
                    request.close());
            return;
        }
        switch (parts[2]) {
            case "response" -> {
                if (body.length > MAX_RESPONSE_BYTES) {
                    pending.answer(new Outcome.Error(String.format(
                            "{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (%d bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}",
                            MAX_RESPONSE_BYTES).getBytes(StandardCharsets.UTF_8), "Function.ResponseSizeTooLarge"));
                    respond(connection, 413, "Payload Too Large", json("{\"errorMessage\":\"Payload too large\",\"errorType\":\"RequestEntityTooLarge\"}"),
                            request.close());
                    return;
                }
                pending.answer(new Outcome.Response(body));
            }
            case "error" -> pending.answer(new Outcome.Error(body, errorType(request)));
            default -> {
                inFlight.put(parts[1], pending);
                respond(connection, 404, "Not Found", json("{\"errorMessage\":\"Unknown Runtime API path\",\"errorType\":\"InvalidRequest\"}"),
                        request.close());
                return;
            }
        }
        if (!request.close() && connection.in.buffered()) {
            // The runtime sent its next request with this one, so it does not wait for this answer.
            synchronized (connection.out) {
                connection.deferred = ACCEPTED;
            }
            return;
        }
        respond(connection, 202, "Accepted", OK, request.close());
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

    private static void respond(Connection connection, int status, String reason, byte[] body, boolean close) throws IOException {
        StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ").append(status).append(' ').append(reason)
                .append("\r\nContent-Type: application/json\r\n");
        write(connection, head(head, body.length, close), body);
    }

    private static byte[] head(StringBuilder head, int length, boolean close) {
        head.append("Content-Length: ").append(length).append("\r\n");
        if (close) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes a response, after the {@linkplain Connection#deferred deferred} one if any, in one write
     * where it fits (a small body with its head), under the connection's monitor.
     */
    private static void write(Connection connection, byte[] head, byte[] body) throws IOException {
        synchronized (connection.out) {
            byte[] before = connection.deferred == null ? NO_BODY : connection.deferred;
            connection.deferred = null;
            if (body.length <= 16 * 1024) {
                byte[] all = new byte[before.length + head.length + body.length];
                System.arraycopy(before, 0, all, 0, before.length);
                System.arraycopy(head, 0, all, before.length, head.length);
                System.arraycopy(body, 0, all, before.length + head.length, body.length);
                connection.out.write(all);
            } else {
                connection.out.write(before);
                connection.out.write(head);
                connection.out.write(body);
            }
        }
    }

    /** A socket's input, buffered; read by the connection's thread alone, so without the locks of {@link java.io.BufferedInputStream}. */
    private static final class Input {
        private final InputStream in;
        private final byte[] buffer = new byte[8192];
        private int position;
        private int limit;

        Input(InputStream in) {
            this.in = in;
        }

        /** Whether bytes of a next request are here already. */
        boolean buffered() {
            return position < limit;
        }

        private boolean fill() throws IOException {
            int read = in.read(buffer, 0, buffer.length);
            if (read <= 0) {
                return false;
            }
            position = 0;
            limit = read;
            return true;
        }

        /** A line of the head, without its CRLF (or bare LF), as ISO-8859-1; null at the stream's end before any byte. */
        String readLine() throws IOException {
            StringBuilder spanning = null;
            while (true) {
                if (position == limit && !fill()) {
                    if (spanning == null || spanning.isEmpty()) {
                        return null;
                    }
                    throw new EOFException();
                }
                int start = position;
                int end = start;
                while (end < limit && buffer[end] != '\n') {
                    end++;
                }
                int length = end - start;
                if ((spanning == null ? 0 : spanning.length()) + length > MAX_LINE_BYTES) {
                    throw new BadRequest("Request header too large");
                }
                if (end < limit) {
                    position = end + 1;
                    String line;
                    if (spanning == null) {
                        line = new String(buffer, start, length, StandardCharsets.ISO_8859_1);
                    } else {
                        line = spanning.append(new String(buffer, start, length, StandardCharsets.ISO_8859_1)).toString();
                    }
                    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                }
                if (spanning == null) {
                    spanning = new StringBuilder(length + 64);
                }
                spanning.append(new String(buffer, start, length, StandardCharsets.ISO_8859_1));
                position = limit;
            }
        }

        byte[] readNBytes(int count) throws IOException {
            byte[] bytes = new byte[count];
            int buffered = Math.min(count, limit - position);
            System.arraycopy(buffer, position, bytes, 0, buffered);
            position += buffered;
            int read = buffered;
            while (read < count) {
                int n = in.read(bytes, read, count - read);
                if (n < 0) {
                    throw new EOFException();
                }
                read += n;
            }
            return bytes;
        }

        void skipExactly(long count) throws IOException {
            long buffered = Math.min(count, limit - position);
            position += (int) buffered;
            long rest = count - buffered;
            while (rest > 0) {
                if (!fill()) {
                    throw new EOFException();
                }
                int skipped = (int) Math.min(rest, limit);
                position = skipped;
                rest -= skipped;
            }
        }
    }

    private static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    private static void deleteQuietly(Path socketPath) {
        try {
            Files.deleteIfExists(socketPath);
            Files.deleteIfExists(socketPath.getParent());
        } catch (IOException e) {
            // A leftover in the temporary directory.
        }
    }

    /** Stops serving; a runtime still polling sees its connection close. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        if (local != null) {
            closeQuietly(local);
            deleteQuietly(localPath);
        }
        connections.forEach((socket, thread) -> {
            closeQuietly(socket);
            thread.interrupt();
        });
    }
}
