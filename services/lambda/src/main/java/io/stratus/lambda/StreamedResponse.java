package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A response a runtime streams ({@code Lambda-Runtime-Function-Response-Mode: streaming}), as it
 * arrives: its content type, and its bytes so far, which readers follow while the runtime is still
 * writing. The Runtime API connection's thread {@linkplain #append appends} each chunk as it reads
 * it and {@linkplain #end ends} the stream when the runtime's request ends; the invocation's end
 * ends it too, whichever comes first (a runtime killed at its timeout sends no more).
 *
 * <p>The bytes are kept (up to {@link #limit}, the rest dropped and the stream marked
 * {@linkplain #truncated() truncated}), so a reader never holds the runtime back and callers that
 * want the whole response after the invocation ({@code Invoke} of a streaming function) get it
 * from {@link #bytes()}.
 *
 * <p>Thread-safe.
 */
final class StreamedResponse {

    private final String contentType;
    private final long limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** What arrived so far, in order; guarded by {@link #lock}. */
    private final List<byte[]> chunks = new ArrayList<>();
    private long size;
    private boolean truncated;
    private boolean ended;

    /**
     * @param contentType the content type the runtime streams with
     * @param limit the most bytes kept
     */
    StreamedResponse(String contentType, long limit) {
        this.contentType = requireNonNull(contentType, "contentType is null");
        this.limit = limit;
    }

    /** A stream that ended with these bytes (a runtime that sent its streamed response with a length). */
    static StreamedResponse of(String contentType, byte[] bytes, long limit) {
        StreamedResponse stream = new StreamedResponse(contentType, limit);
        stream.append(bytes, 0, bytes.length);
        stream.end();
        return stream;
    }

    String contentType() {
        return contentType;
    }

    /** Adds bytes the runtime sent; those past the limit (or after the end) are dropped. */
    void append(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        lock.lock();
        try {
            if (ended) {
                return;
            }
            int keep = (int) Math.min(length, Math.max(0, limit - size));
            if (keep < length) {
                truncated = true;
            }
            if (keep > 0) {
                byte[] chunk = new byte[keep];
                System.arraycopy(bytes, offset, chunk, 0, keep);
                chunks.add(chunk);
                size += keep;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream: readers see its end once they have read what it holds. Idempotent. */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the runtime sent more than the limit. */
    boolean truncated() {
        lock.lock();
        try {
            return truncated;
        } finally {
            lock.unlock();
        }
    }

    /** The bytes so far (all of them, once the stream ended). */
    byte[] bytes() {
        lock.lock();
        try {
            byte[] all = new byte[(int) size];
            int at = 0;
            for (byte[] chunk : chunks) {
                System.arraycopy(chunk, 0, all, at, chunk.length);
                at += chunk.length;
            }
            return all;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the stream holds a byte or has ended.
     *
     * @return whether it holds a byte
     */
    boolean awaitBytes() throws InterruptedException {
        lock.lock();
        try {
            while (size == 0 && !ended) {
                changed.await();
            }
            return size > 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A reader of the stream from its first byte: each read returns what has arrived and not been
     * read yet, waiting while there is none, and -1 once the stream ended and all is read.
     * Closing the reader only stops it; the stream goes on.
     */
    InputStream reader() {
        return new Reader();
    }

    private final class Reader extends InputStream {
        private int chunk;
        private int offset;
        private boolean closed;

        @Override
        public int read() throws InterruptedIOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int off, int len) throws InterruptedIOException {
            java.util.Objects.checkFromIndexSize(off, len, target.length);
            if (len == 0) {
                return 0;
            }
            lock.lock();
            try {
                while (!closed && chunk == chunks.size() && !ended) {
                    changed.await();
                }
                if (closed || chunk == chunks.size()) {
                    return -1;
                }
                int read = 0;
                while (read < len && chunk < chunks.size()) {
                    byte[] current = chunks.get(chunk);
                    int n = Math.min(len - read, current.length - offset);
                    System.arraycopy(current, offset, target, off + read, n);
                    read += n;
                    offset += n;
                    if (offset == current.length) {
                        chunk++;
                        offset = 0;
                    }
                }
                return read;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while waiting for the function's response");
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
