package io.stratus.lambda;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A runtime's mount namespace (see {@link PrivateTmp}) as what finds everything its environment
 * started: every process the runtime or its children start is in it, also one that left the
 * runtime's process group and lost its parent, which neither the process tree nor the group
 * reaches any more. Linux only; elsewhere, or where a runtime shares Stratus's own namespace (no
 * private {@code /tmp}), there is none and nothing is done.
 *
 * <p>A namespace is known by its number ({@code mnt:[4026532174]}), which the kernel gives to a new
 * namespace once the old one is gone: this holds the namespace open while it exists, so the number
 * names no other environment's namespace until {@link #close}. Thread-safe.
 */
final class MountNamespace implements AutoCloseable {

    private static final Path PROC = Path.of("/proc");
    /** Stratus's own namespace, never a runtime's; null where there is no {@code /proc}. */
    private static final String OWN = read(PROC.resolve("self"));

    private final String id;
    private final FileChannel held;

    private MountNamespace(String id, FileChannel held) {
        this.id = id;
        this.held = held;
    }

    /** The mount namespace of process {@code pid}, held, when it has one of its own (not Stratus's); else null. */
    static MountNamespace of(long pid) {
        if (OWN == null) {
            return null;
        }
        Path process = PROC.resolve(Long.toString(pid));
        String id = read(process);
        if (id == null || id.equals(OWN)) {
            return null;
        }
        FileChannel held;
        try {
            held = FileChannel.open(process.resolve("ns").resolve("mnt"), StandardOpenOption.READ);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        // The same number once held: the pid was not another process's in between.
        if (!id.equals(read(process))) {
            closeQuietly(held);
            return null;
        }
        return new MountNamespace(id, held);
    }

    /** Kills every process in this namespace, looking again while it finds some, since a process may start another meanwhile. */
    void killAll() {
        if (!held.isOpen()) {
            return;
        }
        for (int round = 0; round < 5; round++) {
            List<Long> found = members();
            if (found.isEmpty()) {
                return;
            }
            found.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** The namespace's number, as {@code /proc/<pid>/ns/mnt} names it. */
    @Override
    public String toString() {
        return id;
    }

    /** Lets the namespace go (and its number be another's, once its processes are gone). */
    @Override
    public void close() {
        closeQuietly(held);
    }

    private List<Long> members() {
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, entry -> isPid(entry.getFileName().toString()))) {
            for (Path process : processes) {
                if (id.equals(read(process))) {
                    found.add(Long.parseLong(process.getFileName().toString()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc to look in: nothing found.
        }
        return found;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code /proc/<pid>/ns/mnt}'s target ({@code mnt:[4026531841]}), or null for a process gone, a zombie or another user's. */
    private static String read(Path process) {
        try {
            return Files.readSymbolicLink(process.resolve("ns").resolve("mnt")).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closed regardless.
        }
    }
}
