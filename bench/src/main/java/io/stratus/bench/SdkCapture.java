package io.stratus.bench;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.entity.ByteArrayEntity;

/**
 * Records what an AWS SDK client puts on the wire — request line, headers, body — by being the
 * endpoint it talks to for one call, so a benchmark can send those same bytes through the cheap
 * pooled client its baseline uses: the server gets exactly the SDK's request (aws-chunked
 * bodies with chunk signatures and trailing checksums included), and the client's cost stays
 * the same small amount for every server. Signatures are replayed unchanged; Stratus checks them
 * only with {@code --auth sigv4}, which the benchmarks do not use.
 */
final class SdkCapture implements AutoCloseable {

    /** Headers the replaying client sets itself (framing, connection) rather than copies. */
    private static final Set<String> FRAMING = Set.of("host", "content-length", "connection", "transfer-encoding", "expect");

    /** One captured request. */
    record Request(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {

        String header(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
        }

        /**
         * The same request to {@code endpoint}, its target with each {@code replacements} key
         * swapped for its value, and {@code body} (or the captured body when null). Sent with
         * {@code Expect: 100-continue} when the SDK sent it, as the SDK's Apache client does.
         */
        HttpRequestBase replay(URI endpoint, Map<String, String> replacements, byte[] body) {
            String path = target;
            for (Map.Entry<String, String> replacement : replacements.entrySet()) {
                path = path.replace(replacement.getKey(), replacement.getValue());
            }
            URI uri = URI.create(endpoint.toString().replaceAll("/$", "") + path);
            byte[] content = body != null ? body : this.body;
            HttpRequestBase request;
            if (content.length > 0 || method.equals("PUT") || method.equals("POST")) {
                HttpEntityEnclosingRequestBase enclosing = new HttpEntityEnclosingRequestBase() {
                    @Override
                    public String getMethod() {
                        return method;
                    }
                };
                enclosing.setEntity(new ByteArrayEntity(content));
                request = enclosing;
            } else {
                request = new HttpRequestBase() {
                    @Override
                    public String getMethod() {
                        return method;
                    }
                };
            }
            request.setURI(uri);
            for (Map.Entry<String, String> header : headers) {
                if (!FRAMING.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    request.addHeader(header.getKey(), header.getValue());
                }
            }
            if ("100-continue".equalsIgnoreCase(header("Expect"))) {
                request.setConfig(RequestConfig.custom().setExpectContinueEnabled(true).build());
            }
            return request;
        }
    }

    private final ServerSocket server;
    private final BlockingQueue<Request> captured = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    /** Listens on loopback and answers each request with the raw HTTP response {@code answer} gives. */
    SdkCapture(Function<Request, String> answer) throws IOException {
        requireNonNull(answer, "answer is null");
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().daemon().name("sdk-capture").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofPlatform().daemon().start(() -> serve(socket, answer));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The next request the SDK sent, waiting up to 10 s for it. */
    Request next() throws InterruptedException {
        Request request = captured.poll(10, TimeUnit.SECONDS);
        if (request == null) {
            throw new IllegalStateException("the SDK sent no request");
        }
        return request;
    }

    private void serve(Socket socket, Function<Request, String> answer) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String[] lines = head.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                long length = 0;
                boolean continueExpected = false;
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    String name = lines[i].substring(0, colon).trim();
                    String value = lines[i].substring(colon + 1).trim();
                    headers.add(Map.entry(name, value));
                    if (name.equalsIgnoreCase("Content-Length")) {
                        length = Long.parseLong(value);
                    } else if (name.equalsIgnoreCase("Expect")) {
                        continueExpected = value.equalsIgnoreCase("100-continue");
                    } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                        throw new IOException("chunked transfer encoding is not captured");
                    }
                }
                if (continueExpected) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                byte[] body = in.readNBytes((int) length);
                Request request = new Request(requestLine[0], requestLine[1], List.copyOf(headers), body);
                captured.add(request);
                out.write(answer.apply(request).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException e) {
            // The client went away; nothing to record.
        }
    }

    /** The request line and headers, without the blank line; null at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
        return null;
    }

    /** A raw {@code 200} with {@code headers} (each ending in CRLF) and {@code body}. */
    static String ok(String headers, String body) {
        return "HTTP/1.1 200 OK\r\n" + headers + "Content-Length: " + body.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n\r\n" + body;
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
