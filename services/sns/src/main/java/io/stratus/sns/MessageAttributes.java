package io.stratus.sns;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.core.AwsException;
import io.stratus.sns.SnsModel.MessageAttributeValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Publish's message attributes, checked as SNS checks them (names, types, values) and turned into
 * the {@link PublishedAttribute}s the envelopes carry. Pure functions.
 */
final class MessageAttributes {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
    private static final Pattern TYPE = Pattern.compile("(String|Number|Binary|String\\.Array)(\\.[A-Za-z0-9_.-]+)?");
    /** SNS's Number range: ±10^308, 5 digits of precision after the decimal point aside. */
    private static final BigDecimal MAX_NUMBER = new BigDecimal("1E+308");

    private MessageAttributes() {}

    static Map<String, PublishedAttribute> check(Map<String, MessageAttributeValue> given) {
        Map<String, PublishedAttribute> attributes = new LinkedHashMap<>();
        if (given == null) {
            return attributes;
        }
        given.forEach((name, value) -> attributes.put(name, check(name, value)));
        return attributes;
    }

    private static PublishedAttribute check(String name, MessageAttributeValue value) {
        if (name == null || !NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".") || name.contains("..")
                || name.regionMatches(true, 0, "AWS.", 0, 4) || name.regionMatches(true, 0, "Amazon.", 0, 7)) {
            throw invalid("The message attribute name '%s' is invalid. Names may contain letters, digits, '_', '-' and '.', and may not start"
                    + " with AWS. or Amazon.", name);
        }
        String type = value == null ? null : value.dataType();
        if (type == null || type.isEmpty()) {
            throw invalid("The message attribute '%s' must contain non-empty message attribute type.", name);
        }
        if (!TYPE.matcher(type).matches()) {
            throw invalid("The message attribute '%s' has an invalid message attribute type, the set of supported type prefixes is Binary,"
                    + " Number, and String.", name);
        }
        if (type.startsWith("Binary")) {
            if (value.binaryValue() == null || value.binaryValue().length == 0) {
                throw invalid("The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name,
                        "Binary");
            }
            return new PublishedAttribute(type, Base64.getEncoder().encodeToString(value.binaryValue()));
        }
        String text = value.stringValue();
        String base = type.startsWith("String.Array") ? "String.Array" : type.startsWith("Number") ? "Number" : "String";
        if (text == null || text.isEmpty()) {
            throw invalid("The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, base);
        }
        switch (base) {
            case "Number" -> {
                try {
                    if (new BigDecimal(text.trim()).abs().compareTo(MAX_NUMBER) > 0) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw invalid("The message attribute '%s' with type 'Number' must contain a valid numerical value", name);
                }
            }
            case "String.Array" -> {
                JsonNode array = TopicAttributes.readJson(text);
                boolean valid = array != null && array.isArray();
                if (valid) {
                    for (JsonNode element : array) {
                        valid &= element.isTextual() || element.isNumber() || element.isBoolean() || element.isNull();
                    }
                }
                if (!valid) {
                    throw invalid("The message attribute '%s' with type 'String.Array' must contain a valid JSON array of strings, numbers, "
                            + "booleans or null", name);
                }
            }
            default -> {
                // any text
            }
        }
        return new PublishedAttribute(type, text);
    }

    /** The bytes the attributes add to a message's size: names, types and values, as SNS counts them. */
    static long size(Map<String, PublishedAttribute> attributes) {
        long size = 0;
        for (Map.Entry<String, PublishedAttribute> entry : attributes.entrySet()) {
            size += utf8(entry.getKey()) + utf8(entry.getValue().type());
            String value = entry.getValue().value();
            size += entry.getValue().type().startsWith("Binary") ? Base64.getDecoder().decode(value).length : utf8(value);
        }
        return size;
    }

    static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static AwsException invalid(String format, Object... args) {
        return AwsException.of(SnsErrors.INVALID_PARAMETER_VALUE, format, args);
    }
}
