package io.stratus.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FormDataReaderTest {

    /** Hands out at most {@code chunk} bytes per read, as a network stream may. */
    private static InputStream trickle(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static byte[] form(byte[] file) {
        String head = "preamble\r\n--xyz\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuploads/${filename}\r\n"
                + "--xyz\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a b.bin\"\r\nContent-Type: image/png\r\n\r\n";
        byte[] start = head.getBytes(StandardCharsets.UTF_8);
        byte[] end = "\r\n--xyz--\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[start.length + file.length + end.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(file, 0, all, start.length, file.length);
        System.arraycopy(end, 0, all, start.length + file.length, end.length);
        return all;
    }

    @Test
    void readsFieldsAndStreamsTheFileWhateverTheChunking() throws IOException {
        byte[] file = new byte[200_000];
        new Random(1).nextBytes(file);
        // Bytes that look like the start of a boundary must stay content.
        System.arraycopy("\r\n--xy".getBytes(StandardCharsets.UTF_8), 0, file, 1000, 6);
        for (int chunk : new int[] {1, 7, 4096, 1 << 20}) {
            FormDataReader reader = new FormDataReader(trickle(form(file), chunk), "xyz");
            FormDataReader.Part key = reader.next().orElseThrow();
            assertThat(key.name()).isEqualTo("key");
            assertThat(key.text(100)).isEqualTo("uploads/${filename}");
            FormDataReader.Part part = reader.next().orElseThrow();
            assertThat(part.name()).isEqualTo("file");
            assertThat(part.filename()).isEqualTo("a b.bin");
            assertThat(part.contentType()).isEqualTo("image/png");
            assertThat(part.content().readAllBytes()).as("chunks of %d", chunk).isEqualTo(file);
            assertThat(reader.next()).isEmpty();
        }
    }

    @Test
    void unreadPartsAreSkipped() {
        FormDataReader reader = new FormDataReader(new ByteArrayInputStream(form(new byte[10])), "xyz");
        reader.next().orElseThrow();
        assertThat(reader.next().orElseThrow().name()).isEqualTo("file");
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void truncatedOrNamelessFormsAreMalformed() {
        byte[] whole = form(new byte[10]);
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 12);
        FormDataReader reader = new FormDataReader(new ByteArrayInputStream(truncated), "xyz");
        reader.next().orElseThrow();
        FormDataReader.Part file = reader.next().orElseThrow();
        assertThatThrownBy(() -> file.content().readAllBytes()).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.errorCode()).isEqualTo(S3Errors.MALFORMED_POST_REQUEST));
        FormDataReader nameless = new FormDataReader(new ByteArrayInputStream(
                "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--".getBytes(StandardCharsets.UTF_8)), "b");
        assertThatThrownBy(nameless::next).isInstanceOf(AwsException.class);
    }

    @Test
    void boundaryComesFromTheContentType() {
        assertThat(FormDataReader.boundary("multipart/form-data; boundary=----abc")).hasValue("----abc");
        assertThat(FormDataReader.boundary("Multipart/Form-Data;boundary=\"q r\"")).hasValue("q r");
        assertThat(FormDataReader.boundary("multipart/form-data")).isEmpty();
        assertThat(FormDataReader.boundary("application/x-www-form-urlencoded")).isEmpty();
        assertThat(FormDataReader.boundary(null)).isEmpty();
    }
}
