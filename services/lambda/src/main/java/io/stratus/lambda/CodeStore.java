package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Function code as files under the Lambda data directory, never as store values: the zip as
 * uploaded ({@code code/<account>/<region>/<name>/<sha256-hex>.zip}, written to a temporary file,
 * synced, then renamed so a crash never leaves half a zip under the final name) and, extracted on
 * first use, the task root its environments run in ({@code tasks/…/<sha256-hex>/}).
 *
 * <p>Thread-safe: files are only ever created under a temporary name and renamed into place, so
 * two threads extracting the same code both end with one complete directory.
 */
final class CodeStore {

    /** AWS's limit on a zip uploaded directly (not through S3). */
    static final long MAX_ZIP_BYTES = 50L * 1024 * 1024;
    /** AWS's limit on the unzipped size of a function's code. */
    static final long MAX_UNZIPPED_BYTES = 250L * 1024 * 1024;

    private final Path root;

    CodeStore(Path root) {
        this.root = requireNonNull(root, "root is null");
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
     * Checks that {@code zip} is a zip Lambda could run, as AWS does on upload.
     *
     * @throws AwsException InvalidParameterValueException when it cannot be unzipped or unzips too large
     */
    static void validate(byte[] zip) {
        long unzipped = 0;
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries++;
                unzipped += in.transferTo(java.io.OutputStream.nullOutputStream());
                if (unzipped > MAX_UNZIPPED_BYTES) {
                    throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                            "Unzipped size must be smaller than %d bytes", MAX_UNZIPPED_BYTES);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw cannotUnzip();
        }
        // ZipInputStream reads garbage as an empty archive rather than failing.
        if (entries == 0) {
            throw cannotUnzip();
        }
    }

    private static AwsException cannotUnzip() {
        return AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Could not unzip uploaded file. Please check your file, then try to upload again.");
    }

    /** Writes the zip of a function durably; writing the same code twice is harmless. */
    void put(FunctionRecord function, byte[] zip) {
        Path target = zipPath(function.accountId(), function.region(), function.name(), function.codeSha256());
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
            try {
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    var buffer = java.nio.ByteBuffer.wrap(zip);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                move(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the code of " + function.name(), e);
        }
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
                try (InputStream in = Files.newInputStream(zip)) {
                    extract(in, temp);
                }
                try {
                    Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                    // Another environment extracted the same code first: use its directory.
                }
            } finally {
                deleteTree(temp);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract the code of " + function.name(), e);
        }
    }

    private static void extract(InputStream zip, Path into) throws IOException {
        try (ZipInputStream in = new ZipInputStream(zip)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = into.resolve(entry.getName()).toAbsolutePath().normalize();
                if (!target.startsWith(into.toAbsolutePath().normalize())) {
                    // A "zip slip" entry (../…) would write outside the task root.
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Removes every stored zip and extracted directory of a function except the code it now runs (null: all). */
    void deleteExcept(String accountId, String region, String name, String keepSha256) {
        String keep = keepSha256 == null ? null : hex(keepSha256);
        for (Path dir : new Path[] {root.resolve("code").resolve(accountId).resolve(region).resolve(name),
                root.resolve("tasks").resolve(accountId).resolve(region).resolve(name)}) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> children = Files.list(dir)) {
                for (Path child : children.toList()) {
                    if (keep == null || !child.getFileName().toString().startsWith(keep)) {
                        deleteTree(child);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete the code of " + name, e);
            }
        }
    }

    private Path zipPath(String accountId, String region, String name, String sha256) {
        return root.resolve("code").resolve(accountId).resolve(region).resolve(name).resolve(hex(sha256) + ".zip");
    }

    private Path taskPath(String accountId, String region, String name, String sha256) {
        return root.resolve("tasks").resolve(accountId).resolve(region).resolve(name).resolve(hex(sha256));
    }

    /** File names use hex: base64 digests hold '/' and '+'. */
    private static String hex(String sha256) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(sha256));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
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
