package io.stratus.server.edge;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Turns Netty's HTTP messages into {@link HttpRequest}s and hands each to a virtual thread as soon
 * as its head arrives, streaming the body behind it. One request per connection at a time: a
 * request that arrives (pipelined) before the previous response is written waits, and the channel
 * stops reading until it is handled, which keeps responses in order; connections that do not
 * pipeline never pause.
 *
 * <p>Thread-safety: one instance per channel; its fields are touched only on the channel's event
 * loop, except the response path, which only submits writes to the channel.
 */
final class EdgeHandler extends ChannelInboundHandlerAdapter {

    private final RequestDispatcher dispatcher;
    private final Executor executor;
    private final long maxBodyBytes;
    private final InFlight inFlight;
    private final ErrorResponses errors;

    private StreamingBody body;
    private long receivedBytes;
    private boolean responding;
    private final ArrayDeque<Object> pipelined = new ArrayDeque<>();

    EdgeHandler(RequestDispatcher dispatcher, Executor executor, long maxBodyBytes, InFlight inFlight, ErrorResponses errors) {
        this.dispatcher = dispatcher;
        this.executor = executor;
        this.maxBodyBytes = maxBodyBytes;
        this.inFlight = inFlight;
        this.errors = errors;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!pipelined.isEmpty() || (responding && msg instanceof io.netty.handler.codec.http.HttpRequest)) {
            pipelined.add(msg);
            ctx.channel().config().setAutoRead(false);
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
            writeAndClose(ctx, errors.bareError(new AwsException(CommonErrors.BAD_REQUEST, "The request could not be parsed as HTTP/1.1.")));
            return;
        }
        long contentLength = HttpUtil.getContentLength(head, -1L);
        if (contentLength > maxBodyBytes) {
            writeAndClose(ctx, errors.bareError(AwsException.of(CommonErrors.REQUEST_ENTITY_TOO_LARGE,
                    "Request body of %d bytes exceeds the maximum allowed size of %d bytes", contentLength, maxBodyBytes)));
            return;
        }
        if (!inFlight.enter()) {
            writeAndClose(ctx, errors.bareError(new AwsException(CommonErrors.SERVICE_UNAVAILABLE, "Stratus is shutting down.")));
            return;
        }
        if (HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        StreamingBody requestBody = new StreamingBody(ctx.channel());
        body = requestBody;
        receivedBytes = 0;
        responding = true;
        boolean keepAlive = HttpUtil.isKeepAlive(head);
        HttpRequest request = toRequest(head, requestBody, contentLength);
        executor.execute(() -> respond(ctx, request, requestBody, keepAlive));
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        StreamingBody current = body;
        try {
            if (current == null) {
                return;
            }
            if (content.decoderResult().isFailure()) {
                current.fail(new BodyException(new AwsException(CommonErrors.INCOMPLETE_BODY,
                        "The request body terminated unexpectedly or its chunked encoding is malformed.")));
                body = null;
                return;
            }
            receivedBytes += content.content().readableBytes();
            if (receivedBytes > maxBodyBytes) {
                current.fail(new BodyException(AwsException.of(CommonErrors.REQUEST_ENTITY_TOO_LARGE,
                        "Request body exceeds the maximum allowed size of %d bytes", maxBodyBytes)));
                body = null;
                return;
            }
            if (content.content().isReadable()) {
                current.offer(content.content().retain());
            }
            if (content instanceof LastHttpContent) {
                current.complete();
                body = null;
            }
        } finally {
            content.release();
        }
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest request, StreamingBody requestBody, boolean keepAlive) {
        try {
            HttpResponse response = dispatcher.dispatch(request);
            // A response sent before the body fully arrived leaves unread bytes on the connection.
            boolean reusable = keepAlive && requestBody.isComplete();
            FullHttpResponse netty = toNetty(request, response, reusable);
            ctx.writeAndFlush(netty).addListener((ChannelFutureListener) future -> {
                if (!reusable || !future.isSuccess()) {
                    ctx.close();
                } else {
                    responded(ctx);
                }
            });
        } finally {
            requestBody.close();
            inFlight.exit();
        }
    }

    /** On the event loop once a response is written: handles what was pipelined behind it. */
    private void responded(ChannelHandlerContext ctx) {
        responding = false;
        // Hand over the next request's head and its body chunks; a further head waits its turn.
        while (!pipelined.isEmpty() && !(responding && pipelined.peek() instanceof io.netty.handler.codec.http.HttpRequest)) {
            handle(ctx, pipelined.poll());
        }
        if (pipelined.isEmpty() && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pipelined.forEach(ReferenceCountUtil::release);
        pipelined.clear();
        if (body != null) {
            body.fail(new BodyException(new AwsException(CommonErrors.INCOMPLETE_BODY, "The connection closed before the request body was complete.")));
            body = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (body != null) {
            body.fail(cause instanceof IOException io ? io : new IOException(cause));
            body = null;
        }
        ctx.close();
    }

    private static HttpRequest toRequest(io.netty.handler.codec.http.HttpRequest head, StreamingBody body, long contentLength) {
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
            headers.computeIfAbsent(header.getKey(), k -> new java.util.ArrayList<>()).add(header.getValue());
        }
        return new HttpRequest(head.method().name(), rawPath, q < 0 ? "" : uri.substring(q + 1), headers, body, contentLength);
    }

    private static FullHttpResponse toNetty(HttpRequest request, HttpResponse response, boolean keepAlive) {
        FullHttpResponse netty = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
                Unpooled.wrappedBuffer(response.body()));
        for (Map.Entry<String, String> header : response.headers()) {
            netty.headers().add(header.getKey(), header.getValue());
        }
        if (!netty.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setContentLength(netty, response.body().length);
        }
        netty.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        if (request.method().equals("HEAD")) {
            netty.content().clear();
        }
        return netty;
    }

    private static void writeAndClose(ChannelHandlerContext ctx, HttpResponse response) {
        FullHttpResponse netty = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
                Unpooled.wrappedBuffer(response.body()));
        response.headers().forEach(h -> netty.headers().add(h.getKey(), h.getValue()));
        HttpUtil.setContentLength(netty, response.body().length);
        netty.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(netty).addListener(ChannelFutureListener.CLOSE);
    }
}
