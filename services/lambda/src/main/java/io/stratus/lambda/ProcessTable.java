package io.stratus.lambda;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine's processes by parent, read from Linux's {@code /proc} with one read of each
 * process's {@code stat}. {@link ProcessHandle#allProcesses()} followed by {@link ProcessHandle#parent()}
 * reads each {@code stat} three times (the listing, the parent, the parent's start time), and a
 * runtime's descendants are looked up while hundreds of runtimes run: on a virtual machine, where
 * every system call is dear, that walk was the largest share of the JVM's CPU in a burst of cold
 * starts. Not thread-safe: one instance per thread that walks.
 */
final class ProcessTable {

    private static final Path PROC = Path.of("/proc");
    /** {@code stat}'s start, "pid (comm) state ppid", lies well within this (comm has at most 64 bytes). */
    private static final int HEAD_BYTES = 128;

    private final ByteBuffer buffer = ByteBuffer.allocate(HEAD_BYTES);

    /** Every process's children, by parent pid; empty where there is no {@code /proc}. */
    Map<Long, List<Long>> childrenByParent() {
        Map<Long, List<Long>> children = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                long pid = pid(entry.getFileName().toString());
                if (pid > 0) {
                    long parent = parent(entry.resolve("stat"));
                    if (parent > 0) {
                        children.computeIfAbsent(parent, p -> new ArrayList<>(2)).add(pid);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc, or it changed under the walk: what was read stands.
        }
        return children;
    }

    /** A process's descendants (at most 10,000) in {@code children}, nearest first. */
    static List<Long> descendants(long root, Map<Long, List<Long>> children) {
        List<Long> found = new ArrayList<>();
        java.util.ArrayDeque<Long> pending = new java.util.ArrayDeque<>(children.getOrDefault(root, List.of()));
        while (!pending.isEmpty() && found.size() < 10_000) {
            Long next = pending.poll();
            found.add(next);
            pending.addAll(children.getOrDefault(next, List.of()));
        }
        return found;
    }

    /** The parent pid in a {@code stat} file; 0 for a process gone meanwhile (or the kernel's own, whose parent is 0). */
    private long parent(Path stat) {
        buffer.clear();
        try (FileChannel channel = FileChannel.open(stat)) {
            channel.read(buffer, 0);
        } catch (IOException e) {
            return 0;
        }
        return parentPid(buffer.array(), buffer.position());
    }

    /**
     * The fourth field of a {@code stat} line, "pid (comm) state ppid …", of which {@code length}
     * bytes were read; 0 when it is not there. The command may hold any byte, parentheses too,
     * so the field is found after the last {@code )}: nothing after the command is one.
     */
    static long parentPid(byte[] stat, int length) {
        int close = length - 1;
        while (close >= 0 && stat[close] != ')') {
            close--;
        }
        // ") S 1234 "
        int at = close + 4;
        if (close < 0 || at >= length || stat[at - 1] != ' ') {
            return 0;
        }
        long parent = 0;
        for (; at < length && stat[at] >= '0' && stat[at] <= '9'; at++) {
            parent = parent * 10 + (stat[at] - '0');
        }
        return parent;
    }

    /** The pid a {@code /proc} entry's name is, or 0 for the entries that are not processes. */
    private static long pid(String name) {
        long pid = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            pid = pid * 10 + (c - '0');
        }
        return pid;
    }
}
