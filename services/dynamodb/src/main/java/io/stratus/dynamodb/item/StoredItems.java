package io.stratus.dynamodb.item;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads items as the store keeps them: the wire form {@link AttributeValueJson} wrote, read token by
 * token without a JSON tree and without the checks a request's values need (they were checked when
 * the item was written). Reading stored items is most of what a Query or Scan costs. Stateless and
 * thread-safe.
 */
public final class StoredItems {

    private static final JsonFactory JSON = new JsonFactory();

    private StoredItems() {}

    /** The item in {@code json}, an object of attribute names to values in the wire form. */
    public static Map<String, AttributeValue> read(byte[] json) throws IOException {
        try (JsonParser parser = JSON.createParser(json)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, parser);
            return readMembers(parser);
        }
    }

    /** The members of the object whose start the parser is on, up to its end. */
    private static Map<String, AttributeValue> readMembers(JsonParser parser) throws IOException {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            values.put(name, readValue(parser));
        }
        expect(parser.currentToken(), JsonToken.END_OBJECT, parser);
        return values;
    }

    /** The value whose wrapper object {@code {"<type>": …}} the parser is on the start of. */
    private static AttributeValue readValue(JsonParser parser) throws IOException {
        expect(parser.currentToken(), JsonToken.START_OBJECT, parser);
        expect(parser.nextToken(), JsonToken.FIELD_NAME, parser);
        String type = parser.currentName();
        parser.nextToken();
        AttributeValue value = switch (type) {
            case "S" -> new S(parser.getText());
            case "N" -> new N(new BigDecimal(parser.getText()));
            case "B" -> new B(Base64.getDecoder().decode(parser.getText()));
            case "BOOL" -> new Bool(parser.getBooleanValue());
            case "NULL" -> new Null();
            case "M" -> new M(readMembers(parser));
            case "L" -> {
                List<AttributeValue> elements = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(readValue(parser));
                }
                yield new L(elements);
            }
            case "SS" -> {
                Set<String> elements = new LinkedHashSet<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(parser.getText());
                }
                yield new SS(elements);
            }
            case "NS" -> {
                Set<BigDecimal> elements = new LinkedHashSet<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(new BigDecimal(parser.getText()));
                }
                yield new NS(elements);
            }
            case "BS" -> {
                Set<B> elements = new LinkedHashSet<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(new B(Base64.getDecoder().decode(parser.getText())));
                }
                yield new BS(elements);
            }
            default -> throw new IOException("Unknown attribute type " + type + " in a stored item");
        };
        expect(parser.nextToken(), JsonToken.END_OBJECT, parser);
        return value;
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser parser) throws IOException {
        if (actual != expected) {
            throw new IOException("A stored item has " + actual + " where " + expected + " belongs, at " + parser.currentLocation());
        }
    }
}
