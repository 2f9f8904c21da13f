package io.stratus.server.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.protocol.BytesInputStream;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Netty's HTTP messages into {@link HttpRequest}s and hands each to a virtual thread as soon
 * as its head arrives, streaming the body behind it.
 *
 * <p>One request per connection at a time: a request that arrives (pipelined) before the previous
 * response is written waits, and the channel stops reading until it is handled, which keeps
 * responses in order; connections that do not pipeline never pause. Reading also pauses while a
 * request body has more buffered than its consumer has read. {@link #updateAutoRead} is the one
 * place that decides.
 *
 * <p>Thread-safety: one instance per channel; its fields are touched only on the channel's event
 * loop. The request's virtual thread only submits writes, whose listeners run on the event loop.
 */
final class EdgeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeHandler.class);
    /** How long a connection that answered early may still send what it had in flight. */
    private static final long LINGER_SECONDS = 2;
    /** The piece of a streamed response body read and written at a time. */
    private static final int STREAM_CHUNK_BYTES = 256 * 1024;
    /** The most one read of a stream of unknown length takes: its pieces are sent as they come, and are mostly small. */
    private static final int OPEN_STREAM_READ_BYTES = 32 * 1024;

    private final RequestDispatcher dispatcher;
    private final Executor executor;
    private final long maxBodyBytes;
    private final InFlight inFlight;
    private final ErrorResponses errors;

    private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
    /** The client's IP address (see {@link #sourceIp(ChannelHandlerContext)}); null until read. */
    private String sourceIp;
    /** The connection's TLS protocol, null for plain HTTP (see {@link #tlsVersion(ChannelHandlerContext)}); once {@link #tlsRead}. */
    private String tlsVersion;
    private boolean tlsRead;
    private StreamingBody body;
    private long receivedBytes;
    private boolean responding;
    private boolean closing;

    EdgeHandler(RequestDispatcher dispatcher, Executor executor, long maxBodyBytes, InFlight inFlight, ErrorResponses errors) {
        this.dispatcher = java.util.Objects.requireNonNull(dispatcher, "dispatcher is null");
        this.executor = java.util.Objects.requireNonNull(executor, "executor is null");
        this.maxBodyBytes = maxBodyBytes;
        this.inFlight = java.util.Objects.requireNonNull(inFlight, "inFlight is null");
        this.errors = java.util.Objects.requireNonNull(errors, "errors is null");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            // Answered already and closing: whatever else the client sends is read and dropped.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!pipelined.isEmpty() || (responding && msg instanceof io.netty.handler.codec.http.HttpRequest)) {
            pipelined.add(msg);
            updateAutoRead(ctx);
            return;
        }
        handle(ctx, msg);
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof io.netty.handler.codec.http.HttpRequest head) {
            onHead(ctx, head);
        }
        if (msg instanceof HttpContent content) {
            onContent(ctx, content);
        }
    }

    private void onHead(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpRequest head) {
        if (head.decoderResult().isFailure()) {
            answerAndClose(ctx, errors.bareError(new AwsException(CommonErrors.BAD_REQUEST, "The request could not be parsed as HTTP/1.1."), null));
            return;
        }
        long contentLength = HttpUtil.getContentLength(head, -1L);
        if (contentLength > maxBodyBytes) {
            answerAndClose(ctx, errors.bareError(AwsException.of(CommonErrors.REQUEST_ENTITY_TOO_LARGE,
                    "Request body of %d bytes exceeds the maximum allowed size of %d bytes", contentLength, maxBodyBytes),
                    toRequest(head, InputStream.nullInputStream(), contentLength, sourceIp(ctx), tlsVersion(ctx))));
            return;
        }
        if (!inFlight.enter()) {
            answerAndClose(ctx, errors.bareError(new AwsException(CommonErrors.SERVICE_UNAVAILABLE, "Stratus is shutting down."),
                    toRequest(head, InputStream.nullInputStream(), contentLength, sourceIp(ctx), tlsVersion(ctx))));
            return;
        }
        if (HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        StreamingBody requestBody = new StreamingBody(() -> ctx.executor().execute(() -> updateAutoRead(ctx)));
        body = requestBody;
        receivedBytes = 0;
        responding = true;
        boolean keepAlive = HttpUtil.isKeepAlive(head);
        HttpRequest request = toRequest(head, requestBody, contentLength, sourceIp(ctx), tlsVersion(ctx));
        executor.execute(() -> respond(ctx, request, requestBody, keepAlive));
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        StreamingBody current = body;
        try {
            if (current == null) {
                return;
            }
            if (content.decoderResult().isFailure()) {
                failBody(new BodyException(new AwsException(CommonErrors.INCOMPLETE_BODY,
                        "The request body terminated unexpectedly or its chunked encoding is malformed.")));
                return;
            }
            receivedBytes += content.content().readableBytes();
            if (receivedBytes > maxBodyBytes) {
                failBody(new BodyException(AwsException.of(CommonErrors.REQUEST_ENTITY_TOO_LARGE,
                        "Request body exceeds the maximum allowed size of %d bytes", maxBodyBytes)));
                return;
            }
            if (content.content().isReadable()) {
                current.offer(content.content().retain());
            }
            if (content instanceof LastHttpContent) {
                current.complete();
                body = null;
                updateAutoRead(ctx);
            }
        } finally {
            content.release();
        }
    }

    private void failBody(IOException cause) {
        if (body != null) {
            body.fail(cause);
            body = null;
        }
    }

    /**
     * On the request's virtual thread: runs the operation, then hands the response to the event
     * loop. An operation that answers later (its stage is not complete when it returns) has its
     * response handed over from the thread that completes it, unless the response streams its
     * body, which is read on a virtual thread again.
     */
    private void respond(ChannelHandlerContext ctx, HttpRequest request, StreamingBody requestBody, boolean keepAlive) {
        CompletableFuture<HttpResponse> answer;
        try {
            answer = dispatcher.dispatch(request).toCompletableFuture();
        } catch (Throwable t) {
            answer = CompletableFuture.failedFuture(t);
        }
        if (answer.isDone()) {
            HttpResponse response = null;
            Throwable failure = null;
            try {
                response = answer.join();
            } catch (CompletionException | CancellationException e) {
                failure = e.getCause() != null ? e.getCause() : e;
            }
            deliver(ctx, request, requestBody, keepAlive, response, failure);
            return;
        }
        answer.whenComplete((response, failure) -> {
            if (failure == null && response.stream() != null) {
                executor.execute(() -> deliver(ctx, request, requestBody, keepAlive, response, null));
            } else {
                deliver(ctx, request, requestBody, keepAlive, response, failure);
            }
        });
    }

    /** Hands a response (or, should the dispatcher have failed, an internal failure) to the event loop. */
    private void deliver(ChannelHandlerContext ctx, HttpRequest request, StreamingBody requestBody, boolean keepAlive, HttpResponse response,
            Throwable failure) {
        boolean exited = false;
        try {
            if (failure != null) {
                LOG.error("Request {} {} failed without a response", request.method(), request.rawPath(), failure);
                if (failure instanceof VirtualMachineError error) {
                    throw error;
                }
                response = internalFailure(request);
            }
            HttpResponse answer = response;
            if (answer.stream() != null && !request.method().equals("HEAD")) {
                exited = true;
                if (answer.bodyLength() >= 0 && answer.bodyLength() <= STREAM_CHUNK_BYTES) {
                    writeWhole(ctx, request, answer, keepAlive, requestBody);
                } else {
                    stream(ctx, request, answer, keepAlive, requestBody);
                }
                return;
            }
            closeQuietly(answer.stream());
            // On the event loop, every message read so far has been handled, so "has the whole body
            // arrived" has its true answer there (a body-less request's end may not have been
            // handled yet when a fast operation returns).
            ctx.executor().execute(() -> write(ctx, request, answer, keepAlive && requestBody.isComplete()));
            exited = true;
        } finally {
            requestBody.close();
            if (!exited) {
                inFlight.exit();
            }
        }
    }

    /** On the event loop: writes a response, then goes on with the connection or closes it. */
    private void write(ChannelHandlerContext ctx, HttpRequest request, HttpResponse response, boolean reusable) {
        FullHttpResponse netty;
        boolean keep = reusable;
        try {
            netty = toNetty(request, response, reusable);
        } catch (RuntimeException e) {
            // E.g. a header value Netty refuses (a line break): the client still gets an answer.
            LOG.error("Response to {} {} cannot be encoded", request.method(), request.rawPath(), e);
            netty = toNetty(request, internalFailure(request), false);
            keep = false;
        }
        send(ctx, netty, keep);
    }

    /** Writes a whole response; the request stays in flight until it is written, so a stop waits for it. */
    private void send(ChannelHandlerContext ctx, FullHttpResponse netty, boolean keepConnection) {
        ctx.writeAndFlush(netty).addListener((ChannelFutureListener) future -> {
            inFlight.exit();
            if (!keepConnection || !future.isSuccess()) {
                closeGently(ctx);
            } else {
                responded(ctx);
            }
        });
    }

    /**
     * On the request's virtual thread: a streamed body that fits in one chunk (a small object) is
     * read here and handed to the event loop with its head in one message, as a full response is:
     * one hand-off instead of the four a streamed response takes (its head, its chunk, its end,
     * and asking whether the request is complete), each a selector wake-up. The heap holds the
     * one chunk streaming would hold. A body that cannot be read closes the connection, as it does
     * when streaming.
     */
    private void writeWhole(ChannelHandlerContext ctx, HttpRequest request, HttpResponse response, boolean keepAlive, StreamingBody requestBody) {
        int size = (int) response.bodyLength();
        ByteBuf content;
        try (InputStream body = response.stream()) {
            // Into the heap, not the pooled allocator: on this virtual thread, used once, the pool
            // would set up a thread cache for each request. The event loop copies the bytes into a
            // pooled buffer of its own as it writes them.
            if (body instanceof BytesInputStream inMemory && inMemory.available() >= size) {
                // Already in memory (a small object's bytes): sent from where they are.
                content = Unpooled.wrappedBuffer(inMemory.array(), inMemory.position(), size);
            } else {
                byte[] bytes = body.readNBytes(size);
                if (bytes.length < size) {
                    throw new java.io.EOFException("The body ended " + (size - bytes.length) + " bytes short of its declared length");
                }
                content = Unpooled.wrappedBuffer(bytes);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Reading the response body to {} {} failed", request.method(), request.rawPath(), e);
            ctx.executor().execute(() -> {
                inFlight.exit();
                closing = true;
                ctx.close();
            });
            return;
        }
        ByteBuf whole = content;
        ctx.executor().execute(() -> {
            boolean reusable = keepAlive && requestBody.isComplete();
            FullHttpResponse netty = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()), whole);
            try {
                copyHeaders(response, netty.headers(), reusable);
            } catch (RuntimeException e) {
                // As write() does: a header Netty refuses still gets the client an answer.
                LOG.error("Response to {} {} cannot be encoded", request.method(), request.rawPath(), e);
                netty.release();
                netty = toNetty(request, internalFailure(request), false);
                reusable = false;
            }
            send(ctx, netty, reusable);
        });
    }

    /**
     * On the request's virtual thread: writes a streamed body chunk by chunk, reading the next chunk
     * while the previous one is written, so a slow client holds back the reading (and the heap
     * holds two chunks, whatever the body's size). A stream whose length is known only at its end
     * goes chunked, each read's bytes sent as soon as the stream yields them (a function's streamed
     * response reaches the client as the function writes it). A stream that fails midway cannot
     * become an error response any more: the connection is closed, and the client sees a short body.
     */
    private void stream(ChannelHandlerContext ctx, HttpRequest request, HttpResponse response, boolean keepAlive, StreamingBody requestBody) {
        boolean handedOff = false;
        try (InputStream body = response.stream()) {
            boolean reusable = keepAlive && ctx.executor().submit(requestBody::isComplete).get();
            io.netty.handler.codec.http.HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()));
            copyHeaders(response, head.headers(), reusable);
            ChannelFuture previous = ctx.writeAndFlush(head);
            long remaining = response.bodyLength();
            boolean open = remaining < 0;
            while (remaining > 0 || open) {
                int size = open ? OPEN_STREAM_READ_BYTES : (int) Math.min(STREAM_CHUNK_BYTES, remaining);
                ByteBuf chunk = ctx.alloc().buffer(size);
                int read;
                if (open) {
                    // Whatever the stream has now (it blocks only until it has some), sent at once.
                    read = readSome(body, chunk, size);
                    open = read >= 0;
                    if (!open) {
                        break;
                    }
                } else {
                    read = readChunk(body, chunk, size);
                    remaining -= read;
                }
                previous.awaitUninterruptibly();
                if (!previous.isSuccess()) {
                    chunk.release();
                    throw new IOException("The client went away", previous.cause());
                }
                previous = ctx.writeAndFlush(new DefaultHttpContent(chunk));
            }
            handedOff = true;
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener((ChannelFutureListener) future -> {
                inFlight.exit();
                if (!reusable || !future.isSuccess()) {
                    closeGently(ctx);
                } else {
                    responded(ctx);
                }
            });
        } catch (IOException | RuntimeException | java.util.concurrent.ExecutionException e) {
            LOG.debug("Streaming the response to {} {} stopped", request.method(), request.rawPath(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!handedOff) {
                ctx.executor().execute(() -> {
                    inFlight.exit();
                    closing = true;
                    ctx.close();
                });
            }
        }
    }

    /** One read of what the stream has (at least a byte, waiting for it if need be); -1 at its end, with the chunk released. */
    private static int readSome(InputStream body, ByteBuf chunk, int size) throws IOException {
        try {
            int read = chunk.writeBytes(body, size);
            if (read < 0) {
                chunk.release();
            }
            return read;
        } catch (IOException | RuntimeException e) {
            chunk.release();
            throw e;
        }
    }

    private static int readChunk(InputStream body, ByteBuf chunk, int size) throws IOException {
        try {
            int read = 0;
            while (read < size) {
                int n = chunk.writeBytes(body, size - read);
                if (n < 0) {
                    throw new java.io.EOFException("The body ended " + (size - read) + " bytes short of its declared length");
                }
                read += n;
            }
            return read;
        } catch (IOException | RuntimeException e) {
            chunk.release();
            throw e;
        }
    }

    private static void closeQuietly(InputStream stream) {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                LOG.debug("Closing an unsent response body failed", e);
            }
        }
    }

    private HttpResponse internalFailure(HttpRequest request) {
        return errors.bareError(new AwsException(CommonErrors.INTERNAL_FAILURE, "We encountered an internal error. Please try again."), request);
    }

    /** On the event loop once a response is written: handles what was pipelined behind it. */
    private void responded(ChannelHandlerContext ctx) {
        responding = false;
        // Hand over the next request's head and its body chunks; a further head waits its turn.
        while (!pipelined.isEmpty() && !closing && !(responding && pipelined.peek() instanceof io.netty.handler.codec.http.HttpRequest)) {
            handle(ctx, pipelined.poll());
        }
        updateAutoRead(ctx);
    }

    /** Reads from the socket exactly when nothing waits: no pipelined request, no body over its high water. */
    private void updateAutoRead(ChannelHandlerContext ctx) {
        boolean read = closing || (pipelined.isEmpty() && (body == null || !body.isPaused()));
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
            if (read) {
                ctx.read();
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            if (body != null && !body.isPaused()) {
                // The client stalled mid-body (not our consumer): S3 answers RequestTimeout.
                failBody(new BodyException(new AwsException(CommonErrors.REQUEST_TIMEOUT,
                        "Your socket connection to the server was not read from or written to within the timeout period.")));
            } else if (!responding && pipelined.isEmpty()) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pipelined.forEach(ReferenceCountUtil::release);
        pipelined.clear();
        if (body != null) {
            // Only then: every kept-alive connection ends here, most between requests.
            failBody(new BodyException(new AwsException(CommonErrors.INCOMPLETE_BODY, "The connection closed before the request body was complete.")));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Connection {} failed", ctx.channel().remoteAddress(), cause);
        failBody(new BodyException(new AwsException(CommonErrors.INCOMPLETE_BODY, "The connection failed before the request body was complete.")));
        ctx.close();
    }

    /** Answers before the request is read (or while it is still arriving) and closes the connection. */
    private void answerAndClose(ChannelHandlerContext ctx, HttpResponse response) {
        closing = true;
        ctx.writeAndFlush(toNetty(null, response, false)).addListener((ChannelFutureListener) future -> closeGently(ctx));
    }

    /**
     * Closes after the response without resetting the connection: closing a socket with unread
     * input makes the kernel send a reset, which can destroy the response before the client reads
     * it. So stop writing, keep reading (and dropping) for a moment, then close.
     */
    private void closeGently(ChannelHandlerContext ctx) {
        closing = true;
        failBody(new BodyException(new AwsException(CommonErrors.INCOMPLETE_BODY, "The connection is closing.")));
        if (ctx.channel() instanceof SocketChannel socket && socket.isActive() && !socket.isOutputShutdown()) {
            socket.shutdownOutput();
            updateAutoRead(ctx);
            ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
        } else {
            ctx.close();
        }
    }

    /** The address the connection came from, read once per connection. */
    private String sourceIp(ChannelHandlerContext ctx) {
        if (sourceIp == null) {
            sourceIp = ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress address && address.getAddress() != null
                    ? address.getAddress().getHostAddress() : "127.0.0.1";
        }
        return sourceIp;
    }

    /**
     * The TLS protocol the connection speaks ({@code TLSv1.3}; the edge's first handler found a TLS
     * handshake and became its TLS handler, which finished the handshake before any request), or null
     * for plain HTTP.
     */
    private String tlsVersion(ChannelHandlerContext ctx) {
        if (!tlsRead) {
            io.netty.handler.ssl.SslHandler tls = ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class);
            tlsVersion = tls == null ? null : tls.engine().getSession().getProtocol();
            tlsRead = true;
        }
        return tlsVersion;
    }

    private static HttpRequest toRequest(io.netty.handler.codec.http.HttpRequest head, InputStream body, long contentLength, String sourceIp,
            String tlsVersion) {
        String uri = head.uri();
        int q = uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        if (rawPath.isEmpty()) {
            rawPath = "/";
        } else if (!rawPath.startsWith("/")) {
            // Absolute-form request target (proxies): keep only the path.
            int slash = rawPath.indexOf('/', rawPath.indexOf("//") + 2);
            rawPath = slash < 0 ? "/" : rawPath.substring(slash);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : head.headers()) {
            headers.computeIfAbsent(header.getKey(), k -> new ArrayList<>()).add(header.getValue());
        }
        return new HttpRequest(head.method().name(), rawPath, q < 0 ? "" : uri.substring(q + 1), headers, body, contentLength, sourceIp, tlsVersion);
    }

    /**
     * @param request the request answered, or null when it could not be read
     */
    private static FullHttpResponse toNetty(HttpRequest request, HttpResponse response, boolean keepAlive) {
        boolean head = request != null && request.method().equals("HEAD");
        FullHttpResponse netty = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body()));
        copyHeaders(response, netty.headers(), keepAlive);
        return netty;
    }

    private static void copyHeaders(HttpResponse response, HttpHeaders headers, boolean keepAlive) {
        for (Map.Entry<String, String> header : response.headers()) {
            headers.add(header.getKey(), header.getValue());
        }
        if (response.bodyLength() < 0) {
            // Its length is known only at its end: sent chunked.
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            // A HEAD response states the length the body would have.
            headers.set(HttpHeaderNames.CONTENT_LENGTH, response.bodyLength());
        }
        headers.set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        headers.set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    }
}
