package io.stratus.dynamodb.item;

import static io.stratus.dynamodb.DynamoDbErrors.validation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import io.stratus.dynamodb.item.AttributeValue.B;
import io.stratus.dynamodb.item.AttributeValue.BS;
import io.stratus.dynamodb.item.AttributeValue.Bool;
import io.stratus.dynamodb.item.AttributeValue.L;
import io.stratus.dynamodb.item.AttributeValue.M;
import io.stratus.dynamodb.item.AttributeValue.N;
import io.stratus.dynamodb.item.AttributeValue.NS;
import io.stratus.dynamodb.item.AttributeValue.Null;
import io.stratus.dynamodb.item.AttributeValue.S;
import io.stratus.dynamodb.item.AttributeValue.SS;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wire form of {@link AttributeValue}: an object with exactly one member named after the type.
 * Reading checks what DynamoDB checks of every value (one type, valid numbers, non-empty sets
 * without duplicates, NULL true) and answers a ValidationException with AWS's words; JSON of the
 * wrong shape is a SerializationException. Stateless and thread-safe.
 */
public final class AttributeValueJson {

    private static final Set<String> TYPES = Set.of("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL");

    /** How deeply lists and maps may nest, as in DynamoDB. */
    private static final int MAX_DEPTH = 32;

    private AttributeValueJson() {}

    public static final class Writer extends JsonSerializer<AttributeValue> {
        @Override
        public void serialize(AttributeValue value, JsonGenerator out, SerializerProvider provider) throws IOException {
            write(value, out);
        }
    }

    public static final class Reader extends JsonDeserializer<AttributeValue> {
        @Override
        public AttributeValue deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String placeholder = expressionValueKey(parser.getParsingContext());
            JsonNode node = context.readTree(parser);
            try {
                return read(node, context, 0);
            } catch (AwsException e) {
                if (placeholder == null) {
                    throw e;
                }
                throw validation("ExpressionAttributeValues contains invalid value: %s for key %s", e.getMessage(), placeholder);
            }
        }
    }

    /** The placeholder a value is read for when it sits in {@code {"ExpressionAttributeValues": {":v": …}}}, else null. */
    private static String expressionValueKey(JsonStreamContext context) {
        String inner = null;
        for (JsonStreamContext c = context; c != null; c = c.getParent()) {
            String name = c.getCurrentName();
            if ("ExpressionAttributeValues".equals(name)) {
                return inner;
            }
            if (name != null) {
                inner = name;
            }
        }
        return null;
    }

    static void write(AttributeValue value, JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeFieldName(value.type());
        switch (value) {
            case S s -> out.writeString(s.value());
            case N n -> out.writeString(n.text());
            case B b -> out.writeString(Base64.getEncoder().encodeToString(b.value()));
            case SS ss -> {
                out.writeStartArray();
                for (String s : ss.values()) {
                    out.writeString(s);
                }
                out.writeEndArray();
            }
            case NS ns -> {
                out.writeStartArray();
                for (BigDecimal n : ns.values()) {
                    out.writeString(n.toPlainString());
                }
                out.writeEndArray();
            }
            case BS bs -> {
                out.writeStartArray();
                for (B b : bs.values()) {
                    out.writeString(Base64.getEncoder().encodeToString(b.value()));
                }
                out.writeEndArray();
            }
            case M m -> {
                out.writeStartObject();
                for (Map.Entry<String, AttributeValue> entry : m.values().entrySet()) {
                    out.writeFieldName(entry.getKey());
                    write(entry.getValue(), out);
                }
                out.writeEndObject();
            }
            case L l -> {
                out.writeStartArray();
                for (AttributeValue element : l.values()) {
                    write(element, out);
                }
                out.writeEndArray();
            }
            case Null ignored -> out.writeBoolean(true);
            case Bool bool -> out.writeBoolean(bool.value());
        }
        out.writeEndObject();
    }

    static AttributeValue read(JsonNode node, DeserializationContext context, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw validation("Nesting Levels have exceeded supported limits");
        }
        if (!node.isObject()) {
            return context.reportInputMismatch(AttributeValue.class, "An AttributeValue must be a JSON object");
        }
        String type = null;
        int types = 0;
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (TYPES.contains(name) && !node.get(name).isNull()) {
                type = name;
                types++;
            }
        }
        if (types == 0) {
            throw validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        if (types > 1) {
            throw validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        JsonNode body = node.get(type);
        return switch (type) {
            case "S" -> new S(text(body, context));
            case "N" -> new N(Numbers.parse(text(body, context)));
            case "B" -> new B(binary(body, context));
            case "SS" -> new SS(set(body, context, "string", n -> text(n, context)));
            case "NS" -> new NS(set(body, context, "number", n -> Numbers.parse(text(n, context))));
            case "BS" -> new BS(set(body, context, "binary", n -> new B(binary(n, context))));
            case "M" -> {
                if (!body.isObject()) {
                    yield context.reportInputMismatch(AttributeValue.class, "M must be a JSON object");
                }
                Map<String, AttributeValue> values = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> fields = ((ObjectNode) body).fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    values.put(field.getKey(), read(field.getValue(), context, depth + 1));
                }
                yield new M(values);
            }
            case "L" -> {
                if (!body.isArray()) {
                    yield context.reportInputMismatch(AttributeValue.class, "L must be a JSON array");
                }
                List<AttributeValue> values = new ArrayList<>();
                for (JsonNode element : body) {
                    values.add(read(element, context, depth + 1));
                }
                yield new L(values);
            }
            case "NULL" -> {
                if (!body.isBoolean()) {
                    yield context.reportInputMismatch(AttributeValue.class, "NULL must be a boolean");
                }
                if (!body.booleanValue()) {
                    throw validation("One or more parameter values were invalid: Null attribute value types must have the value of true");
                }
                yield new Null();
            }
            case "BOOL" -> {
                if (!body.isBoolean()) {
                    yield context.reportInputMismatch(AttributeValue.class, "BOOL must be a boolean");
                }
                yield new Bool(body.booleanValue());
            }
            default -> throw new IllegalStateException("unreachable type " + type);
        };
    }

    private static String text(JsonNode node, DeserializationContext context) throws IOException {
        if (!node.isTextual()) {
            return context.reportInputMismatch(AttributeValue.class, "Expected a JSON string");
        }
        return node.textValue();
    }

    private static byte[] binary(JsonNode node, DeserializationContext context) throws IOException {
        try {
            return Base64.getMimeDecoder().decode(text(node, context));
        } catch (IllegalArgumentException e) {
            return context.reportInputMismatch(AttributeValue.class, "Binary values must be base64");
        }
    }

    private interface Element<T> {
        T read(JsonNode node) throws IOException;
    }

    private static <T> Set<T> set(JsonNode node, DeserializationContext context, String kind, Element<T> element) throws IOException {
        if (!node.isArray()) {
            return context.reportInputMismatch(AttributeValue.class, "A set must be a JSON array");
        }
        if (node.isEmpty()) {
            throw validation("One or more parameter values were invalid: An %s set  may not be empty", kind);
        }
        Set<T> values = new LinkedHashSet<>();
        List<String> given = new ArrayList<>();
        boolean duplicates = false;
        for (JsonNode item : node) {
            T value = element.read(item);
            given.add(item.asText());
            duplicates |= !values.add(value);
        }
        if (duplicates) {
            throw validation("One or more parameter values were invalid: Input collection %s contains duplicates.", given);
        }
        return values;
    }
}
