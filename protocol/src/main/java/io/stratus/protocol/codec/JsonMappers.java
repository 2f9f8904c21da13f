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
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.stratus.protocol.shape.MemberNaming;
import java.util.EnumMap;
import java.util.Map;

/**
 * The JSON mappers of the AWS protocols, one per member naming convention: members absent when
 * null, timestamps as epoch seconds with a fraction, blobs as base64, unknown members ignored
 * (AWS ignores members it does not know). Shared and thread-safe.
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
    private static final Map<MemberNaming, ObjectMapper> MAPPERS = new EnumMap<>(MemberNaming.class);
    private static final Map<MemberNaming, ObjectMapper> WITHOUT_NULL_ELEMENTS = new EnumMap<>(MemberNaming.class);

    static {
        for (MemberNaming naming : MemberNaming.values()) {
            MAPPERS.put(naming, JsonMapper.builder(FACTORY)
                    .addModule(new JavaTimeModule())
                    .propertyNamingStrategy(naming.jackson())
                    .serializationInclusion(JsonInclude.Include.NON_NULL)
                    .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .enable(SerializationFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
                    .enable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                    .build());
            ObjectMapper strict = MAPPERS.get(naming).copy();
            strict.setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
            WITHOUT_NULL_ELEMENTS.put(naming, strict);
        }
    }

    private JsonMappers() {}

    public static ObjectMapper of(MemberNaming naming) {
        return MAPPERS.get(naming);
    }

    /**
     * The same mapper, but a list or map holding a null element fails to decode instead of
     * reaching an operation that copies it (restJson bodies: AWS's REST services refuse them).
     */
    public static ObjectMapper withoutNullElements(MemberNaming naming) {
        return WITHOUT_NULL_ELEMENTS.get(naming);
    }
}
