package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A response a runtime streams ({@code Lambda-Runtime-Function-Response-Mode: streaming}), as it
 * arrives: its content type, and its bytes so far. The Runtime API connection's thread
 * {@linkplain #append appends} each piece as it reads it and {@linkplain #end ends} the stream when
 * the runtime's request ends; the invocation's end ends it too, whichever comes first (a runtime
 * killed at its timeout sends no more).
 *
 * <p>Two ways to take it. By default the stream is <em>kept</em>, for a caller that wants it whole
 * once the invocation ended ({@code Invoke} of a streaming function): its first {@code keep} bytes
 * stay (enough to tell one too large for a buffered answer), the rest is counted and dropped, and
 * readers may read what is kept as it comes. A caller that passes the response on as it comes
 * (InvokeWithResponseStream, a {@code RESPONSE_STREAM} URL) {@linkplain #follow follows} it before
 * its first byte: then its one reader's bytes are dropped once read, and the runtime's writes wait
 * while a {@link #WINDOW_BYTES window} of them is unread — a slow client slows the function, as on
 * AWS, and the server holds at most the window.
 *
 * <p>Either way the runtime may stream at most {@code limit} bytes; past it the stream ends and is
 * {@linkplain #truncated() truncated}. Thread-safe.
 */
final class StreamedResponse {

    /** How much of a followed stream may wait unread before the runtime's writes wait for its reader. */
    static final int WINDOW_BYTES = 1024 * 1024;

    private final String contentType;
    private final long limit;
    private final long keep;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /**
     * The pieces that arrived, oldest first, from the {@link #base}th on (a followed stream's read
     * ones are null until they are cleared away); guarded by {@link #lock}, as are the fields below.
     */
    private final ArrayList<byte[]> chunks = new ArrayList<>();
    /** How many pieces were cleared away before {@link #chunks}' first. */
    private long base;
    /** What is held, in bytes. */
    private long held;
    /** What the runtime sent, in bytes, held or not. */
    private long sent;
    private boolean followed;
    private boolean readerClosed;
    private boolean truncated;
    private boolean ended;

    /**
     * @param contentType the content type the runtime streams with
     * @param limit the most the runtime may stream
     * @param keep the most a kept stream holds
     */
    StreamedResponse(String contentType, long limit, long keep) {
        this.contentType = requireNonNull(contentType, "contentType is null");
        this.limit = limit;
        this.keep = keep;
    }

    /** A stream that ended with these bytes, all kept. */
    static StreamedResponse of(String contentType, byte[] bytes) {
        StreamedResponse stream = new StreamedResponse(contentType, Long.MAX_VALUE, Long.MAX_VALUE);
        stream.lock.lock();
        try {
            // Kept, not followed: nothing waits.
            stream.add(bytes, 0, bytes.length);
        } finally {
            stream.lock.unlock();
        }
        stream.end();
        return stream;
    }

    String contentType() {
        return contentType;
    }

    /** Makes this a followed stream: called before its first byte arrives, by the one caller that reads it as it comes. */
    void follow() {
        lock.lock();
        try {
            followed = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds bytes the runtime sent. On a followed stream, waits while the window is full (until its
     * reader reads, stops, or the stream ends). Bytes past the limit end the stream; bytes after its
     * end are dropped.
     */
    void append(byte[] bytes, int offset, int length) throws InterruptedIOException {
        if (length == 0) {
            return;
        }
        lock.lock();
        try {
            while (followed && !readerClosed && !ended && held >= WINDOW_BYTES) {
                changed.await();
            }
            add(bytes, offset, length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while the function's response waited for its reader");
        } finally {
            lock.unlock();
        }
    }

    /** Adds bytes, under the lock, as {@link #append} describes, once there is room for them. */
    private void add(byte[] bytes, int offset, int length) {
        if (ended) {
            return;
        }
        int taken = length;
        if (sent + length > limit) {
            truncated = true;
            taken = (int) (limit - sent);
            ended = true;
        }
        sent += taken;
        long room = followed ? (readerClosed ? 0 : taken) : Math.max(0, keep - held);
        int kept = (int) Math.min(taken, room);
        if (kept > 0) {
            byte[] chunk = new byte[kept];
            System.arraycopy(bytes, offset, chunk, 0, kept);
            chunks.addLast(chunk);
            held += kept;
        }
        changed.signalAll();
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

    /** A kept stream's bytes (all it keeps, once it ended); none for a followed one, whose reader has them. */
    byte[] bytes() {
        lock.lock();
        try {
            if (followed) {
                return new byte[0];
            }
            byte[] all = new byte[(int) held];
            int at = 0;
            for (byte[] chunk : chunks) {
                if (chunk != null) {
                    System.arraycopy(chunk, 0, all, at, chunk.length);
                    at += chunk.length;
                }
            }
            return all;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the stream has had a byte or has ended.
     *
     * @return whether it has had one
     */
    boolean awaitBytes() throws InterruptedException {
        lock.lock();
        try {
            while (sent == 0 && !ended) {
                changed.await();
            }
            return sent > 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A reader of the stream from its first byte: each read returns what has arrived and not been
     * read yet, waiting while there is none, and -1 once the stream ended and all is read. Closing
     * it stops it (a followed stream then drops what comes, and the runtime no longer waits).
     */
    InputStream reader() {
        return new Reader();
    }

    private final class Reader extends InputStream {
        /** The piece this reader is in, counted from the stream's first, and where in it. */
        private long chunk;
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
                while (!closed && arrived() == 0 && !ended) {
                    changed.await();
                }
                if (closed || arrived() == 0) {
                    return -1;
                }
                int read = 0;
                while (read < len && arrived() > 0) {
                    int index = (int) (chunk - base);
                    byte[] current = chunks.get(index);
                    int n = Math.min(len - read, current.length - offset);
                    System.arraycopy(current, offset, target, off + read, n);
                    read += n;
                    offset += n;
                    if (offset == current.length) {
                        chunk++;
                        offset = 0;
                        if (followed) {
                            // Read: dropped, and now and then cleared away.
                            chunks.set(index, null);
                            held -= current.length;
                            if (index + 1 >= 1024 && index + 1 >= chunks.size() / 2) {
                                chunks.subList(0, index + 1).clear();
                                base += index + 1;
                            }
                        }
                    }
                }
                changed.signalAll();
                return read;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while waiting for the function's response");
            } finally {
                lock.unlock();
            }
        }

        /** How many pieces from this reader's position on have arrived. */
        private long arrived() {
            return base + chunks.size() - chunk;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                if (followed) {
                    readerClosed = true;
                    base += chunks.size();
                    chunks.clear();
                    held = 0;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
