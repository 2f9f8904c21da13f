package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Function code as files under the Lambda data directory, never as store values: the zip as
 * uploaded ({@code code/<account>/<region>/<name>/<sha256-hex>.zip}, written to a temporary file,
 * synced, then renamed so a crash never leaves half a zip under the final name) and, extracted on
 * first use, the task root its environments run in ({@code tasks/…/<sha256-hex>/}).
 *
 * <p>Old code is deleted only when nothing needs it any more: each code revision in use (an upload
 * not yet recorded, an invocation, a running environment) holds a {@link Reference}, and when the
 * last reference to a revision closes, or a function is deleted, {@link #sweep} removes every zip
 * and task root of the function that its stored record no longer names and nothing references.
 *
 * <p>Thread-safe: files are only ever created under a temporary name and renamed into place, so
 * two threads extracting the same code both end with one complete directory. Each function has a
 * lock ({@link #locked}, striped, reentrant): sweeps, taking references, and changes of a
 * function's code in its record all hold it, so a sweep never deletes code that a reference taken
 * before or after it needs. It is held only for store reads and writes and file deletions, never
 * while a process starts or stops.
 */
final class CodeStore {

    private static final Logger LOG = LoggerFactory.getLogger(CodeStore.class);
    private static final int LOCK_STRIPES = 64;

    /** AWS's limit on a zip uploaded directly (not through S3). */
    static final long MAX_ZIP_BYTES = 50L * 1024 * 1024;
    /** AWS's limit on the unzipped size of a function's code. */
    static final long MAX_UNZIPPED_BYTES = 250L * 1024 * 1024;
    /** Stratus's limit on a zip's entries (AWS states none; 250 MB of code rarely needs a tenth of this). */
    static final int MAX_ENTRIES = 100_000;
    /** Linux's PATH_MAX: a symbolic link's target is no longer. */
    private static final int MAX_LINK_TARGET = 4096;

    /** One code revision of one function; {@code hex} is its SHA-256 as file names spell it. */
    private record Revision(String accountId, String region, String name, String hex) {}

    /**
     * A use of one code revision of a function: its zip and task root stay until it is closed.
     * Closing is idempotent; closing the last reference to a revision sweeps the function's old code.
     */
    interface Reference extends AutoCloseable {
        FunctionRecord function();

        /** The revision's task root, extracted on first use. */
        Path taskRoot();

        /**
         * The directory that plays {@code /opt} for this version: its layers extracted in order,
         * built on first use; null where there is none to give.
         */
        default Path optDir() {
            return null;
        }

        @Override
        void close();
    }

    private final Path root;
    private final FunctionStore functions;
    private final java.util.function.Function<FunctionRecord, Path> optDirs;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];
    private final Map<Revision, Integer> references = new ConcurrentHashMap<>();

    /** @param functions the records {@link #sweep} reads to know which code is current */
    CodeStore(Path root, FunctionStore functions) {
        this(root, functions, function -> null);
    }

    /** @param optDirs the {@code /opt} directory of a function version (its layers), see {@link LayerStore#optDir} */
    CodeStore(Path root, FunctionStore functions, java.util.function.Function<FunctionRecord, Path> optDirs) {
        this.root = requireNonNull(root, "root is null");
        this.functions = requireNonNull(functions, "functions is null");
        this.optDirs = requireNonNull(optDirs, "optDirs is null");
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Runs {@code action} holding the function's lock (see the class comment). */
    <T> T locked(String accountId, String region, String name, Supplier<T> action) {
        ReentrantLock lock = locks[Math.floorMod(Objects.hash(accountId, region, name), LOCK_STRIPES)];
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a reference to the revision {@code function} names. To take one to a function's current
     * code, read its record and call this within one {@link #locked} call; an upload takes one
     * before its zip is written, an environment while its invocation holds one.
     */
    Reference reference(FunctionRecord function) {
        Revision revision = new Revision(function.accountId(), function.region(), function.name(), hex(function.codeSha256()));
        locked(function.accountId(), function.region(), function.name(), () -> references.merge(revision, 1, Integer::sum));
        AtomicBoolean closed = new AtomicBoolean();
        return new Reference() {
            @Override
            public FunctionRecord function() {
                return function;
            }

            @Override
            public Path taskRoot() {
                return CodeStore.this.taskRoot(function);
            }

            @Override
            public Path optDir() {
                return optDirs.apply(function);
            }

            @Override
            public void close() {
                if (!closed.compareAndSet(false, true)) {
                    return;
                }
                Integer left = references.computeIfPresent(revision, (r, count) -> count == 1 ? null : count - 1);
                if (left == null) {
                    try {
                        sweep(function.accountId(), function.region(), function.name());
                    } catch (RuntimeException e) {
                        // Stopping, or the disk failed: the next sweep of this function retries.
                        LOG.debug("Cannot delete the old code of {}", function.name(), e);
                    }
                }
            }
        };
    }

    /**
     * Deletes every zip and task root of a function that its stored record does not name and no
     * reference holds (all unreferenced ones, once the function is deleted); the code of published
     * versions is named by their records, so a version keeps its code until it is deleted. Temporary files of
     * uploads and extractions in progress are left to their writers.
     */
    void sweep(String accountId, String region, String name) {
        locked(accountId, region, name, () -> {
            // The code of $LATEST and of every published version stays (versions often share it).
            Set<String> current = new HashSet<>();
            functions.get(accountId, region, name).ifPresent(latest -> {
                current.add(hex(latest.codeSha256()));
                // The code before an update that is not Successful yet still runs.
                current.add(hex(latest.running().codeSha256()));
                functions.versions(accountId, region, name, 0, Integer.MAX_VALUE).forEach(v -> current.add(hex(v.codeSha256())));
            });
            for (Path dir : new Path[] {root.resolve("code").resolve(accountId).resolve(region).resolve(name),
                    root.resolve("tasks").resolve(accountId).resolve(region).resolve(name)}) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> children = Files.list(dir)) {
                    for (Path child : children.toList()) {
                        String file = child.getFileName().toString();
                        String hex = file.endsWith(".zip") ? file.substring(0, file.length() - ".zip".length()) : file;
                        if (file.startsWith(".") || current.contains(hex) || references.containsKey(new Revision(accountId, region, name, hex))) {
                            continue;
                        }
                        deleteTree(child);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot delete the code of " + name, e);
                }
            }
            return null;
        });
    }

    /**
     * Deletes the temporary files of uploads and extractions a crash interrupted, which sweeps leave
     * alone. Call it on start, before any upload or invocation.
     */
    void deleteLeftovers() {
        for (String kind : new String[] {"code", "tasks"}) {
            Path dir = root.resolve(kind);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            // <kind>/<account>/<region>/<name>/<file>
            try (Stream<Path> files = Files.find(dir, 4, (path, attributes) -> path.getNameCount() - dir.getNameCount() == 4
                    && (path.getFileName().toString().startsWith(".upload-") || path.getFileName().toString().startsWith(".extract-")))) {
                files.toList().forEach(CodeStore::deleteTree);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete leftover files under " + dir, e);
            }
        }
    }

    /** The zip's digest as AWS reports it (base64 SHA-256). */
    static String sha256(byte[] zip) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(zip));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks that {@code zip} is a zip Lambda could run, as AWS does on upload: it unzips, not too
     * large (inflated bytes are counted as they come, so a zip bomb stops at the limit), with at
     * most {@link #MAX_ENTRIES} entries, and its symbolic links stay inside the task root.
     *
     * @return its unzipped size
     * @throws AwsException InvalidParameterValueException when it cannot be unzipped or unzips too large
     */
    static long validate(byte[] zip) {
        long unzipped = 0;
        int entries = 0;
        byte[] buffer = new byte[64 * 1024];
        try {
            Map<String, Integer> modes = ZipCentralDirectory.unixModes(ByteBuffer.wrap(zip), MAX_ENTRIES);
            Set<String> links = new HashSet<>();
            modes.forEach((name, mode) -> {
                if (isSymlink(mode)) {
                    links.add(name);
                }
            });
            Set<String> seenLinks = new HashSet<>();
            Path root = Path.of("/task");
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    if (++entries > MAX_ENTRIES) {
                        throw cannotUnzip();
                    }
                    String name = entry.getName();
                    if (!links.isEmpty()) {
                        // Nothing may be written through a link, nor share its name: extraction
                        // would follow it, or fail.
                        for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
                            if (links.contains(name.substring(0, slash))) {
                                throw cannotUnzip();
                            }
                        }
                        if (links.contains(name) && !seenLinks.add(name)) {
                            throw cannotUnzip();
                        }
                    }
                    if (isSymlink(modes.get(name))) {
                        String target = linkTarget(in);
                        if (!staysInside(root.resolve(name).normalize().getParent(), target, root)) {
                            throw cannotUnzip();
                        }
                        continue;
                    }
                    for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                        unzipped += read;
                        if (unzipped > MAX_UNZIPPED_BYTES) {
                            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                                    "Unzipped size must be smaller than %d bytes", MAX_UNZIPPED_BYTES);
                        }
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw cannotUnzip();
        }
        // ZipInputStream reads garbage as an empty archive rather than failing.
        if (entries == 0) {
            throw cannotUnzip();
        }
        return unzipped;
    }

    /** What the zip a function record names unzips to (its entries' sizes, as its central directory records them). */
    long unzippedSize(FunctionRecord function) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(zipPath(function.accountId(), function.region(), function.name(),
                function.codeSha256()).toFile())) {
            return zip.stream().mapToLong(e -> Math.max(0, e.getSize())).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the code of " + function.name(), e);
        }
    }

    private static boolean isSymlink(Integer mode) {
        return mode != null && (mode & ZipCentralDirectory.TYPE_MASK) == ZipCentralDirectory.SYMLINK;
    }

    /** A link entry's data: the path it points to. */
    private static String linkTarget(ZipInputStream in) throws IOException {
        byte[] target = in.readNBytes(MAX_LINK_TARGET + 1);
        if (target.length == 0 || target.length > MAX_LINK_TARGET) {
            throw new ZipException("bad symbolic link");
        }
        return new String(target, StandardCharsets.UTF_8);
    }

    /**
     * Whether a link in {@code parent} to {@code target} points inside {@code root}. The target must
     * be relative, and {@code ..} may only lead it: after a name, {@code ..} would climb from wherever
     * that name (perhaps itself a link) leads, which the text alone does not tell. So with a parent
     * that is a real path, each link resolves inside the root, and so does any path through them.
     */
    private static boolean staysInside(Path parent, String target, Path root) {
        if (target.startsWith("/") || target.indexOf('\0') >= 0) {
            return false;
        }
        boolean named = false;
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                if (named) {
                    return false;
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                named = true;
            }
        }
        return parent.resolve(target).normalize().startsWith(root);
    }

    private static AwsException cannotUnzip() {
        return AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Could not unzip uploaded file. Please check your file, then try to upload again.");
    }

    /** Writes the zip of a function durably; writing the same code twice is harmless. */
    void put(FunctionRecord function, byte[] zip) {
        try {
            write(zipPath(function.accountId(), function.region(), function.name(), function.codeSha256()), zip);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the code of " + function.name(), e);
        }
    }

    /** Writes a file durably: to a temporary file beside it, synced, then renamed into place. */
    static void write(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                var buffer = java.nio.ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The file holding the zip of the function's code (see {@link CodeLocations}). */
    Path zip(FunctionRecord function) {
        return zipPath(function.accountId(), function.region(), function.name(), function.codeSha256());
    }

    /**
     * The directory the function's code is extracted in (its {@code LAMBDA_TASK_ROOT}), extracting
     * it from the stored zip the first time, e.g. after a restart.
     */
    Path taskRoot(FunctionRecord function) {
        Path dir = taskPath(function.accountId(), function.region(), function.name(), function.codeSha256());
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path zip = zipPath(function.accountId(), function.region(), function.name(), function.codeSha256());
        try {
            Files.createDirectories(dir.getParent());
            Path temp = Files.createTempDirectory(dir.getParent(), ".extract-");
            try {
                extract(zip, temp);
                moveIntoPlace(temp, dir);
            } finally {
                deleteTree(temp);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract the code of " + function.name(), e);
        }
    }

    /**
     * Unzips into {@code into} with the Unix modes the zip records (others get the default ones):
     * files and directories first, then the symbolic links, each checked against the real path of
     * its directory, then the directories' modes (always leaving them writable by Stratus, which
     * deletes them). Entries that would land outside {@code into} ("zip slip") are skipped. Files
     * already there are replaced, so extracting layers one over another leaves the later one's.
     */
    static void extract(Path zip, Path into) throws IOException {
        Map<String, Integer> modes;
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            modes = ZipCentralDirectory.unixModes(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()), MAX_ENTRIES);
        }
        Path root = into.toRealPath();
        Map<Path, String> links = new LinkedHashMap<>();
        Map<Path, Integer> directoryModes = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    // A "zip slip" entry (../…) would write outside the task root; the root itself keeps its mode.
                    continue;
                }
                Integer mode = modes.get(entry.getName());
                if (isSymlink(mode)) {
                    links.put(target, linkTarget(in));
                } else if (entry.isDirectory() || (mode != null && (mode & ZipCentralDirectory.TYPE_MASK) == ZipCentralDirectory.DIRECTORY)) {
                    Files.createDirectories(target);
                    if (mode != null) {
                        directoryModes.put(target, mode | 0700);
                    }
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    if (mode != null) {
                        setMode(target, mode);
                    }
                }
            }
        }
        for (Map.Entry<Path, String> link : links.entrySet()) {
            Path parent = Files.createDirectories(link.getKey().getParent()).toRealPath();
            if (!staysInside(parent, link.getValue(), root)) {
                throw new ZipException("symbolic link " + root.relativize(link.getKey()) + " points outside the task root");
            }
            Files.deleteIfExists(link.getKey());
            Files.createSymbolicLink(link.getKey(), Path.of(link.getValue()));
        }
        for (Map.Entry<Path, Integer> directory : directoryModes.entrySet()) {
            setMode(directory.getKey(), directory.getValue());
        }
    }

    private static void setMode(Path path, int mode) throws IOException {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values();
        for (int i = 0; i < bits.length; i++) {
            // OWNER_READ is 0400, the highest of the nine bits, and so on down to OTHERS_EXECUTE.
            if ((mode & (0400 >> i)) != 0) {
                permissions.add(bits[i]);
            }
        }
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the defaults stand.
        }
    }

    private Path zipPath(String accountId, String region, String name, String sha256) {
        return root.resolve("code").resolve(accountId).resolve(region).resolve(name).resolve(hex(sha256) + ".zip");
    }

    private Path taskPath(String accountId, String region, String name, String sha256) {
        return root.resolve("tasks").resolve(accountId).resolve(region).resolve(name).resolve(hex(sha256));
    }

    /** File names use hex: base64 digests hold '/' and '+'. */
    static String hex(String sha256) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(sha256));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Moves a directory built under a temporary name to {@code dir} in one step; when another
     * environment built the same directory first, its one is used (Linux answers ENOTEMPTY, which
     * Java reports as a plain FileSystemException) and {@code temp} is left for the caller to delete.
     */
    static void moveIntoPlace(Path temp, Path dir) throws IOException {
        try {
            Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + path, e);
        }
    }
}
