package io.stratus.lambda;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One connection to the {@link RuntimeApiServer}, as HTTP/1.1 sees it: its requests read from its
 * socket (persistent, pipelined, {@code Content-Length} or chunked bodies, {@code Expect:
 * 100-continue}) by the connection's own thread, and answers written to it by whichever thread has
 * one (an event goes out from the thread that submitted it).
 *
 * <p>Reading is confined to the connection's thread; writing is guarded by the output's monitor.
 */
final class RuntimeApiConnection {

    /** Bounds on a request's head: its line and each header line, and the number of headers. */
    private static final int MAX_LINE_BYTES = 64 * 1024;
    private static final int MAX_HEADERS = 200;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_BODY = new byte[0];

    /**
     * One request of the runtime's: its method, path (without its query), the headers the API reads, and its body.
     *
     * @param exiting whether the runtime said it exits after this request (Stratus's own Node.js bootstrap does after a
     *     crash outside the handler's promise, as AWS's runtime does), with {@value #EXITING_HEADER}
     * @param stream the response the runtime streamed ({@code Lambda-Runtime-Function-Response-Mode: streaming}),
     *     ended, or null for any other request (whose bytes are {@code body})
     * @param trailerErrorType the {@code Lambda-Runtime-Function-Error-Type} trailer of a streamed
     *     response that failed midway, or null
     * @param trailerErrorBody its {@code Lambda-Runtime-Function-Error-Body} trailer (base64 of the error document), or null
     */
    record Request(String method, String path, String errorType, boolean exiting, boolean close, byte[] body, StreamedResponse stream,
            String trailerErrorType, String trailerErrorBody, Map<String, String> extensionHeaders) {

        Request(String method, String path, String errorType, boolean exiting, boolean close, byte[] body) {
            this(method, path, errorType, exiting, close, body, null, null, null, Map.of());
        }

        /** A {@code Lambda-Extension-*} header of the Extensions API (its lower-case name), or null. */
        String header(String name) {
            return extensionHeaders.get(name);
        }

        boolean streamed() {
            return stream != null;
        }
    }

    /** Told of a streamed response as soon as its head is read, before its body: its readers may follow it from then on. */
    @FunctionalInterface
    interface StreamListener {
        void streaming(String path, StreamedResponse stream);
    }

    static final String EXITING_HEADER = "Stratus-Runtime-Exiting";

    /** A request that is not HTTP/1.x as this server reads it: answered 400, then the connection closes. */
    static final class BadRequest extends IOException {
        BadRequest(String message) {
            super(message);
        }
    }

    private final Closeable socket;
    private final Input in;
    private final OutputStream out;
    /**
     * An answer not written yet, guarded by {@link #out}'s monitor: the 202 to a runtime's response
     * when its next request is already here (pipelined), which goes out with the answer to that
     * request (the next event), in one write and one wake-up of the runtime.
     */
    private byte[] deferred;

    RuntimeApiConnection(Closeable socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.in = new Input(in);
        this.out = out;
    }

    Closeable socket() {
        return socket;
    }

    /** Whether bytes of a next request are here already (the runtime pipelined it). */
    boolean pipelined() {
        return in.buffered();
    }

    /** Holds an answer back, to go out in front of the next one written. */
    void defer(byte[] answer) {
        synchronized (out) {
            deferred = answer;
        }
    }

