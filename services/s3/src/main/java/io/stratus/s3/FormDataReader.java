package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a {@code multipart/form-data} body part by part from a stream, never holding more than
 * one buffer of it: a part's content is an {@link InputStream} that ends at the next boundary, so
 * a file part can be streamed to disk. Not thread-safe: one request's reader, on its thread.
 */
final class FormDataReader {

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final InputStream in;
    /** {@code CRLF--boundary}: what ends every part's content. */
    private final byte[] delimiter;
    private final byte[] buffer;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean finished;
    private PartStream current;

    /** One part: its form field name, the file name if it is a file, and its content. */
    record Part(String name, String filename, String contentType, InputStream content) {

        /** The content as text, refused past {@code maxBytes} as S3 refuses fields too large. */
        String text(int maxBytes) {
            try {
                byte[] bytes = content.readNBytes(maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw tooLarge();
                }
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    FormDataReader(InputStream in, String boundary) {
        this.in = requireNonNull(in, "in is null");
        this.delimiter = ("\r\n--" + requireNonNull(boundary, "boundary is null")).getBytes(StandardCharsets.ISO_8859_1);
        this.buffer = new byte[BUFFER_BYTES + delimiter.length];
        // The first boundary has no CRLF before it: pretend it had, so one delimiter finds them all.
        buffer[0] = '\r';
        buffer[1] = '\n';
        limit = 2;
    }

    /** The boundary of a {@code multipart/form-data} Content-Type, if it is one. */
    static Optional<String> boundary(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String[] params = contentType.split(";");
        if (!params[0].trim().toLowerCase(Locale.ROOT).equals("multipart/form-data")) {
            return Optional.empty();
        }
        for (int i = 1; i < params.length; i++) {
            String param = params[i].trim();
            if (param.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = param.substring("boundary=".length());
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() || value.length() > 200 ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** The next part, or empty after the closing boundary. The previous part's content is skipped if unread. */
    Optional<Part> next() {
        try {
            if (finished) {
                return Optional.empty();
            }
            // Before the first part: the preamble, which ends at the first delimiter like a part.
            (current == null ? new PartStream() : current).skip(Long.MAX_VALUE);
            // After a delimiter: "--" closes the form, CRLF starts a part's headers.
            int first = readByte();
            int second = readByte();
            if (first == '-' && second == '-') {
                finished = true;
                return Optional.empty();
            }
            if (first != '\r' || second != '\n') {
                throw malformed();
            }
            String name = null;
            String filename = null;
            String contentType = null;
            int headerBytes = 0;
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                headerBytes += line.length();
                if (headerBytes > MAX_HEADER_BYTES) {
                    throw malformed();
                }
                int colon = line.indexOf(':');
                if (colon < 0) {
                    throw malformed();
                }
                String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (header.equals("content-disposition")) {
                    name = parameter(value, "name");
                    filename = parameter(value, "filename");
                } else if (header.equals("content-type")) {
                    contentType = value;
                }
            }
            if (name == null) {
                throw malformed();
            }
            current = new PartStream();
            return Optional.of(new Part(name, filename, contentType, current));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code name="value"} parameter of a Content-Disposition header, unquoted. */
    private static String parameter(String disposition, String name) {
        for (String param : disposition.split(";")) {
            String trimmed = param.trim();
            int eq = trimmed.indexOf('=');
            if (eq > 0 && trimmed.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String value = trimmed.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = readByte();
            if (b == '\r') {
                if (readByte() != '\n') {
                    throw malformed();
                }
                return line.toString(StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > MAX_HEADER_BYTES) {
                throw malformed();
            }
        }
    }

    private int readByte() throws IOException {
        if (pos == limit && !fill()) {
            throw malformed();
        }
        return buffer[pos++] & 0xff;
    }

    /** Reads more into the buffer, keeping what is unread; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    /** Index of the delimiter in the unread buffer, or -1. */
    private int findDelimiter() {
        outer:
        for (int i = pos; i <= limit - delimiter.length; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buffer[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static AwsException tooLarge() {
        return AwsException.of(S3Errors.MAX_POST_PRE_DATA_LENGTH_EXCEEDED, "Your POST request fields preceding the upload file were too large.");
    }

    static AwsException malformed() {
        return AwsException.of(S3Errors.MALFORMED_POST_REQUEST, "The body of your POST request is not well-formed multipart/form-data.");
    }

    /** One part's content: ends (and consumes the delimiter) at the next boundary. */
    private final class PartStream extends InputStream {

        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                int found = findDelimiter();
                if (found == pos) {
                    pos += delimiter.length;
                    ended = true;
                    return -1;
                }
                int available = found >= 0 ? found - pos : limit - pos - (delimiter.length - 1);
                if (available > 0) {
                    int n = Math.min(len, available);
                    System.arraycopy(buffer, pos, b, off, n);
                    pos += n;
                    return n;
                }
                if (!fill()) {
                    // The stream ended before the closing boundary.
                    throw malformed();
                }
            }
        }

        /** Skips up to {@code n} bytes; {@code Long.MAX_VALUE} skips to the part's end. */
        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }
    }
}
