package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The Lambda Runtime API of one execution environment, on a loopback port of its own: the runtime
 * process long-polls {@code /2018-06-01/runtime/invocation/next}, then posts the invocation's
 * {@code response} or {@code error}, or {@code /runtime/init/error} when it cannot load the handler.
 *
 * <p>A small HTTP/1.1 server of its own (persistent connections, {@code Content-Length} or chunked
 * request bodies, {@code Expect: 100-continue}), one virtual thread per connection reading its
 * requests in turn: a runtime keeps one connection, so an invocation costs no hand-off between a
 * selector thread and a handler thread, and a parked long poll costs no platform thread.
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

    /** A request's method, path (without its query), the headers the API reads, and its body. */
    private record Request(String method, String path, String errorType, boolean close, byte[] body) {}

    /** A request that is not HTTP/1.x as this server reads it: answered 400, then the connection closes. */
    private static final class BadRequest extends IOException {
        BadRequest(String message) {
            super(message);
        }
    }

    private final ServerSocket server;
    private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Outcome.Error> initError = new CompletableFuture<>();
    /** Completes at the runtime's first {@code next}: its initialization is done. */
    private final CompletableFuture<Void> initialized = new CompletableFuture<>();
    /** Open connections and their threads, closed and interrupted on {@link #close}. */
    private final Map<Socket, Thread> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private RuntimeApiServer(ServerSocket server) {
        this.server = server;
    }

    static RuntimeApiServer start() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        RuntimeApiServer api = new RuntimeApiServer(socket);
        Thread.ofVirtual().name("lambda-runtime-api-" + socket.getLocalPort()).start(api::accept);
        return api;
    }

    /** {@code host:port}, as {@code AWS_LAMBDA_RUNTIME_API} gives it to the runtime. */
    String address() {
        return "127.0.0.1:" + server.getLocalPort();
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

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                // Closed.
                return;
            }
            Thread thread = Thread.ofVirtual().name("lambda-runtime-api-connection").unstarted(() -> serve(socket));
            connections.put(socket, thread);
            if (closed) {
                closeQuietly(socket);
                connections.remove(socket);
                return;
            }
            thread.start();
        }
    }

    /** Reads and answers the connection's requests in turn until it closes. */
    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            while (!closed) {
                Request request;
                try {
                    request = read(in, out);
                    if (request == null) {
                        return;
                    }
                } catch (BadRequest e) {
                    respond(out, 400, "Bad Request", json("{\"errorMessage\":\"" + e.getMessage() + "\",\"errorType\":\"InvalidRequest\"}"), true);
                    return;
                }
                if (!handle(request, out)) {
                    return;
                }
                if (request.close()) {
                    return;
                }
            }
        } catch (IOException e) {
            // The runtime closed its connection, or this server is closing.
        } finally {
            connections.remove(socket);
        }
    }

    private static final byte[] NO_BODY = new byte[0];

    /**
     * Reads one request's head and body (up to one byte past {@link #MAX_RESPONSE_BYTES}, the rest
     * read and dropped); null at the connection's end before a request.
     */
    private static Request read(InputStream in, OutputStream out) throws IOException {
        String requestLine = readLine(in, true);
        while (requestLine != null && requestLine.isEmpty()) {
            // Tolerated before a request line, as RFC 9112 asks.
            requestLine = readLine(in, true);
        }
        if (requestLine == null) {
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
        String connection = null;
        for (int count = 0;; count++) {
            String line = readLine(in, false);
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
                connection = value.toLowerCase(Locale.ROOT);
            }
        }
        boolean close = http10 ? connection == null || !connection.contains("keep-alive") : connection != null && connection.contains("close");
        if (expectContinue && !http10 && (chunked || contentLength > 0)) {
            out.write(CONTINUE);
            out.flush();
        }
        byte[] body = chunked ? readChunked(in) : contentLength > 0 ? readFixed(in, contentLength) : NO_BODY;
        int query = target.indexOf('?');
        String path = query >= 0 ? target.substring(0, query) : target;
        return new Request(method, path, errorType, close, body);
    }

    /** A line of the head, without its CRLF (or bare LF); null at the stream's end before any byte. */
    private static String readLine(InputStream in, boolean first) throws IOException {
        StringBuilder line = new StringBuilder(first ? 64 : 32);
        for (int b = in.read();; b = in.read()) {
            if (b < 0) {
                if (line.isEmpty()) {
                    return null;
                }
                throw new EOFException();
            }
            if (b == '\n') {
                int length = line.length();
                if (length > 0 && line.charAt(length - 1) == '\r') {
                    line.setLength(length - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE_BYTES) {
                throw new BadRequest("Request header too large");
            }
            line.append((char) b);
        }
    }

    /** Reads a body of {@code length} bytes, keeping up to one byte past the limit so a caller can tell one that is too large. */
    private static byte[] readFixed(InputStream in, long length) throws IOException {
        int keep = (int) Math.min(length, MAX_RESPONSE_BYTES + 1L);
        byte[] body = in.readNBytes(keep);
        if (body.length < keep) {
            throw new EOFException();
        }
        long rest = length - keep;
        while (rest > 0) {
            long skipped = in.skip(rest);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException();
                }
                skipped = 1;
            }
            rest -= skipped;
        }
        return body;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in, false);
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
                for (String trailer = readLine(in, false); trailer != null && !trailer.isEmpty(); trailer = readLine(in, false)) {
                    // Dropped.
                }
                return body.toByteArray();
            }
            long room = Math.max(0, MAX_RESPONSE_BYTES + 1L - body.size());
            long keep = Math.min(size, room);
            byte[] chunk = readFixed(in, size);
            body.write(chunk, 0, (int) Math.min(keep, chunk.length));
            String end = readLine(in, false);
            if (end == null || !end.isEmpty()) {
                throw new BadRequest("Malformed chunk");
            }
        }
    }

    /** Answers one request; false when the connection is to close (this server is closing). */
    private boolean handle(Request request, OutputStream out) throws IOException {
        byte[] body = request.body();
        String path = request.path();
        String method = request.method();
        String route = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        if (method.equals("GET") && route.equals("invocation/next")) {
            return next(out, request.close());
        } else if (method.equals("POST") && route.equals("init/error")) {
            initError.complete(new Outcome.Error(body, errorType(request)));
            respond(out, 202, "Accepted", OK, request.close());
        } else if (method.equals("POST") && route.startsWith("invocation/")) {
            answer(request, route, out);
        } else {
            respond(out, 404, "Not Found", json("{\"errorMessage\":\"Unknown Runtime API path " + path + "\",\"errorType\":\"InvalidRequest\"}"),
                    request.close());
        }
        return true;
    }

    private static final byte[] OK = json("{\"status\":\"OK\"}");

    private boolean next(OutputStream out, boolean close) throws IOException {
        initialized.complete(null);
        Invocation pending;
        try {
            pending = queue.take();
        } catch (InterruptedException e) {
            // The environment is closing.
            return false;
        }
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
        writeHead(out, head, event.payload().length, close);
        out.write(event.payload());
        out.flush();
        return true;
    }

    private void answer(Request request, String route, OutputStream out) throws IOException {
        byte[] body = request.body();
        String[] parts = route.split("/");
        Invocation pending = parts.length == 3 ? inFlight.remove(parts[1]) : null;
        if (pending == null) {
            respond(out, 400, "Bad Request", json("{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}"), request.close());
            return;
        }
        switch (parts[2]) {
            case "response" -> {
                if (body.length > MAX_RESPONSE_BYTES) {
                    pending.outcome().complete(new Outcome.Error(String.format(
                            "{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (%d bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}",
                            MAX_RESPONSE_BYTES).getBytes(StandardCharsets.UTF_8), "Function.ResponseSizeTooLarge"));
                    respond(out, 413, "Payload Too Large", json("{\"errorMessage\":\"Payload too large\",\"errorType\":\"RequestEntityTooLarge\"}"),
                            request.close());
                    return;
                }
                pending.outcome().complete(new Outcome.Response(body));
            }
            case "error" -> pending.outcome().complete(new Outcome.Error(body, errorType(request)));
            default -> {
                inFlight.put(parts[1], pending);
                respond(out, 404, "Not Found", json("{\"errorMessage\":\"Unknown Runtime API path\",\"errorType\":\"InvalidRequest\"}"), request.close());
                return;
            }
        }
        respond(out, 202, "Accepted", OK, request.close());
    }

    private static String errorType(Request request) {
        String type = request.errorType();
        return type == null || type.isBlank() ? "Unhandled" : type;
    }

    private static byte[] json(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static void respond(OutputStream out, int status, String reason, byte[] body, boolean close) throws IOException {
        StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ").append(status).append(' ').append(reason)
                .append("\r\nContent-Type: application/json\r\n");
        writeHead(out, head, body.length, close);
        out.write(body);
        out.flush();
    }

    private static void writeHead(OutputStream out, StringBuilder head, int length, boolean close) throws IOException {
        head.append("Content-Length: ").append(length).append("\r\n");
        if (close) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    /** Stops serving; a runtime still polling sees its connection close. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        connections.forEach((socket, thread) -> {
            closeQuietly(socket);
            thread.interrupt();
        });
    }
}
