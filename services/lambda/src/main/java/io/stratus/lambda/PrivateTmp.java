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
 * directory is mounted over {@code /tmp}. Stratus's own paths under {@code /tmp} that the runtime
 * needs (its Runtime API socket, and its task root, layers and bootstraps when the data directory
 * is there) are mounted back into it at their own paths.
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

    /**
     * Run by {@code sh} in the new namespace: {@code $1} the private directory, {@code $2}/{@code $3}
     * the user and group to become again, then the paths to keep, {@code --}, and the command.
     */
    private static final String SCRIPT = """
            dir=$1; uid=$2; gid=$3; shift 3
            while [ "$1" != "--" ]; do
              mkdir -p "$dir${1#/tmp}" && mount --bind "$1" "$dir${1#/tmp}" || exit %1$d
              shift
            done
            shift
            mount --rbind "$dir" /tmp || exit %1$d
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
     * are; {@code command} itself where private {@code /tmp}s are not {@linkplain #available() available}.
     */
    static List<String> wrap(Path dir, Collection<Path> needed, List<String> command) {
        if (!available()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(UNSHARE.toString(), "--user", "--map-root-user", "--mount", "--", SH.toString(), "-c",
                SCRIPT, UNSHARE.toString(), dir.toString(), Long.toString(Ids.UID), Long.toString(Ids.GID)));
        for (Path kept : kept(needed)) {
            wrapped.add(kept.toString());
        }
        wrapped.add("--");
        wrapped.addAll(command);
        return wrapped;
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
            dir = Files.createTempDirectory("stratus-private-tmp-check");
            List<String> probe = new ArrayList<>(List.of(unshare.toString(), "--user", "--map-root-user", "--mount", "--", SH.toString(), "-c",
                    SCRIPT, unshare.toString(), dir.toString(), Long.toString(Ids.UID), Long.toString(Ids.GID), "--", "/bin/sh", "-c",
                    "test -w /tmp && test ! -e " + dir));
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
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
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
