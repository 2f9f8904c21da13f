package io.stratus.protocol;

import java.io.ByteArrayInputStream;

/**
 * A response body already in memory, handed to the edge as a stream (a service's model streams its
 * bodies) while letting the edge send the bytes without copying them. The array must not change
 * once given here. Not thread-safe, as streams are not.
 */
public final class BytesInputStream extends ByteArrayInputStream {

    public BytesInputStream(byte[] bytes, int offset, int length) {
        super(bytes, offset, length);
    }

    /** The array the unread bytes are in, from {@link #position()}. */
    public byte[] array() {
        return buf;
    }

    /** Where the unread bytes begin in {@link #array()}. */
    public int position() {
        return pos;
    }
}
