package io.stratus.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The format version of a data directory, kept in its {@value #FILE} file, so that a build never
 * misreads data written in a format it does not know. A new directory gets the current version; an
 * existing one must carry a version this build reads.
 */
final class DataDirFormat {

    static final String FILE = "STRATUS_FORMAT";
    /** The format this build writes and reads. Raise it, with a migration, when the layout changes. */
    static final int CURRENT = 1;

    private DataDirFormat() {}

    /**
     * Checks that {@code dataDir} is in the current format, first marking it so if it holds no
     * database yet.
     *
     * @param database the database directory inside {@code dataDir}; its presence without a format
     *        file means the directory was not made by this code and is refused
     * @throws StoreFormatException if the directory is in another format or its version is unreadable
     */
    static void checkOrInitialize(Path dataDir, Path database) {
        Path file = dataDir.resolve(FILE);
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(file)) {
                check(dataDir, Files.readString(file, StandardCharsets.UTF_8));
            }
            else if (Files.exists(database)) {
                throw new StoreFormatException("data dir " + dataDir + " holds a database but no " + FILE + " file, so its format is unknown; "
                        + "restore the file or use another --data-dir");
            }
            else {
                writeDurably(file, CURRENT + "\n");
            }
        }
        catch (IOException e) {
            throw new StoreException("cannot read or create data dir " + dataDir + ": " + e, e);
        }
    }

    private static void check(Path dataDir, String content) {
        int version;
        try {
            version = Integer.parseInt(content.strip());
        }
        catch (NumberFormatException e) {
            version = 0;
        }
        if (version < 1) {
            String shown = content.length() > 40 ? content.substring(0, 40) + "…" : content;
            throw new StoreFormatException("data dir " + dataDir + " has an unreadable " + FILE + " file ('" + shown.strip()
                    + "', expected a format number); this binary reads format " + CURRENT + " — restore the file or use another --data-dir");
        }
        if (version > CURRENT) {
            throw new StoreFormatException("data dir " + dataDir + " was written by a newer Stratus (format " + version + "); this binary reads format "
                    + CURRENT + " — upgrade Stratus or use another --data-dir");
        }
    }

    /** Writes {@code content} so that a crash leaves either no file or the whole file. */
    private static void writeDurably(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            channel.write(StandardCharsets.UTF_8.encode(content));
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
        catch (IOException e) {
            // Some platforms (Windows) cannot open a directory to sync it; the rename is then as
            // durable as the platform makes it.
        }
    }
}
