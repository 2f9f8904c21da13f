package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.CommonErrors;
import io.stratus.core.AwsException;
import io.stratus.protocol.BytesInputStream;
import io.stratus.protocol.auth.ChecksumAlgorithm;
import io.stratus.storage.Key;
import io.stratus.storage.Store;
import io.stratus.storage.Transaction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Object and part bodies. Large ones are files, never held in memory: {@code <root>/tmp} holds
 * bodies still arriving, {@code <root>/bodies/<xx>/<id>} the received ones. A body is streamed into
 * a temp file while its digests are computed, fsynced, and only then renamed into place, so a body
 * either exists whole or not at all; bodies never change once in place (a copy is a hard link).
 *
 * <p>Object bodies of up to {@link #INLINE_MAX_BYTES} (8 KiB) are <em>inline</em> instead: values of the
 * {@link #INLINE} keyspace under an id that starts with {@code inline:}, written by the caller in
 * the same store transaction as the record that names them ({@link #writeInline}) and removed in
 * the transaction that drops the last record naming them ({@link #dropInline}). A small durable
 * PutObject then costs one write-ahead-log sync, which the store shares among concurrent writers,
 * instead of three syncs of its own (file, directory, record).
 *
 * <p>A completed multipart upload's body is its parts' files, in order, never copied: its id is
 * {@code parts:<id>,<id>,…} ({@link #join}), and reading, copying or deleting it reads, links or
 * deletes each of them.
 *
 * <p>Thread-safe: every body is its own file or key under a fresh name.
 */
final class BodyStore {

    /** The keyspace of inline bodies, one key per body id. */
    static final String INLINE = "s3.inline";
    /**
     * The largest body kept inline: 8 KiB. Measured with the s3 bench (docs/BENCHMARKS.md): a 4 KiB
     * PutObject inline does ~1.7–1.9× the puts of one as a file, at 16 KiB the two are even, and
     * at 64 KiB inline loses (larger values cost RocksDB more in memtable flushes and compactions
     * than a file costs its syncs). The system property {@value #INLINE_MAX_PROPERTY} sets another
     * (up to 1 MiB; negative: every body a file), for measuring.
     */
    static final int INLINE_MAX_BYTES = inlineMax();
    static final String INLINE_MAX_PROPERTY = "stratus.s3.inline-max-bytes";
    /** Bodies that may be inline: received with this, else always a file (parts). */
    static final int NO_INLINE = -1;
    private static final String INLINE_PREFIX = "inline:";
    private static final String PARTS_PREFIX = "parts:";

    private static int inlineMax() {
        int value = Integer.getInteger(INLINE_MAX_PROPERTY, 8 * 1024);
        return value < 0 ? NO_INLINE : Math.min(value, 1024 * 1024);
    }
    private static final int BUFFER_BYTES = 128 * 1024;
    private static final int FIRST_INLINE_BUFFER_BYTES = 8 * 1024;

    private final Path tmp;
    private final Path bodies;
    private final Store store;
    private final SmallBodies small = new SmallBodies();
    /** The 256 directories bodies are spread over, by the two hex digits their ids start with. */
    private final Path[] directories = new Path[256];

    /** A body store whose bodies are all files. */
    BodyStore(Path root) {
        this(root, null);
    }

    /**
     * Opens (creating) the body directory; temp files a crash left behind are removed.
     *
     * @param store where inline bodies live; null when every body is a file
     */
    BodyStore(Path root, Store store) {
        requireNonNull(root, "root is null");
        this.store = store;
        this.tmp = root.resolve("tmp");
        this.bodies = root.resolve("bodies");
        for (int i = 0; i < directories.length; i++) {
            directories[i] = bodies.resolve(String.format("%02x", i));
        }
        try {
            Files.createDirectories(tmp);
            Files.createDirectories(bodies);
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
                for (Path leftover : leftovers) {
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the S3 body directory " + root, e);
        }
    }

    /**
     * A body received, not yet visible: {@link #commit} it once its digests are accepted, else
     * {@link #discard} it.
     *
     * @param temp the temp file holding it; null for an inline body
     * @param md5 the body's MD5
     * @param sha256 the body's SHA-256 in hex, when asked for
     * @param checksums the additional checksums asked for, base64
     * @param inline the whole body, when it is to be inline; else null
     */
    record Received(Path temp, long size, byte[] md5, String sha256, Map<ChecksumAlgorithm, String> checksums, byte[] inline) {

        Received {
            checksums = Map.copyOf(checksums);
        }

        /** The body's checksum in {@code algorithm}, which must have been asked for. */
        String checksum(ChecksumAlgorithm algorithm) {
            return requireNonNull(checksums.get(algorithm), () -> algorithm + " was not computed");
        }

        String md5Hex() {
            return HexFormat.of().formatHex(md5);
        }
    }

    /**
     * Streams {@code in} to a temp file and fsyncs it.
     *
     * @param sha256 whether to compute the SHA-256 (to check a signed payload hash)
     * @param checksums the additional checksums to compute
     */
    Received receive(InputStream in, boolean sha256, Set<ChecksumAlgorithm> checksums) {
        return receive(in, sha256, checksums, NO_INLINE);
    }

    /**
     * Receives {@code in}: in memory when it ends within {@code inlineMax} bytes (an inline body,
     * nothing written yet), else streamed to a temp file and fsynced.
     *
     * @param sha256 whether to compute the SHA-256 (to check a signed payload hash)
     * @param checksums the additional checksums to compute
     * @param inlineMax the largest body to keep inline, or {@link #NO_INLINE}
     */
    Received receive(InputStream in, boolean sha256, Set<ChecksumAlgorithm> checksums, int inlineMax) {
        MessageDigest md5 = Digests.md5();
        MessageDigest sha = sha256 ? digest("SHA-256") : null;
        Map<ChecksumAlgorithm, ChecksumAlgorithm.Running> running = new EnumMap<>(ChecksumAlgorithm.class);
        checksums.forEach(algorithm -> running.put(algorithm, algorithm.start()));
        byte[] head = null;
        int filled = 0;
        if (inlineMax >= 0 && store != null) {
            head = new byte[Math.min(FIRST_INLINE_BUFFER_BYTES, inlineMax + 1)];
            try {
                while (true) {
                    if (filled == head.length) {
                        if (head.length > inlineMax) {
                            break; // more than inlineMax bytes: a file
                        }
                        head = Arrays.copyOf(head, Math.min(head.length * 2, inlineMax + 1));
                    }
                    int n = in.read(head, filled, head.length - filled);
                    if (n < 0) {
                        byte[] body = Arrays.copyOf(head, filled);
                        md5.update(body);
                        if (sha != null) {
                            sha.update(body);
                        }
                        running.values().forEach(checksum -> checksum.update(body, 0, body.length));
                        return new Received(null, filled, md5.digest(), sha == null ? null : HexFormat.of().formatHex(sha.digest()),
                                values(running), body);
                    }
                    filled += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path temp = tmp.resolve(UUID.randomUUID().toString());
        boolean done = false;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = 0;
            if (filled > 0) {
                update(head, filled, md5, sha, running, out);
                size = filled;
            }
            byte[] buffer = new byte[BUFFER_BYTES];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                update(buffer, n, md5, sha, running, out);
                size += n;
            }
            out.force(true);
            done = true;
            return new Received(temp, size, md5.digest(), sha == null ? null : HexFormat.of().formatHex(sha.digest()),
                    values(running), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!done) {
                deleteQuietly(temp);
            }
        }
    }

    private static Map<ChecksumAlgorithm, String> values(Map<ChecksumAlgorithm, ChecksumAlgorithm.Running> running) {
        Map<ChecksumAlgorithm, String> values = new EnumMap<>(ChecksumAlgorithm.class);
        running.forEach((algorithm, checksum) -> values.put(algorithm, checksum.base64()));
        return values;
    }

    private static void update(byte[] buffer, int n, MessageDigest md5, MessageDigest sha,
            Map<ChecksumAlgorithm, ChecksumAlgorithm.Running> running, FileChannel out) throws IOException {
        md5.update(buffer, 0, n);
        if (sha != null) {
            sha.update(buffer, 0, n);
        }
        for (ChecksumAlgorithm.Running checksum : running.values()) {
            checksum.update(buffer, 0, n);
        }
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
            out.write(chunk);
        }
    }

    /** Whether {@code id} names an inline body. */
    static boolean isInline(String id) {
        return id != null && id.startsWith(INLINE_PREFIX);
    }

    /** A fresh id for an inline body. */
    static String newInlineId() {
        return INLINE_PREFIX + UUID.randomUUID();
    }

    /** Writes an inline body in the transaction that writes the record naming it. */
    void writeInline(Transaction txn, String id, byte[] bytes) {
        txn.put(INLINE, inlineKey(id), bytes);
    }

    /** Removes, in the transaction that drops them, the inline bodies of records no longer kept. */
    void dropInline(Transaction txn, Collection<StoredObject> dropped) {
        for (StoredObject object : dropped) {
            if (isInline(object.bodyId())) {
                txn.delete(INLINE, inlineKey(object.bodyId()));
            }
        }
    }

    /**
     * The bytes of an inline body.
     *
     * @throws BodyGone when it is gone (its record was replaced or deleted since it was read)
     */
    byte[] inlineBytes(String id) {
        byte[] bytes = small.get(id);
        if (bytes != null) {
            return bytes;
        }
        bytes = store.get(INLINE, inlineKey(id));
        if (bytes == null) {
            throw new BodyGone();
        }
        small.put(id, bytes);
        return bytes;
    }

    private static byte[] inlineKey(String id) {
        return Key.builder().add(id).build();
    }

    /**
     * An inline body's record was replaced or deleted between reading the record and reading the
     * body; reading the record again finds the current one.
     */
    static final class BodyGone extends RuntimeException {

        BodyGone() {
            super("The object's body was removed while it was read", null, false, false);
        }
    }

    /**
     * Runs a read of a record and its body again when the body went away under it (see
     * {@link BodyGone}); a body that keeps going away is an internal failure.
     */
    static <T> T reading(java.util.function.Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (BodyGone e) {
                if (attempt == 5) {
                    throw new AwsException(CommonErrors.INTERNAL_FAILURE, "The object's body is missing from the store.", e);
                }
            }
        }
    }

    /** Moves a received body into place (an inline one is written with its record); returns its id. */
    String commit(Received received) {
        if (received.inline() != null) {
            return newInlineId();
        }
        String id = UUID.randomUUID().toString();
        Path target = path(id);
        try {
            createParent(target);
            try {
                Files.move(received.temp(), target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(received.temp(), target);
            }
            syncDirectory(target.getParent());
            return id;
        } catch (IOException e) {
            deleteQuietly(received.temp());
            throw new UncheckedIOException(e);
        }
    }

    void discard(Received received) {
        if (received.temp() != null) {
            deleteQuietly(received.temp());
        }
    }

    /** The checksum of a whole body, read from its file (a copy's checksum when its source's cannot serve). */
    String checksum(String id, ChecksumAlgorithm algorithm) {
        ChecksumAlgorithm.Running running = algorithm.start();
        readAll(id, running::update);
        return running.base64();
    }

    /**
     * A whole body's MD5 in hex and, when {@code algorithm} is not null, its checksum in that
     * algorithm, from one read of its file(s) (a copy of a multipart object gets an ETag of its
     * bytes, which its source's parts' ETags cannot give).
     */
    Digested digest(String id, ChecksumAlgorithm algorithm) {
        MessageDigest md5 = Digests.md5();
        ChecksumAlgorithm.Running running = algorithm == null ? null : algorithm.start();
        readAll(id, (bytes, offset, length) -> {
            md5.update(bytes, offset, length);
            if (running != null) {
                running.update(bytes, offset, length);
            }
        });
        return new Digested(HexFormat.of().formatHex(md5.digest()), running == null ? null : running.base64());
    }

    /** A body's MD5 in hex, and its checksum in the algorithm asked for (else null). */
    record Digested(String md5Hex, String checksum) {}

    /** What a whole body's bytes are handed to, a buffer at a time. */
    @FunctionalInterface
    private interface ByteSink {
        void accept(byte[] bytes, int offset, int length);
    }

    /** Streams a whole body through {@code sink}, 64 KiB at a time: never the whole body in memory. */
    private void readAll(String id, ByteSink sink) {
        if (isInline(id)) {
            byte[] bytes = inlineBytes(id);
            sink.accept(bytes, 0, bytes.length);
            return;
        }
        if (isSegmented(id)) {
            try (InputStream in = open(id, 0, Long.MAX_VALUE)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    sink.accept(buffer, 0, n);
                }
                return;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (FileChannel in = FileChannel.open(path(id), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (in.read(buffer.clear()) >= 0) {
                sink.accept(buffer.array(), 0, buffer.position());
            }
        } catch (NoSuchFileException e) {
            throw new AwsException(CommonErrors.INTERNAL_FAILURE, "The object's body is missing from the data directory.", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The bytes {@code [offset, offset + length)} of a body of {@code size} bytes: a small one from
     * memory once it has been read (see {@link SmallBodies}), else streamed from its file.
     */
    InputStream open(String id, long size, long offset, long length) {
        if (isInline(id)) {
            return open(id, offset, length);
        }
        if (size > SmallBodies.MAX_BODY_BYTES) {
            return open(id, offset, length);
        }
        byte[] bytes = small.get(id);
        if (bytes == null || bytes.length != size) {
            try (InputStream in = open(id, 0, size)) {
                bytes = in.readNBytes((int) size);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (bytes.length != size) {
                throw new AwsException(CommonErrors.INTERNAL_FAILURE, "The object's body is shorter than its record says.");
            }
            small.put(id, bytes);
        }
        return new BytesInputStream(bytes, (int) offset, (int) length);
    }

    /** The bytes {@code [offset, offset + length)} of a body, streamed from its file (or an inline body's bytes). */
    InputStream open(String id, long offset, long length) {
        if (isInline(id)) {
            byte[] bytes = inlineBytes(id);
            if (offset + length > bytes.length) {
                throw new AwsException(CommonErrors.INTERNAL_FAILURE, "The object's body is shorter than its record says.");
            }
            return new BytesInputStream(bytes, (int) offset, (int) length);
        }
        try {
            if (isSegmented(id)) {
                return SegmentsInputStream.open(fileIds(id).stream().map(this::path).toList(), offset, length);
            }
            FileChannel channel = FileChannel.open(path(id), StandardOpenOption.READ);
            if (offset > 0) {
                channel.position(offset);
            }
            return new BoundedInputStream(Channels.newInputStream(channel), length);
        } catch (NoSuchFileException e) {
            throw new AwsException(CommonErrors.INTERNAL_FAILURE, "The object's body is missing from the data directory.", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The body made of the given file bodies one after another (a completed multipart upload's
     * parts), without copying a byte: they are already durable in place, and from now on belong to
     * the body returned.
     */
    static String join(List<String> ids) {
        for (String id : ids) {
            if (isInline(id) || isSegmented(id) || id.contains(",")) {
                throw new IllegalArgumentException("not a file body: " + id);
            }
        }
        return PARTS_PREFIX + String.join(",", ids);
    }

    /** Whether {@code id} names a body made of other bodies' files ({@link #join}). */
    static boolean isSegmented(String id) {
        return id != null && id.startsWith(PARTS_PREFIX);
    }

    /** The ids of the files a body is kept in: none for an inline body, its parts' for a segmented one. */
    static List<String> fileIds(String id) {
        if (id == null || isInline(id)) {
            return List.of();
        }
        if (isSegmented(id)) {
            return List.of(id.substring(PARTS_PREFIX.length()).split(","));
        }
        return List.of(id);
    }

    /**
     * A new body with the same bytes as the file body {@code id}: a hard link (for a segmented
     * body, one per file), since bodies never change.
     */
    String copy(String id) {
        if (isSegmented(id)) {
            return join(fileIds(id).stream().map(this::copy).toList());
        }
        String copy = UUID.randomUUID().toString();
        Path target = path(copy);
        try {
            createParent(target);
            try {
                Files.createLink(target, path(id));
            } catch (IOException | UnsupportedOperationException e) {
                // A file system without hard links: copy the bytes instead.
                Path temp = tmp.resolve(copy);
                Files.copy(path(id), temp);
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            syncDirectory(target.getParent());
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ids of every body in place now. */
    java.util.Set<String> ids() {
        try (java.util.stream.Stream<Path> files = Files.walk(bodies, 2)) {
            return files.filter(Files::isRegularFile).map(path -> path.getFileName().toString())
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes a body no record refers to any more; readers that have it open keep reading. An
     * inline body is only forgotten here: its key went with the commit that dropped its record
     * ({@link #dropInline}).
     */
    void delete(String id) {
        small.remove(id);
        for (String file : fileIds(id)) {
            deleteQuietly(path(file));
        }
    }

    private Path path(String id) {
        int high = Character.digit(id.charAt(0), 16);
        int low = id.length() > 1 ? Character.digit(id.charAt(1), 16) : -1;
        // Ids are UUIDs, in lower case; anything else is found the long way.
        if (high >= 0 && low >= 0 && Character.isLowerCase(id.charAt(0)) == Character.isLetter(id.charAt(0))
                && Character.isLowerCase(id.charAt(1)) == Character.isLetter(id.charAt(1))) {
            return directories[high << 4 | low].resolve(id);
        }
        return bodies.resolve(id.substring(0, 2)).resolve(id);
    }

    /**
     * Creates a body's directory unless it exists: checked first, since {@code createDirectories}
     * on an existing directory fails inside and throws away an exception, on every upload.
     */
    private static void createParent(Path target) throws IOException {
        if (!Files.isDirectory(target.getParent())) {
            Files.createDirectories(target.getParent());
        }
    }

    private static void syncDirectory(Path directory) {
        // A rename is durable once its directory is; some platforms cannot open a directory.
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Best effort: the file itself is already synced.
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // A leftover temp file is removed on the next start.
        }
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is missing from this JVM", e);
        }
    }
}
