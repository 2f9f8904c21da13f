package io.stratus.lambda;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where one environment's Runtime API listens: a loopback port and, unless there is none, a Unix
 * domain socket; each accepted connection gets a platform thread of its own, blocked in its socket's
 * read (the kernel wakes it when a request arrives), which hands the connection to the
 * {@link Handler}. Closing stops listening, deletes the socket's file, and closes and interrupts
 * the connections.
 *
 * <p>Thread-safe.
 */
final class RuntimeApiSockets implements AutoCloseable {

    /** A connection thread's stack: it parses requests and nothing deeper. */
    private static final long CONNECTION_STACK_BYTES = 256 * 1024;

    /** Serves one connection until it ends. */
    @FunctionalInterface
    interface Handler {
        void serve(RuntimeApiConnection connection) throws IOException;
    }

    /** A listener's next connection. */
    @FunctionalInterface
    private interface Listener<S extends Closeable> {
        S accept() throws IOException;
    }

    /** How a connection's streams are opened, on its own thread. */
    @FunctionalInterface
    private interface Opener {
        RuntimeApiConnection open() throws IOException;
    }

    private final ServerSocket server;
    /** The Unix domain socket, for Stratus's own bootstraps; null where there is none. */
    private final ServerSocketChannel local;
    private final Path localPath;
    /** Open connections and their threads, closed and interrupted on {@link #close}. */
    private final Map<Closeable, Thread> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private RuntimeApiSockets(ServerSocket server, ServerSocketChannel local, Path localPath) {
        this.server = server;
        this.local = local;
        this.localPath = localPath;
    }

    /**
     * Binds a loopback port and, unless {@code socketPath} is null, a Unix domain socket there;
     * should the socket fail, the port alone.
     */
    static RuntimeApiSockets open(Path socketPath) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ServerSocketChannel local = null;
        if (socketPath != null) {
            try {
                local = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socketPath), 16);
            } catch (IOException | UnsupportedOperationException e) {
                // TCP alone, as for any runtime.
            }
        }
        return new RuntimeApiSockets(socket, local, local == null ? null : socketPath);
    }

    /** Starts taking connections, each served by {@code handler} on its own thread. */
    void start(Handler handler) {
        Thread.ofVirtual().name("lambda-runtime-api-" + server.getLocalPort()).start(() -> acceptAll(server::accept, socket -> () -> {
            socket.setTcpNoDelay(true);
            return new RuntimeApiConnection(socket, socket.getInputStream(), socket.getOutputStream());
        }, handler));
        if (local != null) {
            Thread.ofVirtual().name("lambda-runtime-api-local-" + server.getLocalPort()).start(() -> acceptAll(local::accept,
                    channel -> () -> new RuntimeApiConnection(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel)), handler));
        }
    }

    /** {@code host:port}, as {@code AWS_LAMBDA_RUNTIME_API} gives it to the runtime. */
    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** The Unix domain socket's path, or null where there is none. */
    String localAddress() {
        return localPath == null ? null : localPath.toString();
    }

    private <S extends Closeable> void acceptAll(Listener<S> listener, Function<S, Opener> opener, Handler handler) {
        while (!closed) {
            S socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                // Closed.
                return;
            }
            if (!follow(socket, opener.apply(socket), handler)) {
                return;
            }
        }
    }

    /** Starts the thread that serves a new connection; false when these sockets closed meanwhile. */
    private boolean follow(Closeable socket, Opener opener, Handler handler) {
        Thread thread = Thread.ofPlatform().daemon().name("lambda-runtime-api-connection").stackSize(CONNECTION_STACK_BYTES)
                .unstarted(() -> serve(socket, opener, handler));
        connections.put(socket, thread);
        if (closed) {
            closeQuietly(socket);
            connections.remove(socket);
            return false;
        }
        thread.start();
        return true;
    }

    private void serve(Closeable socket, Opener opener, Handler handler) {
        try (socket) {
            handler.serve(opener.open());
        } catch (IOException e) {
            // The runtime closed its connection, or these sockets are closing.
        } finally {
            connections.remove(socket);
        }
    }

    static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    /** Stops listening; a runtime still connected sees its connection close. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        if (local != null) {
            closeQuietly(local);
            try {
                Files.deleteIfExists(localPath);
            } catch (IOException e) {
                // Goes with its environment's directory.
            }
        }
        connections.forEach((socket, thread) -> {
            closeQuietly(socket);
            thread.interrupt();
        });
    }
}
