package io.stratus.s3;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * A segmented body's bytes (a completed multipart upload's, see {@link BodyStore#join(List)}): its files'
 * streams one after another. Closing it closes every file opened.
 */
final class SegmentsInputStream extends InputStream {

    /** Files opened when the body is opened; later ones when the read reaches them. */
    private static final int OPENED_AT_ONCE = 1000;

    private final Iterator<Supplier<InputStream>> next;
    private final List<FileChannel> opened;
    private InputStream current;

    private SegmentsInputStream(List<Supplier<InputStream>> streams, List<FileChannel> opened) {
        this.next = streams.iterator();
        this.opened = opened;
    }

    /**
     * The bytes {@code [offset, offset + length)} of the body made of {@code files}. They are opened
     * now (up to {@link #OPENED_AT_ONCE} of them), so a read that started reads to the end even when
     * the object is deleted meanwhile, as a single file does.
     */
    static InputStream open(List<Path> files, long offset, long length) throws IOException {
        List<Supplier<InputStream>> streams = new ArrayList<>();
        List<FileChannel> opened = new ArrayList<>();
        try {
            long skip = offset;
            long remaining = length;
            for (Path path : files) {
                if (remaining <= 0) {
                    break;
                }
                FileChannel channel = opened.size() < OPENED_AT_ONCE ? FileChannel.open(path, StandardOpenOption.READ) : null;
                if (channel != null) {
                    opened.add(channel);
                }
                long size = channel != null ? channel.size() : Files.size(path);
                if (skip >= size) {
                    skip -= size;
                    if (channel != null) {
                        opened.removeLast();
                        channel.close();
                    }
                    continue;
                }
                long start = skip;
                long take = Math.min(size - start, remaining);
                skip = 0;
                remaining -= take;
                streams.add(() -> {
                    try {
                        FileChannel in = channel != null ? channel : FileChannel.open(path, StandardOpenOption.READ);
                        if (start > 0) {
                            in.position(start);
                        }
                        return new BoundedInputStream(Channels.newInputStream(in), take);
                    } catch (NoSuchFileException e) {
                        throw new AwsException(CommonErrors.INTERNAL_FAILURE, "The object's body is missing from the data directory.", e);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            for (FileChannel channel : opened) {
                channel.close();
            }
            throw e;
        }
        return new SegmentsInputStream(streams, opened);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (current == null) {
                if (!next.hasNext()) {
                    return -1;
                }
                current = next.next().get();
            }
            int n = current.read(b, off, len);
            if (n >= 0) {
                return n;
            }
            current.close();
            current = null;
        }
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
        }
        for (FileChannel channel : opened) {
            channel.close();
        }
    }
}
