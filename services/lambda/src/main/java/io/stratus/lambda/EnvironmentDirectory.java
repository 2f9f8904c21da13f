package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * What one execution environment keeps in the machine's temporary directory while it lives, in a
 * directory of its own: the function's private {@code /tmp} ({@link #tmp()}) and its Runtime API's
 * Unix domain socket ({@link #socket()}). Deleted when the environment stops; those of a server
 * killed without stopping are swept by the next one ({@link #sweepAbandoned()}), judged by their
 * socket.
 */
final class EnvironmentDirectory {

    private static final String PREFIX = "stratus-lambda-env-";
    private static final String SOCKET_NAME = "api.sock";
    private static final String OUTPUT_NAME = "output.sock";
    private static final String HOSTS_NAME = "hosts";
    /** Numbers the environments' sandbox addresses (see {@link #writeHosts}). */
    private static final java.util.concurrent.atomic.AtomicInteger SANDBOXES = new java.util.concurrent.atomic.AtomicInteger();
    /** The longest Unix domain socket path Linux takes is 107 bytes; a longer temporary directory means TCP alone. */
    private static final int MAX_SOCKET_PATH = 100;
    /** How old a refusing socket must be to count as abandoned rather than between its bind and its listen. */
    private static final long ABANDONED_AFTER_MILLIS = 60_000;

    private final Path root;

    private EnvironmentDirectory(Path root) {
        this.root = requireNonNull(root, "root is null");
    }

    static EnvironmentDirectory create() throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")));
    }

    static EnvironmentDirectory create(Path temporary) throws IOException {
        Path root = Files.createTempDirectory(temporary, PREFIX);
        EnvironmentDirectory directory = new EnvironmentDirectory(root);
        try {
            Files.createDirectory(directory.tmp());
        } catch (IOException e) {
            directory.delete();
            throw e;
        }
        return directory;
    }

    /** The function's {@code /tmp}: its {@code TMPDIR} and {@code HOME}. */
    Path tmp() {
        return root.resolve("tmp");
    }

    /** Where a forked runtime connects its output (see {@link PythonForkServer}), or null where its path would be too long for a socket. */
    Path output() {
        Path socket = root.resolve(OUTPUT_NAME);
        return socket.toString().length() <= MAX_SOCKET_PATH ? socket : null;
    }

    /** Where the Runtime API's Unix domain socket goes, or null where its path would be too long for one. */
    Path socket() {
        Path socket = root.resolve(SOCKET_NAME);
        return socket.toString().length() <= MAX_SOCKET_PATH ? socket : null;
    }

    /**
     * Writes the {@code /etc/hosts} the environment's extensions see (mounted over the machine's in
     * their namespace, see {@link PrivateTmp}): the machine's, plus the sandbox's own names,
     * {@code sandbox.localdomain} and {@code sandbox}, for a loopback address of the environment's
     * own, so that extensions of several environments may listen on the same port, each in its
     * sandbox as on AWS. Returns that address.
     */
    String writeHosts() throws IOException {
        // 127.100.0.1 to 127.100.255.254, then round again: far more than run at once.
        int n = Math.floorMod(SANDBOXES.getAndIncrement(), 256 * 254);
        String address = "127.100." + n / 254 + "." + (1 + n % 254);
        Path machine = Path.of("/etc/hosts");
        String hosts = Files.isReadable(machine) ? Files.readString(machine) : "127.0.0.1 localhost\n";
        Files.writeString(hosts(), (hosts.endsWith("\n") || hosts.isEmpty() ? hosts : hosts + "\n") + address + " sandbox.localdomain sandbox\n");
        return address;
    }

    /** The {@code /etc/hosts} of {@link #writeHosts}. */
    Path hosts() {
        return root.resolve(HOSTS_NAME);
    }

    /** Deletes the directory and all in it, as far as it can: a file a killed process was still writing may come back briefly. */
    void delete() {
        try {
            CodeStore.deleteTree(root);
        } catch (UncheckedIOException e) {
            // A leftover in the temporary directory, for the next sweep.
        }
    }

    static void sweepAbandoned() {
        sweepAbandoned(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Deletes the directories of environments whose server is gone without stopping them (it was
     * killed): a directory whose socket refuses connections and is older than a minute. A live
     * environment's socket accepts (the probe's connection ends at once, as a runtime's that exits
     * would); a young one may be between its bind and its listen, and a directory without a socket
     * may belong to an environment still starting, or to one whose path was too long for a socket:
     * those stay.
     */
    static void sweepAbandoned(Path temporary) {
        long youngSince = System.currentTimeMillis() - ABANDONED_AFTER_MILLIS;
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(temporary, PREFIX + "*")) {
            for (Path directory : directories) {
                Path socket = directory.resolve(SOCKET_NAME);
                try {
                    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)
                            || Files.getLastModifiedTime(socket, LinkOption.NOFOLLOW_LINKS).toMillis() > youngSince) {
                        continue;
                    }
                    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                        // Someone listens: in use.
                    } catch (ConnectException e) {
                        new EnvironmentDirectory(directory).delete();
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // Gone meanwhile, or not ours to judge (no permission, not a socket): left alone.
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Nothing to sweep.
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
