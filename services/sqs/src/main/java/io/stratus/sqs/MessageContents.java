package io.stratus.sqs;

import io.stratus.core.AwsException;
import io.stratus.sqs.SqsModel.MessageAttributeValue;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a message carries, checked as AWS checks it (allowed characters, attribute names and
 * types, size), and the MD5 digests AWS returns and SDKs verify. Pure logic; stateless.
 */
final class MessageContents {

    static final int MAX_ATTRIBUTES = 10;

    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
    private static final Pattern DATA_TYPE = Pattern.compile("(String|Number|Binary)(\\..+)?");
    private static final byte STRING_TRANSPORT = 1;
    private static final byte BINARY_TRANSPORT = 2;

    private MessageContents() {}

    /** Checks a message body: present, and only the characters the XML specification allows. */
    static void checkBody(String body) {
        if (body == null || body.isEmpty()) {
            throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter MessageBody.");
        }
        for (int i = 0; i < body.length(); ) {
            int c = body.codePointAt(i);
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            if (!allowed || (Character.isSurrogate(body.charAt(i)) && Character.charCount(c) == 1)) {
                throw AwsException.of(SqsErrors.INVALID_MESSAGE_CONTENTS,
                        "Invalid binary character '#x%s' was found in the message body, the set of allowed characters is "
                                + "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
                        Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT));
            }
            i += Character.charCount(c);
        }
    }

    /** Checks message attributes: at most 10, valid names, a supported type and a value that fits it. */
    static void checkAttributes(Map<String, MessageAttributeValue> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return;
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Number of message attributes [%d] exceeds the allowed maximum [%d].", attributes.size(), MAX_ATTRIBUTES);
        }
        attributes.forEach(MessageContents::checkAttribute);
    }

    private static void checkAttribute(String name, MessageAttributeValue value) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (!ATTRIBUTE_NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".") || name.contains("..")
                || lower.startsWith("aws.") || lower.startsWith("amazon.")) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "Message (user) attribute name '%s' is invalid.", name);
        }
        if (value == null || value.dataType() == null || value.dataType().isEmpty()) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "The message attribute '%s' must contain non-empty message attribute type.", name);
        }
        String type = value.dataType();
        if (!DATA_TYPE.matcher(type).matches() || type.length() > 256) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "The message attribute '%s' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.", name);
        }
        if (type.startsWith("Binary")) {
            if (value.binaryValue() == null || value.binaryValue().length == 0) {
                throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                        "The message attribute '%s' with type 'Binary' must use field 'Binary'.", name);
            }
            return;
        }
        String text = value.stringValue();
        if (text == null || text.isEmpty()) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.",
                    name, type.startsWith("Number") ? "Number" : "String");
        }
        if (type.startsWith("Number")) {
            try {
                new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                        "Can't cast the value of message (user) attribute '%s' to a number.", name);
            }
        }
        checkBody(text);
    }

    /**
     * The bytes a message counts against MaximumMessageSize: its body plus each attribute's name,
     * type and value. Safe on unchecked input: a missing value counts nothing.
     */
    static int size(String body, Map<String, MessageAttributeValue> attributes) {
        int size = utf8(body).length;
        if (attributes != null) {
            for (Map.Entry<String, MessageAttributeValue> entry : attributes.entrySet()) {
                MessageAttributeValue value = entry.getValue();
                if (value == null) {
                    // Not yet checked (a batch sums its entries first); the check rejects it.
                    continue;
                }
                size += utf8(entry.getKey()).length + utf8(value.dataType()).length;
                size += value.binaryValue() != null ? value.binaryValue().length : utf8(value.stringValue()).length;
            }
        }
        return size;
    }

    static String md5OfBody(String body) {
        return hex(md5().digest(utf8(body)));
    }

    /**
     * AWS's digest of message attributes: for each attribute in name order, the name, the data
     * type, a transport byte (1 for String and Number, 2 for Binary) and the value, each string or
     * byte value preceded by its length as a 4-byte big-endian integer. Null when there are none.
     */
    static String md5OfAttributes(Map<String, MessageAttributeValue> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, MessageAttributeValue> entry : new TreeMap<>(attributes).entrySet()) {
            MessageAttributeValue value = entry.getValue();
            writeLengthPrefixed(out, utf8(entry.getKey()));
            writeLengthPrefixed(out, utf8(value.dataType()));
            if (value.binaryValue() != null) {
                out.write(BINARY_TRANSPORT);
                writeLengthPrefixed(out, value.binaryValue());
            } else {
                out.write(STRING_TRANSPORT);
                writeLengthPrefixed(out, utf8(value.stringValue()));
            }
        }
        return hex(md5().digest(out.toByteArray()));
    }

    private static void writeLengthPrefixed(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes.length >>> 24);
        out.write(bytes.length >>> 16);
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    private static byte[] utf8(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has MD5", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
