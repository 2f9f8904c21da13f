package io.stratus.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's native library from a per-version cache under the temp directory instead of
 * extracting its 15 MB from the jar on every start, as {@link RocksDB#loadLibrary()} does; that
 * extraction is a large part of Stratus's start time. The cache entry is named after the library's
 * size and CRC in the jar, so a different RocksDB never loads a stale copy. Falls back to
 * RocksDB's own loading whenever anything about the cache does not work. Thread-safe.
 */
final class RocksDbNativeLibrary {

    private static final Logger log = LoggerFactory.getLogger(RocksDbNativeLibrary.class);

    private static boolean loaded;

    private RocksDbNativeLibrary() {}

    static synchronized void load() {
        if (loaded) {
            return;
        }
        try {
            Path directory = cachedCopy();
            if (directory != null) {
                RocksDB.loadLibrary(List.of(directory.toString()));
                loaded = true;
                return;
            }
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            log.debug("Cannot load RocksDB from the cache; extracting it instead", e);
        }
        RocksDB.loadLibrary();
        loaded = true;
    }

    /** The cache directory holding the library under the name RocksDB looks for, or null. */
    private static Path cachedCopy() throws IOException {
        URL resource = RocksDB.class.getClassLoader().getResource(Environment.getJniLibraryFileName("rocksdb"));
        if (resource == null || !(resource.openConnection() instanceof JarURLConnection jar)) {
            return null;
        }
        jar.setUseCaches(false);
        JarEntry entry = jar.getJarEntry();
        if (entry.getSize() < 0 || entry.getCrc() < 0) {
            return null;
        }
        Path directory = Path.of(System.getProperty("java.io.tmpdir"),
                "stratus-rocksdbjni-" + entry.getSize() + "-" + Long.toHexString(entry.getCrc()).toLowerCase(Locale.ROOT));
        // RocksDB.loadLibrary(paths) looks for the name this call returns.
        Path library = directory.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
        if (Files.isRegularFile(library) && Files.size(library) == entry.getSize()) {
            return directory;
        }
        Files.createDirectories(directory);
        Path partial = Files.createTempFile(directory, "extracting-", ".tmp");
        try (InputStream in = jar.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, library, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        return directory;
    }
}
