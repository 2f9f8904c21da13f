package io.stratus.lambda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private {@code /tmp} for each runtime process, as every Lambda execution environment has its
 * own: the process starts in a mount namespace of its own (util-linux's {@code unshare}, in an
 * unprivileged user namespace, then back to the user Stratus runs as) where the environment's
 * directory is mounted over {@code /tmp}. The runtime reaches its Runtime API's socket through a
 * hard link in that directory ({@link #linkSocket}); Stratus's own paths under {@code /tmp} that it
 * needs (its task root, layers and bootstraps, when the data directory is there) are mounted back
 * into it at their own paths. In the same namespace the function's code (its task root and
 * {@code /opt}) is mounted read-only over itself, as AWS's {@code /var/task} and {@code /opt} are,
 * where the machine lets it: code that writes next to itself fails here as it would there.
 *
 * <p>Where the machine has no {@code unshare} or does not allow user namespaces (checked once, by
 * trying), or {@value #PROPERTY} is {@code false}, runtimes share the machine's {@code /tmp} and
 * only their {@code TMPDIR} is private. Stateless.
 */
final class PrivateTmp {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateTmp.class);
    /** The system property that turns private {@code /tmp}s off ({@code false}). */
    static final String PROPERTY = "stratus.lambda.privateTmp";
    private static final Path TMP = Path.of("/tmp");
    private static final Path SH = Path.of("/bin/sh");
    /** The exit status of a runtime whose namespace could not be set up. */
    static final int SETUP_FAILED = 125;

    /** Where the Runtime API's socket appears in a private {@code /tmp} (a hard link to it, see {@link #linkSocket}). */
    private static final String SOCKET_NAME = ".stratus-runtime-api.sock";

    /**
     * Run by {@code sh} in the new namespace: first, where {@code STRATUS_HOSTS} names a file, it is
     * mounted over {@code /etc/hosts} (an extension's sandbox names, see
     * {@link EnvironmentDirectory#writeHosts}); then {@code $1} the private directory, {@code $2}/{@code $3}
     * the user and group to become again (already so when both are 0), then the paths to keep
     * (their mount points made beforehand), {@code --}, the paths to make read-only, {@code --},
     * and the command. Each {@code mount} is a process of its own (~5 ms here), so a data directory
     * outside {@code /tmp} costs one, and each read-only path one (two where its file system's
     * {@code noexec} is locked, which a bind mount that also asks for {@code ro} would clear).
     * Making a path read-only is done where the machine lets it, and skipped where it does not.
     */
    private static final String SCRIPT = """
            dir=$1; uid=$2; gid=$3; shift 3
            [ -z "$STRATUS_HOSTS" ] || mount --bind "$STRATUS_HOSTS" /etc/hosts 2>/dev/null
            unset STRATUS_HOSTS
            while [ "$1" != "--" ]; do
              mount --bind "$1" "$dir${1#/tmp}" || exit %1$d
              shift
            done
            shift
            mount --rbind "$dir" /tmp || exit %1$d
            while [ "$1" != "--" ]; do
              mount --bind -o ro,nosuid,nodev "$1" "$1" 2>/dev/null || mount -o remount,bind,ro "$1" 2>/dev/null
              shift
            done
            shift
            if [ "$uid" = 0 ] && [ "$gid" = 0 ]; then exec "$@"; fi
            exec "$0" --map-user="$uid" --map-group="$gid" -- "$@"
            """.formatted(SETUP_FAILED);

    private static final Path UNSHARE = usable();

    private PrivateTmp() {}

    /** Whether runtimes get a private {@code /tmp} on this machine. */
    static boolean available() {
        return UNSHARE != null && !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /**
     * The command that runs {@code command} with {@code dir} as its {@code /tmp}, keeping
     * {@code needed} (paths the runtime uses; those outside {@code /tmp} need nothing) where they
     * are and making {@code readOnly} read-only; {@code command} itself where private {@code /tmp}s
     * are not {@linkplain #available() available}.
     */
    static List<String> wrap(Path dir, Collection<Path> needed, Collection<Path> readOnly, List<String> command) throws IOException {
        Mounts mounts = mounts(dir, needed, readOnly);
        if (mounts == null) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(UNSHARE.toString(), "--user", "--map-root-user", "--mount", "--", SH.toString(), "-c",
                SCRIPT, UNSHARE.toString(), dir.toString(), Long.toString(Ids.UID), Long.toString(Ids.GID)));
        wrapped.addAll(mounts.kept());
        wrapped.add("--");
        wrapped.addAll(mounts.readOnly());
        wrapped.add("--");
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * What a runtime's private {@code /tmp} mounts: {@code dir} over {@code /tmp}, back into it the
     * entries of the machine's {@code /tmp} that {@code needed} lies in (their mount points made
     * here), then each of {@code readOnly} (nulls skipped) over itself, read-only; null where
     * private {@code /tmp}s are not {@linkplain #available() available}.
     */
    static Mounts mounts(Path dir, Collection<Path> needed, Collection<Path> readOnly) throws IOException {
        if (!available()) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        for (Path entry : kept(needed)) {
            // Its mount point, made here rather than in the namespace.
            Files.createDirectories(dir.resolve(entry.getFileName().toString()));
            kept.add(entry.toString());
        }
        List<String> locked = readOnly.stream().filter(java.util.Objects::nonNull).map(path -> realPath(path).toString()).toList();
        return new Mounts(dir, List.copyOf(kept), locked);
    }

    /**
     * A private {@code /tmp}: the directory mounted over {@code /tmp}, the entries of the machine's
     * {@code /tmp} kept in it, and the paths made read-only once it is in place.
     */
    record Mounts(Path dir, List<String> kept, List<String> readOnly) {}

    /**
     * The function's {@code /tmp} as it sees it: {@code /tmp} itself where private {@code /tmp}s
     * are {@linkplain #available() available}, else {@code dir}, a directory in the machine's.
     */
    static Path seen(Path dir) {
        return available() ? TMP : dir;
    }

    /**
     * Makes the Runtime API's Unix domain socket reachable from a private {@code /tmp} in
     * {@code dir} (a hard link: the socket stays where it is, and nothing needs mounting): the path
     * the runtime connects to, or null where that fails (the runtime then uses TCP).
     */
    static String linkSocket(Path dir, Path socket) {
        if (!available()) {
            return socket.toString();
        }
        try {
            Files.createLink(dir.resolve(SOCKET_NAME), socket);
            return TMP.resolve(SOCKET_NAME).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * The entries of {@code /tmp} to mount back: for each needed path under it, the entry it is in
     * (so a data directory in {@code /tmp/junit123/…} keeps {@code /tmp/junit123}).
     */
    static Set<Path> kept(Collection<Path> needed) {
        Set<Path> kept = new LinkedHashSet<>();
        for (Path path : needed) {
            if (path == null) {
                continue;
            }
            Path real = realPath(path);
            if (real.startsWith(TMP) && real.getNameCount() > TMP.getNameCount()) {
                kept.add(TMP.resolve(real.getName(TMP.getNameCount())));
            }
        }
        return kept;
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** {@code unshare}, if it can set up what {@link #wrap} asks of it here; else null. */
    private static Path usable() {
        Path unshare = RuntimeLaunch.executable("/usr/bin/unshare", "/bin/unshare");
        if (unshare == null || !Files.isExecutable(SH)) {
            return null;
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory(TMP, "stratus-private-tmp-check");
            // As wrap runs it, with an entry of /tmp kept: inside, /tmp is the private directory (its
            // marker is there) and the kept entry is where it was.
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            Files.createFile(tmp.resolve("marker"));
            Files.createDirectories(tmp.resolve(dir.getFileName().toString()));
            List<String> probe = new ArrayList<>(List.of(unshare.toString(), "--user", "--map-root-user", "--mount", "--", SH.toString(), "-c",
                    SCRIPT, unshare.toString(), tmp.toString(), Long.toString(Ids.UID), Long.toString(Ids.GID), dir.toString(), "--", "--", "/bin/sh",
                    "-c", "test -w /tmp && test -e /tmp/marker && test -e " + tmp.resolve("marker")));
            Process process = new ProcessBuilder(probe).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
                return unshare;
            }
            process.destroyForcibly();
            LOG.info("Lambda runtimes share the machine's /tmp: this machine does not let {} give them one of their own", unshare);
            return null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (dir != null) {
                try {
                    CodeStore.deleteTree(dir);
                } catch (java.io.UncheckedIOException e) {
                    // A temporary directory.
                }
            }
        }
    }

    /** The user and group Stratus runs as, from {@code /proc/self/status} (0 where unknown). */
    private static final class Ids {
        static final long UID = id("Uid:");
        static final long GID = id("Gid:");

        private static long id(String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith(field)) {
                        return Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Not Linux: no unshare either.
            }
            return 0;
        }
    }
}
