package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.storage.MemoryStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerStoreTest {

    private static final String ACCOUNT = "000000000000";
    private static final String REGION = "us-east-1";

    @TempDir
    Path dir;

    private static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toByteArray();
    }

    private static LayerVersion publish(LayerStore layers, String name, byte[] zip) {
        String sha = CodeStore.sha256(zip);
        return layers.publish(ACCOUNT, REGION, name, sha, zip, n -> new LayerVersion(ACCOUNT, REGION, name, n, null, Instant.EPOCH, null, null,
                null, sha, zip.length, CodeStore.validate(zip)));
    }

    private static FunctionRecord function(List<FunctionRecord.FunctionLayer> layers) {
        return new FunctionRecord(ACCOUNT, REGION, "fn", "nodejs20.x", "arn:aws:iam::000000000000:role/r", "index.handler", "", 3, 128, Map.of(),
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 1, Instant.EPOCH, "r", FunctionRecord.LATEST, 0, null, null, layers);
    }

    @Test
    void numbersVersionsFromOneAndNeverReusesThem() throws IOException {
        LayerStore layers = new LayerStore(new MemoryStore(), dir);
        byte[] zip = zip(Map.of("a.txt", "a"));
        assertThat(publish(layers, "l", zip).version()).isEqualTo(1);
        assertThat(publish(layers, "l", zip).version()).isEqualTo(2);
        assertThat(publish(layers, "other", zip).version()).isEqualTo(1);
        layers.delete(ACCOUNT, REGION, "l", 1);
        layers.delete(ACCOUNT, REGION, "l", 2);
        assertThat(layers.versions(ACCOUNT, REGION, "l")).isEmpty();
        assertThat(publish(layers, "l", zip).version()).isEqualTo(3);
    }

    @Test
    void extractsLayersInOrderIntoOneDirectoryLaterOnesWinning() throws IOException {
        LayerStore layers = new LayerStore(new MemoryStore(), dir);
        LayerVersion first = publish(layers, "first", zip(Map.of("same.txt", "first", "only-first.txt", "1")));
        LayerVersion second = publish(layers, "second", zip(Map.of("same.txt", "second")));

        Path opt = layers.optDir(function(List.of(first.asFunctionLayer(), second.asFunctionLayer())));

        assertThat(Files.readString(opt.resolve("same.txt"))).isEqualTo("second");
        assertThat(Files.readString(opt.resolve("only-first.txt"))).isEqualTo("1");
        Path reversed = layers.optDir(function(List.of(second.asFunctionLayer(), first.asFunctionLayer())));
        assertThat(reversed).isNotEqualTo(opt);
        assertThat(Files.readString(reversed.resolve("same.txt"))).isEqualTo("first");
        assertThat(layers.optDir(function(List.of()))).isEmptyDirectory();
    }

    @Test
    void sweepKeepsWhatAFunctionStillNamesAfterItsVersionIsDeleted() throws IOException {
        LayerStore layers = new LayerStore(new MemoryStore(), dir);
        LayerVersion used = publish(layers, "used", zip(Map.of("u.txt", "u")));
        publish(layers, "unused", zip(Map.of("x.txt", "x")));
        FunctionRecord function = function(List.of(used.asFunctionLayer()));
        Path opt = layers.optDir(function);
        layers.delete(ACCOUNT, REGION, "used", 1);
        layers.delete(ACCOUNT, REGION, "unused", 1);

        layers.sweep(List.of(function));

        assertThat(dir.resolve("layers/" + ACCOUNT + "/" + REGION + "/used")).isNotEmptyDirectory();
        assertThat(dir.resolve("layers/" + ACCOUNT + "/" + REGION + "/unused")).isEmptyDirectory();
        assertThat(opt).isDirectory();
        // Once no function names it, its zip and /opt go too.
        layers.sweep(List.of());
        assertThat(dir.resolve("layers/" + ACCOUNT + "/" + REGION + "/used")).isEmptyDirectory();
        assertThat(opt).doesNotExist();
    }
}
