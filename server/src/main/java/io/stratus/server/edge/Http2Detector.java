package io.stratus.server.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.util.List;
import java.util.function.Supplier;

/**
 * Tells HTTP/2 by prior knowledge (a connection that opens with HTTP/2's preface, as the AWS SDK
 * for Java's {@code KinesisAsyncClient} opens one in cleartext) from HTTP/1.1, and for HTTP/2
 * replaces the HTTP/1.1 codec and the edge's handler with HTTP/2's frame codec and one child
 * channel per stream, each of which sees its stream as an HTTP/1.1 exchange and has an edge
 * handler of its own. Decides as soon as the bytes received differ from the preface, so an
 * HTTP/1.1 request is never held back.
 */
final class Http2Detector extends ByteToMessageDecoder {

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final Supplier<ChannelHandler> edge;

    /** @param edge makes the handler that serves one request stream */
    Http2Detector(Supplier<ChannelHandler> edge) {
        this.edge = edge;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), length)) {
            ctx.pipeline().remove(this);
            return;
        }
        if (length < PREFACE.readableBytes()) {
            return;
        }
        ctx.pipeline().remove("http");
        ctx.pipeline().remove("edge");
        ctx.pipeline().addAfter(ctx.name(), "http2", Http2FrameCodecBuilder.forServer().build());
        ctx.pipeline().addAfter("http2", "streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(true)).addLast("edge", edge.get());
            }
        }));
        ctx.pipeline().remove(this);
    }
}
