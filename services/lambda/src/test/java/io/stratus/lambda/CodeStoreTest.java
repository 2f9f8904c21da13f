package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import io.stratus.storage.MemoryStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.stream.Stream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeStoreTest {

    private static final String CANNOT_UNZIP = "Could not unzip uploaded file. Please check your file, then try to upload again.";

    @TempDir
    Path dir;

    /** One zip entry: its data and the Unix mode (type and permissions) to record, or null for none. */
    private record Entry(String data, Integer mode) {}

    private static Entry file(String data, int mode) {
        return new Entry(data, 0100000 | mode);
    }

    private static Entry link(String target) {
        return new Entry(target, 0120777);
    }

    /**
     * A zip as Info-ZIP writes one on Unix: java.util.zip cannot record modes, so its central
     * directory is patched afterwards (made by Unix, the mode in the external attributes' high half).
     */
    static byte[] unixZip(Map<String, Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, Entry> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().data().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        ByteBuffer zip = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.limit() - 22;
        int position = zip.getInt(end + 16);
        for (int i = 0; i < Short.toUnsignedInt(zip.getShort(end + 10)); i++) {
            int nameLength = Short.toUnsignedInt(zip.getShort(position + 28));
            byte[] name = new byte[nameLength];
            zip.get(position + 46, name);
            Integer mode = entries.get(new String(name, StandardCharsets.UTF_8)).mode();
            if (mode != null) {
                zip.putShort(position + 4, (short) (3 << 8 | 20));
                zip.putInt(position + 38, mode << 16);
            }
            position += 46 + nameLength + Short.toUnsignedInt(zip.getShort(position + 30)) + Short.toUnsignedInt(zip.getShort(position + 32));
        }
        return zip.array();
    }

    private static FunctionRecord function(byte[] zip) {
        return new FunctionRecord("000000000000", "us-east-1", "fn", "provided.al2023", "arn:aws:iam::000000000000:role/r",
                "x.y", "", 3, 128, Map.of(), CodeStore.sha256(zip), zip.length, Instant.EPOCH, "r1", FunctionRecord.LATEST, 0, null);
    }

    private List<String> files(String kind) throws IOException {
        try (Stream<Path> children = Files.list(dir.resolve(kind).resolve("000000000000/us-east-1/fn"))) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String hex(FunctionRecord function) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(function.codeSha256()));
    }

    @Test
    void sweepDeletesOnlyCodeNeitherCurrentNorReferencedNorInProgress() throws IOException {
        FunctionStore functions = new FunctionStore(new MemoryStore());
        CodeStore code = new CodeStore(dir, functions);
        FunctionRecord[] versions = new FunctionRecord[3];
        for (int i = 0; i < versions.length; i++) {
            byte[] zip = unixZip(Map.of("index.js", file("v" + i, 0644)));
            versions[i] = function(zip);
            code.put(versions[i], zip);
            code.taskRoot(versions[i]);
        }
        functions.create(versions[1]);
        Files.createFile(dir.resolve("code/000000000000/us-east-1/fn/.upload-1.tmp"));
        Files.createDirectory(dir.resolve("tasks/000000000000/us-east-1/fn/.extract-2"));
        CodeStore.Reference running = code.reference(versions[0]);

        code.sweep("000000000000", "us-east-1", "fn");

        assertThat(files("code")).containsExactlyInAnyOrder(".upload-1.tmp", hex(versions[0]) + ".zip", hex(versions[1]) + ".zip");
        assertThat(files("tasks")).containsExactlyInAnyOrder(".extract-2", hex(versions[0]), hex(versions[1]));
        assertThat(running.taskRoot().resolve("index.js")).hasContent("v0");

        // The last reference to old code sweeps it.
        running.close();
        assertThat(files("code")).containsExactlyInAnyOrder(".upload-1.tmp", hex(versions[1]) + ".zip");
        assertThat(files("tasks")).containsExactlyInAnyOrder(".extract-2", hex(versions[1]));

        // Once the function is deleted, all of its code goes but what is being written.
        functions.delete("000000000000", "us-east-1", "fn");
        code.sweep("000000000000", "us-east-1", "fn");
        assertThat(files("code")).containsExactly(".upload-1.tmp");
        assertThat(files("tasks")).containsExactly(".extract-2");

        // On start, nothing is being written: what a crash left goes.
        code.deleteLeftovers();
        assertThat(files("code")).isEmpty();
        assertThat(files("tasks")).isEmpty();
    }

    @Test
    void environmentsExtractingTheSameCodeAtOnceAllGetIt() throws Exception {
        CodeStore code = new CodeStore(dir, new FunctionStore(new MemoryStore()));
        for (int round = 0; round < 10; round++) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (int i = 0; i < 50; i++) {
                entries.put("file" + i + ".txt", file("round " + round, 0644));
            }
            byte[] zip = unixZip(entries);
            FunctionRecord function = function(zip);
            code.put(function, zip);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Path>> roots = new ArrayList<>();
            try (ExecutorService threads = Executors.newFixedThreadPool(6)) {
                for (int t = 0; t < 6; t++) {
                    roots.add(threads.submit(() -> {
                        start.await();
                        return code.taskRoot(function);
                    }));
                }
                start.countDown();
                for (var root : roots) {
                    assertThat(root.get().resolve("file49.txt")).hasContent("round " + round);
                }
            }
        }
    }

    private Path extract(byte[] zip) {
        CodeStore.validate(zip);
        FunctionStore functions = new FunctionStore(new MemoryStore());
        FunctionRecord function = function(zip);
        CodeStore code = new CodeStore(dir, functions);
        code.put(function, zip);
        return code.taskRoot(function);
    }

    private static void assertCannotUnzip(byte[] zip) {
        assertThatThrownBy(() -> CodeStore.validate(zip)).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(LambdaErrors.INVALID_PARAMETER_VALUE);
            assertThat(e.getMessage()).isEqualTo(CANNOT_UNZIP);
        });
    }

    @Test
    void extractionKeepsTheRecordedModesAndSymlinksInsideTheTaskRoot() throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        entries.put("bin/tool", file("#!/bin/sh\necho tool\n", 0755));
        entries.put("private.txt", file("secret", 0600));
        entries.put("plain.txt", new Entry("no mode recorded", null));
        entries.put("lib/real.txt", file("real", 0644));
        entries.put("lib/alias.txt", link("real.txt"));
        entries.put("shortcut", link("lib"));
        entries.put("lib/up.txt", link("../private.txt"));

        Path root = extract(unixZip(entries));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("bin/tool")))).isEqualTo("rwxr-xr-x");
        assertThat(Files.isExecutable(root.resolve("bin/tool"))).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("private.txt")))).isEqualTo("rw-------");
        assertThat(Files.isExecutable(root.resolve("plain.txt"))).isFalse();
        assertThat(root.resolve("plain.txt")).hasContent("no mode recorded");
        assertThat(Files.isSymbolicLink(root.resolve("lib/alias.txt"))).isTrue();
        assertThat(Files.readSymbolicLink(root.resolve("lib/alias.txt"))).isEqualTo(Path.of("real.txt"));
        assertThat(root.resolve("lib/alias.txt")).hasContent("real");
        assertThat(root.resolve("shortcut/real.txt")).hasContent("real");
        assertThat(root.resolve("lib/up.txt")).hasContent("secret");
    }

    @Test
    void symlinksThatLeaveTheTaskRootAreRefused() throws IOException {
        for (String target : new String[] {"../outside", "/etc/passwd", "sub/../../x", "lib/..", "a/../b", ""}) {
            assertCannotUnzip(unixZip(Map.of("app.js", file("", 0644), "escape", link(target))));
        }
        assertCannotUnzip(unixZip(Map.of("deep/er/escape", link("../../.."))));
        // Nothing may be written through a link, nor share its name.
        Map<String, Entry> through = new LinkedHashMap<>();
        through.put("lib", link("real"));
        through.put("lib/x.js", file("", 0644));
        assertCannotUnzip(unixZip(through));
        Map<String, Entry> twice = new LinkedHashMap<>();
        twice.put("real/", new Entry("", 040755));
        twice.put("real", link("other"));
        assertCannotUnzip(unixZip(twice));
        // Inside is fine, however deep.
        CodeStore.validate(unixZip(Map.of("a/b/c/link", link("../../../a/file"), "a/file", file("", 0644))));
    }

    @Test
    void zipSlipEntriesAreSkipped() throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        entries.put("index.js", file("ok", 0644));
        entries.put("../../escaped.txt", file("no", 0644));

        Path root = extract(unixZip(entries));

        assertThat(root.resolve("index.js")).hasContent("ok");
        assertThat(root.getParent().getParent().resolve("escaped.txt")).doesNotExist();
    }

    @Test
    void tooManyEntriesAreRefused() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(0);
            for (int i = 0; i <= CodeStore.MAX_ENTRIES; i++) {
                zip.putNextEntry(new ZipEntry(Integer.toString(i, 36)));
                zip.closeEntry();
            }
        }
        assertCannotUnzip(bytes.toByteArray());
    }

    @Test
    void unzippedSizeIsCountedAsItInflates() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("zeros"));
            byte[] chunk = new byte[1024 * 1024];
            for (long written = 0; written <= CodeStore.MAX_UNZIPPED_BYTES; written += chunk.length) {
                zip.write(chunk);
            }
            zip.closeEntry();
        }
        assertThatThrownBy(() -> CodeStore.validate(bytes.toByteArray())).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.getMessage()).startsWith("Unzipped size must be smaller than"));
    }

    @Test
    void garbageIsNotAZip() {
        assertCannotUnzip("not a zip at all".getBytes(StandardCharsets.UTF_8));
    }
}
