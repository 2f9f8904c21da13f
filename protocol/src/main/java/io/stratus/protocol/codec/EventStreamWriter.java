package io.stratus.protocol.codec;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes messages in AWS's event stream encoding ({@code application/vnd.amazon.eventstream}), the
 * framing of streamed responses such as Lambda's InvokeWithResponseStream: each message a prelude
 * (total and header lengths, with their CRC32), string headers, the payload and the CRC32 of all
 * before it, big-endian throughout.
 *
 * <p>Not thread-safe; one writer per response.
 */
public final class EventStreamWriter {

    /** A header's value type: a string (the only type Stratus's events use). */
    private static final byte STRING = 7;
    private static final int PRELUDE_BYTES = 12;
    private static final int CRC_BYTES = 4;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Adds an event: {@code :message-type event}, its type and content type, then the payload. */
    public EventStreamWriter event(String eventType, String contentType, byte[] payload) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":event-type", requireNonNull(eventType, "eventType is null"));
        headers.put(":content-type", requireNonNull(contentType, "contentType is null"));
        headers.put(":message-type", "event");
        return message(headers, payload);
    }

    /** Adds a message of these string headers and payload. */
    public EventStreamWriter message(Map<String, String> headers, byte[] payload) {
        requireNonNull(payload, "payload is null");
        ByteArrayOutputStream encodedHeaders = new ByteArrayOutputStream();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            byte[] name = header.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = header.getValue().getBytes(StandardCharsets.UTF_8);
            if (name.length > 255 || value.length > 65_535) {
                throw new IllegalArgumentException("Header too long for an event stream message: " + header.getKey());
            }
            encodedHeaders.write(name.length);
            encodedHeaders.writeBytes(name);
            encodedHeaders.write(STRING);
            encodedHeaders.write(value.length >>> 8);
            encodedHeaders.write(value.length & 0xff);
            encodedHeaders.writeBytes(value);
        }
        int headersLength = encodedHeaders.size();
        int total = PRELUDE_BYTES + headersLength + payload.length + CRC_BYTES;
        ByteBuffer message = ByteBuffer.allocate(total);
        message.putInt(total).putInt(headersLength);
        message.putInt((int) crc(message.array(), 0, 8));
        message.put(encodedHeaders.toByteArray()).put(payload);
        message.putInt((int) crc(message.array(), 0, total - CRC_BYTES));
        out.writeBytes(message.array());
        return this;
    }

    /** The messages written so far, one after the other. */
    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
