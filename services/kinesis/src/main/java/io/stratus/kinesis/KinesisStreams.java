package io.stratus.kinesis;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.spi.Streams;
import io.stratus.storage.Store;

/** The {@link Streams} SPI over the streams of this service: records put as PutRecord puts them. Thread-safe. */
final class KinesisStreams implements Streams {

    private final Store store;
    private final RecordOperations records;

    KinesisStreams(Store store, RecordOperations records) {
        this.store = requireNonNull(store, "store is null");
        this.records = requireNonNull(records, "records is null");
    }

    @Override
    public boolean exists(Arn stream) {
        return stream.service().equals("kinesis") && stream.resource().startsWith("stream/")
                && StreamStore.read(store, stream.accountId(), stream.region(), stream.resource().substring("stream/".length())) != null;
    }

    @Override
    public void put(Arn stream, String partitionKey, byte[] data) {
        records.put(new String[] {stream.accountId(), stream.region(), stream.resource().substring(stream.resource().indexOf('/') + 1)},
                partitionKey, data);
    }
}
