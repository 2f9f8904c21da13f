package io.stratus.server.edge;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body that the event loop fills chunk by chunk while an operation, on its virtual
 * thread, reads it as a stream. When more than {@link #HIGH_WATER} bytes wait unread it reports
 * itself {@linkplain #isPaused() paused}, and unpaused below {@link #LOW_WATER}; the edge then
 * stops and resumes reading from the socket, so a slow consumer never makes the server buffer a
 * whole upload. It never touches the channel itself: the edge owns the channel's reading.
 *
 * <p>Thread-safety: {@link #offer}, {@link #complete} and {@link #fail} are called on the event
 * loop; the {@code read} methods on the one thread handling the request; both sides meet under
 * one lock.
 */
final class StreamingBody extends InputStream {

    static final long HIGH_WATER = 1024 * 1024;
    static final long LOW_WATER = 256 * 1024;

    private final Runnable pausedChanged;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private long queuedBytes;
    private boolean paused;
    private boolean complete;
    private boolean closed;
    private IOException failure;

    /**
     * @param pausedChanged called when {@link #isPaused()} changes: on the event loop when a chunk
     *     pauses the body, on the reading thread when draining unpauses it
     */
    StreamingBody(Runnable pausedChanged) {
        this.pausedChanged = requireNonNull(pausedChanged, "pausedChanged is null");
    }

    /** Adds a chunk; takes ownership of {@code chunk}. Event loop only. */
    void offer(ByteBuf chunk) {
        lock.lock();
        try {
            if (closed || complete || failure != null) {
                chunk.release();
                return;
            }
            chunks.add(chunk);
            queuedBytes += chunk.readableBytes();
            changed.signalAll();
            if (queuedBytes <= HIGH_WATER || paused) {
                return;
            }
            paused = true;
        } finally {
            lock.unlock();
        }
        pausedChanged.run();
    }

    /** Whether more is buffered than the edge should read ahead of the consumer. */
    boolean isPaused() {
        lock.lock();
        try {
            return paused;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the end of the body. Event loop only. */
    void complete() {
        lock.lock();
        try {
            complete = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the body with an error the reader will see. */
    void fail(IOException cause) {
        lock.lock();
        try {
            if (!complete && failure == null) {
                failure = cause;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the whole body arrived. */
    boolean isComplete() {
        lock.lock();
        try {
            return complete;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        boolean unpaused = false;
        lock.lock();
        try {
            while (true) {
                ByteBuf head = chunks.peek();
                if (head != null) {
                    int n = Math.min(length, head.readableBytes());
                    head.readBytes(target, offset, n);
                    if (!head.isReadable()) {
                        chunks.poll().release();
                    }
                    queuedBytes -= n;
                    if (paused && queuedBytes < LOW_WATER) {
                        paused = false;
                        unpaused = true;
                    }
                    return n;
                }
                if (closed) {
                    throw new IOException("Body closed");
                }
                if (failure != null) {
                    throw failure;
                }
                if (complete) {
                    return -1;
                }
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
            if (unpaused) {
                pausedChanged.run();
            }
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, queuedBytes);
        } finally {
            lock.unlock();
        }
    }

    /** Releases every buffered chunk; later chunks are dropped as they arrive. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            chunks.forEach(ByteBuf::release);
            chunks.clear();
            queuedBytes = 0;
            paused = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
