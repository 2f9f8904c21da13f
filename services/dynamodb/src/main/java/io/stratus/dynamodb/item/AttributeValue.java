package io.stratus.dynamodb.item;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One DynamoDB attribute value: one of the ten data types, immutable. Numbers are kept in their
 * canonical form ({@link Numbers#canonical}), so equal numbers are equal values and sets of
 * numbers hold no two equal numbers. On the wire it is {@code {"S": "…"}}, {@code {"N": "…"}}, …
 * (see {@link AttributeValueJson}).
 */
@JsonSerialize(using = AttributeValueJson.Writer.class)
@JsonDeserialize(using = AttributeValueJson.Reader.class)
public sealed interface AttributeValue {

    /** The type's name as AWS writes it: {@code S}, {@code N}, {@code B}, {@code SS}, … */
    String type();

    record S(String value) implements AttributeValue {
        @Override
        public String type() {
            return "S";
        }
    }

    record N(BigDecimal value) implements AttributeValue {
        public N {
            value = Numbers.canonical(value);
        }

        /** The number as AWS returns it: no exponent, no trailing zeros. */
        public String text() {
            return value.toPlainString();
        }

        @Override
        public String type() {
            return "N";
        }
    }

    /** A binary value; equal when the bytes are equal, ordered as unsigned bytes. */
    record B(byte[] value) implements AttributeValue, Comparable<B> {
        @Override
        public String type() {
            return "B";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof B other && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public int compareTo(B other) {
            return Arrays.compareUnsigned(value, other.value);
        }

        @Override
        public String toString() {
            return "B[" + java.util.Base64.getEncoder().encodeToString(value) + "]";
        }
    }

    record SS(Set<String> values) implements AttributeValue {
        public SS {
            values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
        }

        @Override
        public String type() {
            return "SS";
        }
    }

    record NS(Set<BigDecimal> values) implements AttributeValue {
        public NS {
            var canonical = new LinkedHashSet<BigDecimal>();
            values.forEach(v -> canonical.add(Numbers.canonical(v)));
            values = Collections.unmodifiableSet(canonical);
        }

        @Override
        public String type() {
            return "NS";
        }
    }

    record BS(Set<B> values) implements AttributeValue {
        public BS {
            values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
        }

        @Override
        public String type() {
            return "BS";
        }
    }

    record M(Map<String, AttributeValue> values) implements AttributeValue {
        public M {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        @Override
        public String type() {
            return "M";
        }
    }

    record L(List<AttributeValue> values) implements AttributeValue {
        public L {
            values = List.copyOf(values);
        }

        @Override
        public String type() {
            return "L";
        }
    }

    record Null() implements AttributeValue {
        @Override
        public String type() {
            return "NULL";
        }
    }

    record Bool(boolean value) implements AttributeValue {
        @Override
        public String type() {
            return "BOOL";
        }
    }

    static N number(long value) {
        return new N(BigDecimal.valueOf(value));
    }
}
