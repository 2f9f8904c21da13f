package io.stratus.server.edge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's first handler: from its first bytes, whether it speaks TLS (then it becomes the
 * connection's {@link SslHandler}) or plain HTTP (then it steps aside). The TLS context may still
 * be in the making when the first TLS connection comes (it is made after start, off the start's
 * path): that connection waits for it without holding its event loop. Bytes read before the
 * decision go on to the handler that takes over, as {@link ByteToMessageDecoder} passes them on
 * when it leaves the pipeline.
 */
final class TlsDetector extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(TlsDetector.class);
    /** A TLS record's header, which is enough to tell. */
    private static final int HEADER_BYTES = 5;

    private final CompletableFuture<SslContext> tls;
    private boolean waiting;

    TlsDetector(CompletableFuture<SslContext> tls) {
        this.tls = tls;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (waiting || in.readableBytes() < HEADER_BYTES) {
            return;
        }
        if (!SslHandler.isEncrypted(in)) {
            ctx.pipeline().remove(this);
            return;
        }
        SslContext context = tls.getNow(null);
        if (context != null) {
            becomeTls(ctx, context);
            return;
        }
        waiting = true;
        ctx.channel().config().setAutoRead(false);
        tls.whenComplete((made, failure) -> ctx.executor().execute(() -> {
            if (failure != null) {
                LOG.debug("TLS connection {} refused: TLS is not available", ctx.channel().remoteAddress());
                ctx.close();
                return;
            }
            if (ctx.channel().isActive()) {
                ctx.channel().config().setAutoRead(true);
                becomeTls(ctx, made);
            }
        }));
    }

    private void becomeTls(ChannelHandlerContext ctx, SslContext context) {
        ctx.pipeline().replace(this, "tls", context.newHandler(ctx.alloc()));
    }
}
