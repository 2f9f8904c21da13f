package io.stratus.protocol.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.stratus.protocol.shape.MemberNaming;
import java.util.EnumMap;
import java.util.Map;

/**
 * The JSON mappers of the AWS protocols, one per member naming convention: members absent when
 * null, timestamps as epoch seconds with a fraction, blobs as base64, unknown members ignored
 * (AWS ignores members it does not know). The CBOR mappers of awsJson1_1 in CBOR are the same but
 * for timestamps, epoch milliseconds there, and blobs, byte strings. Shared and thread-safe.
 */
public final class JsonMappers {

    /**
     * Strings of any length: a request body is bounded by its service's {@code maxRequestBytes}
     * before it is parsed, and some members are large on purpose (a Lambda zip of up to 50 MB is
     * one base64 string of ~67 million characters; Jackson's own default stops at 20 million).
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();
    private static final CBORFactory CBOR_FACTORY = CBORFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();
    private static final Map<MemberNaming, ObjectMapper> MAPPERS = new EnumMap<>(MemberNaming.class);
    private static final Map<MemberNaming, ObjectMapper> CBOR_MAPPERS = new EnumMap<>(MemberNaming.class);
    private static final Map<MemberNaming, ObjectMapper> WITHOUT_NULL_ELEMENTS = new EnumMap<>(MemberNaming.class);

    static {
        for (MemberNaming naming : MemberNaming.values()) {
            MAPPERS.put(naming, configure(JsonMapper.builder(FACTORY), naming, true));
            CBOR_MAPPERS.put(naming, configure(CBORMapper.builder(CBOR_FACTORY), naming, false));
            ObjectMapper strict = MAPPERS.get(naming).copy();
            strict.setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
            WITHOUT_NULL_ELEMENTS.put(naming, strict);
        }
    }

    /** @param secondsWithFraction timestamps as epoch seconds with a fraction (JSON), else as epoch milliseconds (CBOR) */
    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> M configure(B builder, MemberNaming naming, boolean secondsWithFraction) {
        return builder
                .addModule(new JavaTimeModule())
                .propertyNamingStrategy(naming.jackson())
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .configure(SerializationFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS, secondsWithFraction)
                .configure(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS, secondsWithFraction)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
    }

    private JsonMappers() {}

    public static ObjectMapper of(MemberNaming naming) {
        return MAPPERS.get(naming);
    }

    /** The mapper of awsJson1_1 in CBOR (see {@link io.stratus.protocol.Protocol#AWS_CBOR_1_1}). */
    public static ObjectMapper cbor(MemberNaming naming) {
        return CBOR_MAPPERS.get(naming);
    }

    /**
     * The same mapper, but a list or map holding a null element fails to decode instead of
     * reaching an operation that copies it (restJson bodies: AWS's REST services refuse them).
     */
    public static ObjectMapper withoutNullElements(MemberNaming naming) {
        return WITHOUT_NULL_ELEMENTS.get(naming);
    }
}
