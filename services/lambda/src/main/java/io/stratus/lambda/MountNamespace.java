package io.stratus.lambda;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A runtime's mount namespace (see {@link PrivateTmp}) as what finds everything its environment
 * started: every process the runtime or its children start is in it, also one that left the
 * runtime's process group and lost its parent, which neither the process tree nor the group
 * reaches any more. Linux only; elsewhere, or where a runtime shares Stratus's own namespace (no
 * private {@code /tmp}), there is none and nothing is done. Stateless.
 */
final class MountNamespace {

    private static final Path PROC = Path.of("/proc");
    /** Stratus's own namespace, never a runtime's; null where there is no {@code /proc}. */
    private static final String OWN = read(PROC.resolve("self"));

    private MountNamespace() {}

    /** The mount namespace of process {@code pid} when it has one of its own (not Stratus's), else null. */
    static String of(long pid) {
        if (OWN == null) {
            return null;
        }
        String namespace = read(PROC.resolve(Long.toString(pid)));
        return namespace == null || namespace.equals(OWN) ? null : namespace;
    }

    /**
     * Kills every process in {@code namespace} (from {@link #of}), looking again while it finds
     * some, since a process may start another while this runs.
     */
    static void killAll(String namespace) {
        if (namespace == null || namespace.equals(OWN)) {
            return;
        }
        for (int round = 0; round < 5; round++) {
            List<Long> found = members(namespace);
            if (found.isEmpty()) {
                return;
            }
            found.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private static List<Long> members(String namespace) {
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, entry -> isPid(entry.getFileName().toString()))) {
            for (Path process : processes) {
                if (namespace.equals(read(process))) {
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
}
