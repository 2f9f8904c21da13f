package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamedResponseTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Appends on another thread, as the Runtime API connection's thread does. */
    private static CompletableFuture<Void> appendLater(StreamedResponse stream, byte[] bytes) {
        return CompletableFuture.runAsync(() -> {
            try {
                stream.append(bytes, 0, bytes.length);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void aKeptStreamKeepsItsFirstBytesAndCountsTheRest() throws Exception {
        StreamedResponse stream = new StreamedResponse("text/plain", 100, 4);
        stream.append(bytes("abc"), 0, 3);
        stream.append(bytes("def"), 0, 3);
        stream.end();
        assertThat(stream.bytes()).isEqualTo(bytes("abcd"));
        assertThat(stream.truncated()).isFalse();
        assertThat(new String(stream.reader().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abcd");
        assertThat(stream.awaitBytes()).isTrue();
    }

    @Test
    void aStreamPastItsLimitEndsTruncated() throws Exception {
        StreamedResponse stream = new StreamedResponse("text/plain", 5, 100);
        stream.append(bytes("abc"), 0, 3);
        stream.append(bytes("def"), 0, 3);
        stream.append(bytes("ghi"), 0, 3);
        assertThat(stream.truncated()).isTrue();
        assertThat(new String(stream.reader().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abcde");
    }

    @Test
    void aFollowedStreamsWriterWaitsWhileItsWindowIsUnread() throws Exception {
        StreamedResponse stream = new StreamedResponse("application/octet-stream", Long.MAX_VALUE, 0);
        stream.follow();
        byte[] window = new byte[StreamedResponse.WINDOW_BYTES];
        stream.append(window, 0, window.length);
        CompletableFuture<Void> more = appendLater(stream, bytes("more")).thenRun(stream::end);
        Thread.sleep(100);
        assertThat(more).as("waits for the reader").isNotDone();
        InputStream reader = stream.reader();
        assertThat(reader.readNBytes(window.length)).hasSize(window.length);
        more.get(10, TimeUnit.SECONDS);
        assertThat(new String(reader.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("more");
        assertThat(stream.bytes()).as("a followed stream's bytes are its reader's").isEmpty();
    }

    @Test
    void aFollowedStreamWhoseReaderStoppedOrEndedNoLongerHoldsTheWriter() throws Exception {
        StreamedResponse stopped = new StreamedResponse("application/octet-stream", Long.MAX_VALUE, 0);
        stopped.follow();
        InputStream reader = stopped.reader();
        byte[] window = new byte[StreamedResponse.WINDOW_BYTES];
        stopped.append(window, 0, window.length);
        CompletableFuture<Void> writer = appendLater(stopped, window);
        reader.close();
        writer.get(10, TimeUnit.SECONDS);

        StreamedResponse ended = new StreamedResponse("application/octet-stream", Long.MAX_VALUE, 0);
        ended.follow();
        ended.append(window, 0, window.length);
        CompletableFuture<Void> late = appendLater(ended, window);
        // The invocation ended (timed out, say): the runtime's writer is let go.
        ended.end();
        late.get(10, TimeUnit.SECONDS);
        assertThat(ended.reader().readAllBytes()).hasSize(window.length);
    }
}
