package io.stratus.dynamodb.item;

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
import java.math.BigDecimal;
import java.util.Map;

/**
 * An item's size as DynamoDB counts it against the 400 KB limit and the 1 MB page: each
 * attribute's UTF-8 name plus its value; strings by UTF-8 bytes, binaries by bytes, numbers one
 * byte per two significant digits plus one, booleans and nulls one byte, lists and maps three bytes
 * plus one per element plus their elements (and, for maps, the element names).
 */
public final class ItemSize {

    /** The largest item DynamoDB stores: 400 KB. */
    public static final int MAX_ITEM_BYTES = 400 * 1024;

    private ItemSize() {}

    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8Length(attribute.getKey()) + of(attribute.getValue());
        }
        return size;
    }

    public static long of(AttributeValue value) {
        return switch (value) {
            case S s -> utf8Length(s.value());
            case N n -> number(n.value());
            case B b -> b.value().length;
            case SS ss -> ss.values().stream().mapToLong(ItemSize::utf8Length).sum();
            case NS ns -> ns.values().stream().mapToLong(ItemSize::number).sum();
            case BS bs -> bs.values().stream().mapToLong(b -> b.value().length).sum();
            case M m -> 3 + m.values().size() + of(m.values());
            case L l -> 3 + l.values().size() + l.values().stream().mapToLong(ItemSize::of).sum();
            case Null ignored -> 1;
            case Bool ignored -> 1;
        };
    }

    private static long number(BigDecimal canonical) {
        return (Numbers.digits(canonical) + 1) / 2 + 1;
    }

    public static long utf8Length(String s) {
        long length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
