package io.stratus.server.edge;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The one HTTP/1.1 port every service is served on, over TLS too (see {@link TlsIdentity}).
 * Netty's event loops only decode and encode; each request runs on a virtual thread of its own.
 * Thread-safe.
 */
public final class Edge implements AutoCloseable {

    private static final int MAX_INITIAL_LINE = 64 * 1024;
    private static final int MAX_HEADER_SIZE = 64 * 1024;
    private static final int MAX_CHUNK_SIZE = 64 * 1024;
    /**
     * A connection that sends nothing this long is closed when idle, and a request body that
     * stalls this long fails with {@code RequestTimeout}.
     */
    private static final int IDLE_SECONDS = 60;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService requests;
    private final Channel serverChannel;
    private final InFlight inFlight;

    private Edge(EventLoopGroup boss, EventLoopGroup workers, ExecutorService requests, Channel serverChannel, InFlight inFlight) {
        this.boss = boss;
        this.workers = workers;
        this.requests = requests;
        this.serverChannel = serverChannel;
        this.inFlight = inFlight;
    }

    /** Binds the port and starts serving. */
    public static Edge start(String host, int port, long maxBodyBytes, RequestDispatcher dispatcher, ErrorResponses errors) throws InterruptedException {
        return start(host, port, maxBodyBytes, null, dispatcher, errors);
    }

    /**
     * Binds the port and starts serving, HTTPS as well as HTTP on it where {@code tls} is given
     * (it may complete later: TLS connections wait for it): each connection's first bytes tell
     * which it speaks.
     */
    public static Edge start(String host, int port, long maxBodyBytes, CompletableFuture<TlsIdentity> tls, RequestDispatcher dispatcher,
            ErrorResponses errors) throws InterruptedException {
        requireNonNull(dispatcher, "dispatcher is null");
        requireNonNull(errors, "errors is null");
        // Netty's native epoll transport where it loads (Linux): every response crosses from its
        // request's virtual thread to an event loop, and waking a sleeping loop costs the JDK's
        // selector a lock its own thread contends for right after (a convoy on every response);
        // epoll's loop is woken by an eventfd write alone. Elsewhere, the JDK's NIO.
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        EventLoopGroup workers = epoll ? new EpollEventLoopGroup() : new NioEventLoopGroup();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ExecutorService requests = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("stratus-request-", 0).factory());
        InFlight inFlight = new InFlight();
        CompletableFuture<SslContext> ssl = tls == null ? null : tls.thenApply(TlsIdentity::sslContext);
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (ssl != null) {
                                ch.pipeline().addLast("tls", new TlsDetector(ssl));
                            }
                            ch.pipeline()
                                    .addLast("idle", new IdleStateHandler(IDLE_SECONDS, 0, 0))
                                    .addLast("http2-detector", new Http2Detector(() -> new EdgeHandler(dispatcher, requests, maxBodyBytes, inFlight, errors)))
                                    .addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK_SIZE))
                                    .addLast("edge", new EdgeHandler(dispatcher, requests, maxBodyBytes, inFlight, errors));
                        }
                    })
                    .bind(host, port).sync().channel();
            return new Edge(boss, workers, requests, channel, inFlight);
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            requests.shutdownNow();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Stops accepting connections, lets in-flight requests finish for up to {@code grace}, then
     * closes every connection.
     */
    public void stop(Duration grace) {
        serverChannel.close().awaitUninterruptibly();
        inFlight.drain(grace);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        // Requests that outlasted the grace are interrupted; give them a moment to unwind before
        // the caller closes the services and the store under them.
        requests.shutdownNow();
        try {
            requests.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
