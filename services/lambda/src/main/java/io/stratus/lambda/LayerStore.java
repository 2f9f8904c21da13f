package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.stratus.lambda.FunctionRecord.FunctionLayer;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Layers: their versions' metadata in the store, one key per version
 * ({@code (account, region, name, version)}, in number order) plus one per layer name holding the
 * last number given (so numbers are never reused, even after every version is deleted), and one per
 * version with a resource policy; their zips as files, as function code is
 * ({@code layers/<account>/<region>/<name>/<sha256-hex>.zip}, written to a temporary file, synced,
 * then renamed).
 *
 * <p>A function version's {@code /opt} is one directory per list of layers
 * ({@code opt/<sha256-hex of the list>/}): each layer's zip extracted over the previous ones, built
 * on first use under a temporary name and renamed into place. A deleted layer version's zip stays
 * while a function still names it (functions keep running with deleted layer versions, as on AWS);
 * {@link #sweep} removes the zips and directories nothing names any more.
 *
 * <p>Thread-safe: the store is; files are only created under temporary names and renamed into
 * place, so two threads building the same directory both end with one complete one.
 */
final class LayerStore {

    private static final String VERSIONS = "lambda.layer-versions";
    private static final String HEADS = "lambda.layer-heads";
    private static final String POLICIES = "lambda.layer-policies";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** The last version number a layer name gave out. */
    record Head(long lastVersion) {}

    /** A layer version's resource policy: its statements (JSON objects) in the order they were added. */
    record Policy(String revisionId, List<String> statements) {
        Policy {
            statements = statements == null ? List.of() : List.copyOf(statements);
        }
    }

    private final Store store;
    private final Path root;

    /** @param root the Lambda data directory ({@code layers/} and {@code opt/} go under it) */
    LayerStore(Store store, Path root) {
        this.store = requireNonNull(store, "store is null");
        this.root = requireNonNull(root, "root is null");
    }

    /**
     * Stores a new version of a layer: its zip first (so a version the store knows always has its
     * zip), then its metadata under the next number.
     *
     * @param version makes the version from its number
     */
    LayerVersion publish(String accountId, String region, String name, String sha256, byte[] zip, LongFunction<LayerVersion> version) {
        try {
            CodeStore.write(zipPath(accountId, region, name, sha256), zip);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the layer " + name, e);
        }
        byte[] headKey = Key.builder().add(accountId).add(region).add(name).build();
        return store.transaction(txn -> {
            byte[] current = txn.get(HEADS, headKey);
            long number = (current == null ? 0 : decode(current, Head.class).lastVersion()) + 1;
            LayerVersion published = version.apply(number);
            txn.put(HEADS, headKey, encode(new Head(number)));
            txn.put(VERSIONS, versionKey(accountId, region, name, number), encode(published));
            return published;
        });
    }

    Optional<LayerVersion> get(String accountId, String region, String name, long version) {
        return Optional.ofNullable(store.get(VERSIONS, versionKey(accountId, region, name, version))).map(v -> decode(v, LayerVersion.class));
    }

    /** Every live version of a layer, in number order. */
    List<LayerVersion> versions(String accountId, String region, String name) {
        List<LayerVersion> versions = new ArrayList<>();
        try (Scan scan = store.scan(VERSIONS, KeyRange.prefix(Key.builder().add(accountId).add(region).add(name).build()))) {
            while (scan.hasNext()) {
                versions.add(decode(scan.next().value(), LayerVersion.class));
            }
        }
        return versions;
    }

    /** Every live version of the account's layers in a region, by layer name, then number. */
    List<LayerVersion> all(String accountId, String region) {
        List<LayerVersion> versions = new ArrayList<>();
        try (Scan scan = store.scan(VERSIONS, KeyRange.prefix(Key.builder().add(accountId).add(region).build()))) {
            while (scan.hasNext()) {
                versions.add(decode(scan.next().value(), LayerVersion.class));
            }
        }
        return versions;
    }

    /** Removes a version and its policy; its number is not given out again. Returns it, or empty. */
    Optional<LayerVersion> delete(String accountId, String region, String name, long version) {
        byte[] key = versionKey(accountId, region, name, version);
        return store.transaction(txn -> {
            byte[] current = txn.get(VERSIONS, key);
            if (current == null) {
                return Optional.empty();
            }
            txn.delete(VERSIONS, key);
            txn.delete(POLICIES, key);
            return Optional.of(decode(current, LayerVersion.class));
        });
    }

    Optional<Policy> policy(String accountId, String region, String name, long version) {
        return Optional.ofNullable(store.get(POLICIES, versionKey(accountId, region, name, version))).map(v -> decode(v, Policy.class));
    }

    /**
     * Changes a version's policy in a transaction that requires the version to exist: {@code change}
     * gets the policy (null when there is none) and returns the new one (null deletes it).
     *
     * @return empty when the version does not exist, else what {@code change} returned
     */
    Optional<Optional<Policy>> changePolicy(String accountId, String region, String name, long version, UnaryOperator<Policy> change) {
        byte[] key = versionKey(accountId, region, name, version);
        return store.transaction(txn -> {
            if (txn.get(VERSIONS, key) == null) {
                return Optional.empty();
            }
            byte[] current = txn.get(POLICIES, key);
            Policy updated = change.apply(current == null ? null : decode(current, Policy.class));
            if (updated == null) {
                txn.delete(POLICIES, key);
            } else {
                txn.put(POLICIES, key, encode(updated));
            }
            return Optional.of(Optional.ofNullable(updated));
        });
    }

    /**
     * The directory that plays {@code /opt} for a function version: its layers' zips extracted in
     * order (later layers overwrite earlier ones' files), built the first time it is asked for; an
     * empty directory for a function without layers.
     */
    Path optDir(FunctionRecord function) {
        List<FunctionLayer> layers = function.layers();
        Path opt = root.resolve("opt");
        if (layers.isEmpty()) {
            Path empty = opt.resolve("empty");
            try {
                return Files.createDirectories(empty);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create " + empty, e);
            }
        }
        Path dir = opt.resolve(optName(layers));
        if (Files.isDirectory(dir)) {
            return dir;
        }
        try {
            Files.createDirectories(opt);
            Path temp = Files.createTempDirectory(opt, ".extract-");
            try {
                for (FunctionLayer layer : layers) {
                    String[] arn = layer.arn().split(":");
                    CodeStore.extract(zipPath(arn[4], arn[3], layer.layerName(), layer.codeSha256()), temp);
                }
                CodeStore.moveIntoPlace(temp, dir);
            } finally {
                CodeStore.deleteTree(temp);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract the layers of " + function.name(), e);
        }
    }

    /**
     * Deletes the layer zips of an account's region that no live layer version and no function
     * record names, and every {@code /opt} directory no function record names.
     *
     * @param functions every function record (each {@code $LATEST} and published version) of the
     *     Stratus data directory, read after the deletions this sweep follows
     */
    void sweep(List<FunctionRecord> functions) {
        java.util.Set<String> zips = new java.util.HashSet<>();
        java.util.Set<String> opts = new java.util.HashSet<>();
        opts.add("empty");
        for (FunctionRecord function : functions) {
            for (FunctionLayer layer : function.layers()) {
                String[] arn = layer.arn().split(":");
                zips.add(zipPath(arn[4], arn[3], layer.layerName(), layer.codeSha256()).toString());
            }
            if (!function.layers().isEmpty()) {
                opts.add(optName(function.layers()));
            }
        }
        try (Scan scan = store.scan(VERSIONS, KeyRange.all())) {
            while (scan.hasNext()) {
                LayerVersion version = decode(scan.next().value(), LayerVersion.class);
                zips.add(zipPath(version.accountId(), version.region(), version.layerName(), version.codeSha256()).toString());
            }
        }
        Path layers = root.resolve("layers");
        if (Files.isDirectory(layers)) {
            // layers/<account>/<region>/<name>/<file>
            try (Stream<Path> files = Files.find(layers, 4, (path, attributes) -> path.getNameCount() - layers.getNameCount() == 4)) {
                files.filter(f -> !f.getFileName().toString().startsWith(".") && !zips.contains(f.toString())).forEach(CodeStore::deleteTree);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot sweep " + layers, e);
            }
        }
        Path opt = root.resolve("opt");
        if (Files.isDirectory(opt)) {
            try (Stream<Path> dirs = Files.list(opt)) {
                dirs.filter(d -> !d.getFileName().toString().startsWith(".") && !opts.contains(d.getFileName().toString()))
                        .forEach(CodeStore::deleteTree);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot sweep " + opt, e);
            }
        }
    }

    /** Deletes what a crash left mid-upload or mid-extraction. Call it on start, before anything else. */
    void deleteLeftovers() {
        Path layers = root.resolve("layers");
        Path opt = root.resolve("opt");
        try {
            if (Files.isDirectory(layers)) {
                try (Stream<Path> files = Files.find(layers, 4, (path, attributes) -> path.getNameCount() - layers.getNameCount() == 4
                        && path.getFileName().toString().startsWith(".upload-"))) {
                    files.toList().forEach(CodeStore::deleteTree);
                }
            }
            if (Files.isDirectory(opt)) {
                try (Stream<Path> dirs = Files.list(opt)) {
                    dirs.filter(d -> d.getFileName().toString().startsWith(".extract-")).toList().forEach(CodeStore::deleteTree);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete leftover layer files under " + root, e);
        }
    }

    /** The name of a list of layers' {@code /opt}: the digest of their ARNs and zips, in order. */
    private static String optName(List<FunctionLayer> layers) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (FunctionLayer layer : layers) {
                digest.update((layer.arn() + "\n" + layer.codeSha256() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file holding the version's zip (see {@link CodeLocations}). */
    Path zip(LayerVersion version) {
        return zipPath(version.accountId(), version.region(), version.layerName(), version.codeSha256());
    }

    private Path zipPath(String accountId, String region, String name, String sha256) {
        return root.resolve("layers").resolve(accountId).resolve(region).resolve(name).resolve(CodeStore.hex(sha256) + ".zip");
    }

    private static byte[] versionKey(String accountId, String region, String name, long version) {
        return Key.builder().add(accountId).add(region).add(name).add(version).build();
    }

    private static byte[] encode(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> T decode(byte[] value, Class<T> type) {
        try {
            return JSON.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a stored " + type.getSimpleName(), e);
        }
    }
}
