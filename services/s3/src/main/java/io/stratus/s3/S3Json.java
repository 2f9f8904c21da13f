package io.stratus.s3;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** How S3's records are encoded as store values: JSON, tolerant of members added later. Thread-safe. */
final class S3Json {

    /**
     * Jackson keeps the buffers of its generators and parsers in a pool that is per thread by
     * default; every request runs on a new virtual thread, so each encode allocated and zeroed a
     * fresh set (about a third of encoding a record). A pool shared by all threads reuses them.
     */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                    .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private S3Json() {}

    static byte[] encode(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Readers bound to their type once: {@code readValue(bytes, type)} resolves the deserializer again on every call. */
    private static final ClassValue<ObjectReader> READERS = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return JSON.readerFor(type);
        }
    };

    static <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return READERS.get(type).readValue(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
