package io.stratus.protocol.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.stratus.protocol.shape.MemberNaming;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;

/**
 * Converts scalar members between their text form (awsQuery parameters, XML text, labels, query
 * strings, headers) and their typed form. Stateless.
 */
final class Scalars {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Scalars() {}

    /**
     * The JSON node the protocol mappers read as a value of {@code type}.
     *
     * @throws IllegalArgumentException when the text is not a value of that type
     */
    static JsonNode fromText(String text, Class<?> type, TimestampFormat format) {
        if (type == String.class || type == Object.class) {
            return NODES.textNode(text);
        }
        if (type == Integer.class || type == int.class) {
            return NODES.numberNode(Integer.parseInt(text.trim()));
        }
        if (type == Long.class || type == long.class) {
            return NODES.numberNode(Long.parseLong(text.trim()));
        }
        if (type == Double.class || type == double.class) {
            return NODES.numberNode(Double.parseDouble(text.trim()));
        }
        if (type == Float.class || type == float.class) {
            return NODES.numberNode(Float.parseFloat(text.trim()));
        }
        if (type == BigDecimal.class) {
            return NODES.numberNode(new BigDecimal(text.trim()));
        }
        if (type == BigInteger.class) {
            return NODES.numberNode(new BigInteger(text.trim()));
        }
        if (type == Boolean.class || type == boolean.class) {
            return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> NODES.booleanNode(true);
                case "false" -> NODES.booleanNode(false);
                default -> throw new IllegalArgumentException("Not a boolean: " + text);
            };
        }
        if (type == Instant.class) {
            Instant instant = format.parse(text.trim());
            return NODES.numberNode(new BigDecimal(TimestampFormat.EPOCH_SECONDS.format(instant)));
        }
        if (type == byte[].class) {
            Base64.getDecoder().decode(text.trim());
            return NODES.textNode(text.trim());
        }
        return NODES.textNode(text);
    }

    /** The text form of a scalar value. */
    static String toText(Object value, TimestampFormat format, MemberNaming naming) {
        // Tests in a row rather than a pattern switch, whose type dispatch costs more here (every header of every response).
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Instant instant) {
            return format.format(instant);
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Enum<?> constant) {
            return JsonMappers.of(naming).convertValue(constant, String.class);
        }
        return String.valueOf(value);
    }

    static boolean isScalar(Class<?> type) {
        return type.isPrimitive() || type == String.class || Number.class.isAssignableFrom(type) || type == Boolean.class
                || type == Instant.class || type == byte[].class || type.isEnum();
    }
}
