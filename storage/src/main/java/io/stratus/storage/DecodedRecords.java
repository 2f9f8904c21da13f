package io.stratus.storage;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Decoded records kept beside the stored bytes they came from, for records that nearly every
 * request reads (a queue, a bucket, a table): a record whose bytes did not change since it was
 * last decoded costs a byte comparison instead of a decode. Correct whatever writes the store,
 * since a value is used only while the bytes just read equal the ones it was decoded from; the
 * decoded values must be immutable. Bounded (cleared when full). Safe for concurrent use.
 *
 * @param <K> what names a record
 * @param <T> the decoded record
 */
public final class DecodedRecords<K, T> {

    private record Decoded<T>(byte[] stored, T value) {}

    private final int capacity;
    private final Function<byte[], T> decoder;
    private final ConcurrentHashMap<K, Decoded<T>> decoded = new ConcurrentHashMap<>();

    public DecodedRecords(int capacity, Function<byte[], T> decoder) {
        this.capacity = capacity;
        this.decoder = requireNonNull(decoder, "decoder is null");
    }

    /** The record {@code stored} holds (null for null: the record does not exist). */
    public T decode(K name, byte[] stored) {
        if (stored == null) {
            decoded.remove(name);
            return null;
        }
        Decoded<T> known = decoded.get(name);
        if (known != null && Arrays.equals(known.stored(), stored)) {
            return known.value();
        }
        T value = decoder.apply(stored);
        if (decoded.size() >= capacity) {
            decoded.clear();
        }
        decoded.put(name, new Decoded<>(stored, value));
        return value;
    }
}
