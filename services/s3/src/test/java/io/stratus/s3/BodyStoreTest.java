package io.stratus.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.protocol.auth.ChecksumAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BodyStoreTest {

    @TempDir
    Path root;

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private long files() throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aReceivedBodyBecomesVisibleOnlyOnCommit() throws Exception {
        BodyStore bodies = new BodyStore(root);
        BodyStore.Received received = bodies.receive(text("hello"), true, Set.of(ChecksumAlgorithm.CRC32));

        assertThat(received.size()).isEqualTo(5);
        assertThat(received.md5Hex()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(received.sha256()).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(received.checksum(ChecksumAlgorithm.CRC32)).isEqualTo(ChecksumAlgorithm.CRC32.compute("hello".getBytes(StandardCharsets.UTF_8)));

        String id = bodies.commit(received);
        try (InputStream in = bodies.open(id, 1, 3)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ell");
        }
        assertThat(Files.list(root.resolve("tmp"))).isEmpty();
    }

    @Test
    void aSmallBodyReadAgainComesFromMemoryUntilItIsDeleted() throws Exception {
        BodyStore bodies = new BodyStore(root);
        String id = bodies.commit(bodies.receive(text("hello world"), false, Set.of()));
        try (InputStream in = bodies.open(id, 11, 0, 11)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        }
        // The file is no longer read: a range of the kept bytes is served even with the file gone.
        try (Stream<Path> paths = Files.walk(root.resolve("bodies"))) {
            Path file = paths.filter(p -> p.getFileName().toString().equals(id)).findFirst().orElseThrow();
            Files.delete(file);
        }
        try (InputStream in = bodies.open(id, 11, 6, 5)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("world");
        }
        bodies.delete(id);
        assertThatThrownBy(() -> bodies.open(id, 11, 0, 11)).hasMessageContaining("missing");
    }

    @Test
    void aFailedReceiveLeavesNoFile() throws Exception {
        BodyStore bodies = new BodyStore(root);
        InputStream failing = new InputStream() {
            private int left = 100_000;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    throw new IOException("connection lost");
                }
                int n = Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }

            @Override
            public int read() throws IOException {
                throw new UnsupportedOperationException();
            }
        };

        assertThatThrownBy(() -> bodies.receive(failing, false, Set.of())).hasRootCauseMessage("connection lost");
        assertThat(files()).isZero();

        BodyStore.Received discarded = bodies.receive(text("refused"), false, Set.of());
        bodies.discard(discarded);
        assertThat(files()).isZero();
    }

    @Test
    void joinedBodiesReadAsOneAndCopiesOutliveThem() throws Exception {
        BodyStore bodies = new BodyStore(root);
        String a = bodies.commit(bodies.receive(text("abc"), false, Set.of()));
        String b = bodies.commit(bodies.receive(text(""), false, Set.of()));
        String c = bodies.commit(bodies.receive(text("defg"), false, Set.of()));

        String joined = BodyStore.join(List.of(a, b, c));
        assertThat(BodyStore.fileIds(joined)).containsExactly(a, b, c);
        // Every range, across the files and the empty one between them.
        for (int first = 0; first < 7; first++) {
            for (int last = first; last < 7; last++) {
                try (InputStream in = bodies.open(joined, first, last - first + 1)) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abcdefg".substring(first, last + 1));
                }
            }
        }
        assertThat(bodies.checksum(joined, ChecksumAlgorithm.CRC32)).isEqualTo(ChecksumAlgorithm.CRC32.compute("abcdefg".getBytes(StandardCharsets.UTF_8)));
        // A read that has begun reads to the end when the body is deleted under it.
        InputStream reading = bodies.open(joined, 1, 6);
        assertThat(reading.read()).isEqualTo('b');

        String copy = bodies.copy(joined);
        bodies.delete(joined);

        assertThat(new String(reading.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("cdefg");
        reading.close();
        try (InputStream in = bodies.open(copy, 0, 7)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abcdefg");
        }
        bodies.delete(copy);
        assertThat(files()).isZero();
    }

    @Test
    void leftoverTempFilesAreRemovedOnOpen() throws Exception {
        new BodyStore(root).receive(text("interrupted"), false, Set.of());
        assertThat(Files.list(root.resolve("tmp"))).hasSize(1);

        new BodyStore(root);

        assertThat(Files.list(root.resolve("tmp"))).isEmpty();
    }

    @Test
    void bodiesUpToTheInlineLimitStayInMemoryWithTheSameDigestsAsFiles() throws Exception {
        BodyStore bodies = new BodyStore(root, new io.stratus.storage.MemoryStore());
        int limit = 20_000;
        for (int size : new int[] {0, 1, 8191, 8192, 8193, limit - 1, limit, limit + 1, 3 * 128 * 1024}) {
            byte[] body = new byte[size];
            new java.util.Random(size).nextBytes(body);
            // Delivered a few bytes at a time, as a network stream may be.
            InputStream trickle = new java.io.FilterInputStream(new ByteArrayInputStream(body)) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return super.read(b, off, Math.min(len, 777));
                }
            };
            BodyStore.Received inline = bodies.receive(trickle, true, Set.of(ChecksumAlgorithm.CRC32C), limit);
            BodyStore.Received file = bodies.receive(new ByteArrayInputStream(body), true, Set.of(ChecksumAlgorithm.CRC32C));
            assertThat(inline.size()).as("size %d", size).isEqualTo(size);
            assertThat(inline.md5Hex()).isEqualTo(file.md5Hex());
            assertThat(inline.sha256()).isEqualTo(file.sha256());
            assertThat(inline.checksum(ChecksumAlgorithm.CRC32C)).isEqualTo(file.checksum(ChecksumAlgorithm.CRC32C));
            if (size <= limit) {
                assertThat(inline.temp()).isNull();
                assertThat(inline.inline()).isEqualTo(body);
                assertThat(BodyStore.isInline(bodies.commit(inline))).isTrue();
            } else {
                assertThat(inline.inline()).isNull();
                assertThat(Files.readAllBytes(inline.temp())).isEqualTo(body);
                assertThat(BodyStore.isInline(bodies.commit(inline))).isFalse();
            }
            bodies.discard(file);
        }
        assertThat(Files.list(root.resolve("tmp"))).isEmpty();
    }
}