    /** The next request's line (blank lines before it skipped, as RFC 9112 allows); null at the connection's end. */
    String readRequestLine() throws IOException {
        String requestLine = in.readLine();
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = in.readLine();
        }
        return requestLine;
    }

    /**
     * Reads the rest of the request whose line was read: its head, and its body up to one byte past
     * {@link RuntimeApiServer#MAX_RESPONSE_BYTES} (the rest read and dropped). A streamed response's
     * body goes into a {@link StreamedResponse} chunk by chunk as it arrives, which {@code listener}
     * gets first (and which ends, whatever happens, before this returns or throws).
     */
    Request readRequest(String requestLine, StreamListener listener) throws IOException {
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
        boolean exiting = false;
        String connectionHeader = null;
        boolean streamed = false;
        String contentType = null;
        Map<String, String> extensionHeaders = Map.of();
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
            } else if (name.equalsIgnoreCase(EXITING_HEADER)) {
                exiting = value.equalsIgnoreCase("true");
            } else if (name.equalsIgnoreCase("Connection")) {
                connectionHeader = value.toLowerCase(Locale.ROOT);
            } else if (name.equalsIgnoreCase("Lambda-Runtime-Function-Response-Mode")) {
                streamed = value.equalsIgnoreCase("streaming");
            } else if (name.equalsIgnoreCase("Content-Type")) {
                contentType = value;
            } else if (name.regionMatches(true, 0, "Lambda-Extension-", 0, "Lambda-Extension-".length())) {
                if (extensionHeaders.isEmpty()) {
                    extensionHeaders = new HashMap<>();
                }
                extensionHeaders.put(name.toLowerCase(Locale.ROOT), value);
            }
        }
        boolean close = http10 ? connectionHeader == null || !connectionHeader.contains("keep-alive")
                : connectionHeader != null && connectionHeader.contains("close");
        if (expectContinue && !http10 && (chunked || contentLength > 0)) {
            write(CONTINUE, NO_BODY);
        }
        int query = target.indexOf('?');
        String path = query >= 0 ? target.substring(0, query) : target;
        Map<String, String> trailers = chunked ? new HashMap<>() : Map.of();
        if (streamed) {
            // Kept up to one byte past a buffered response's limit, for a caller that takes it whole.
            StreamedResponse stream = new StreamedResponse(contentType != null ? contentType : "application/octet-stream",
                    RuntimeApiServer.MAX_STREAMED_RESPONSE_BYTES, RuntimeApiServer.MAX_RESPONSE_BYTES + 1L);
            listener.streaming(path, stream);
            try {
                if (chunked) {
                    readChunked(in, trailers, stream::append);
                } else if (contentLength > 0) {
                    readFixed(in, contentLength, stream::append);
                }
            } finally {
                stream.end();
            }
            // A runtime that crashed midway says in the trailers that it exits.
            boolean exits = exiting || "true".equalsIgnoreCase(trailers.get(EXITING_HEADER.toLowerCase(Locale.ROOT)));
            return new Request(method, path, errorType, exits, close, NO_BODY, stream,
                    trailers.get("lambda-runtime-function-error-type"), trailers.get("lambda-runtime-function-error-body"), extensionHeaders);
        }
        // Up to one byte past the limit, so a caller can tell a body that is too large.
        long keep = RuntimeApiServer.MAX_RESPONSE_BYTES + 1L;
        byte[] body = NO_BODY;
        if (chunked) {
            BoundedBody kept = new BoundedBody(keep);
            readChunked(in, trailers, kept);
            body = kept.toByteArray();
        } else if (contentLength > 0) {
            body = in.readNBytes((int) Math.min(contentLength, keep));
            in.skipExactly(contentLength - body.length);
        }
        return new Request(method, path, errorType, exiting, close, body, null, null, null, extensionHeaders);
    }

    /** Where a body's bytes go as they are read. */
    @FunctionalInterface
    private interface BodySink {
        void accept(byte[] bytes, int offset, int length) throws IOException;
    }

    /** Keeps a body's first bytes, up to a limit; the rest is dropped. */
    private static final class BoundedBody extends ByteArrayOutputStream implements BodySink {
        private final long limit;

        BoundedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public void accept(byte[] bytes, int offset, int length) {
            write(bytes, offset, (int) Math.min(length, Math.max(0, limit - size())));
        }
    }


    /** How much of a body is read at a time. */
    private static final int READ_BYTES = 64 * 1024;

    /** Reads a body of {@code length} bytes into {@code sink}. */
    private static void readFixed(Input in, long length, BodySink sink) throws IOException {
        byte[] buffer = new byte[(int) Math.min(length, READ_BYTES)];
        for (long left = length; left > 0;) {
            int n = in.read(buffer, 0, (int) Math.min(left, buffer.length));
            if (n < 0) {
                throw new EOFException();
            }
            sink.accept(buffer, 0, n);
            left -= n;
        }
    }

    /** Reads a chunked body into {@code sink}, as each piece of a chunk arrives, and its trailers (names in lower case). */
    private static void readChunked(Input in, Map<String, String> trailers, BodySink sink) throws IOException {
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
                // Trailers, up to the blank line: a streamed response's error comes in them.
                for (String trailer = in.readLine(); trailer != null && !trailer.isEmpty(); trailer = in.readLine()) {
                    int colon = trailer.indexOf(':');
                    if (colon > 0 && trailers.size() < MAX_HEADERS) {
                        trailers.put(trailer.substring(0, colon).strip().toLowerCase(Locale.ROOT), trailer.substring(colon + 1).strip());
                    }
                }
                return;
            }
            readFixed(in, size, sink);
            String end = in.readLine();
            if (end == null || !end.isEmpty()) {
                throw new BadRequest("Malformed chunk");
            }
        }
    }

    /** Writes a JSON answer. */
    void respond(int status, String reason, byte[] body, boolean close) throws IOException {
        respond(status, reason, body, close, null, null);
    }

    /** A JSON answer with one more header ({@code headerName} null for none). */
    void respond(int status, String reason, byte[] body, boolean close, String headerName, String headerValue) throws IOException {
        StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ").append(status).append(' ').append(reason)
                .append("\r\nContent-Type: application/json\r\n");
        if (headerName != null) {
            head.append(headerName).append(": ").append(headerValue).append("\r\n");
        }
        write(head(head, body.length, close), body);
    }

    /** Ends a response's head with its length (and {@code Connection: close}), as bytes. */
    static byte[] head(StringBuilder head, int length, boolean close) {
        head.append("Content-Length: ").append(length).append("\r\n");
        if (close) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes a response, after the {@linkplain #defer deferred} one if any, in one write where it
     * fits (a small body with its head), under the output's monitor. Any thread may write.
     */
    void write(byte[] head, byte[] body) throws IOException {
        synchronized (out) {
            byte[] before = deferred == null ? NO_BODY : deferred;
            deferred = null;
            if (body.length <= 16 * 1024) {
                byte[] all = new byte[before.length + head.length + body.length];
                System.arraycopy(before, 0, all, 0, before.length);
                System.arraycopy(head, 0, all, before.length, head.length);
                System.arraycopy(body, 0, all, before.length + head.length, body.length);
                out.write(all);
            } else {
                out.write(before);
                out.write(head);
                out.write(body);
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

        /** What is buffered, else one read of the socket: at least one byte, -1 at the stream's end. */
        int read(byte[] bytes, int offset, int length) throws IOException {
            if (position < limit) {
                int n = Math.min(length, limit - position);
                System.arraycopy(buffer, position, bytes, offset, n);
                position += n;
                return n;
            }
            return in.read(bytes, offset, length);
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
}
