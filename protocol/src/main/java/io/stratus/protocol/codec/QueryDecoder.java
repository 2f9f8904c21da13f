package io.stratus.protocol.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.protocol.shape.MemberNaming;
import io.stratus.protocol.shape.MemberShape;
import io.stratus.protocol.shape.StructureShape;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads awsQuery parameters ({@code Attribute.1.Name=…}, {@code Tags.member.2.Key=…}) into the
 * JSON tree of a request record, guided by the record's shape, so one Jackson mapping builds the
 * record for every protocol. One instance per request; not thread-safe.
 */
final class QueryDecoder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, List<String>> params;
    private final MemberNaming naming;

    QueryDecoder(Map<String, List<String>> params, MemberNaming naming) {
        this.params = params;
        this.naming = naming;
    }

    ObjectNode decode(Class<?> type) {
        return structure("", type);
    }

    private ObjectNode structure(String prefix, Class<?> type) {
        ObjectNode node = NODES.objectNode();
        for (MemberShape member : StructureShape.of(type, naming).members()) {
            JsonNode value = value(prefix + member.xmlName(), member.type(), member.flattened(), member.listMemberName(),
                    member.mapKeyName(), member.mapValueName());
            if (value != null) {
                node.set(member.jsonName(), value);
            }
        }
        return node;
    }

    private JsonNode value(String key, Type type, boolean flattened, String listMemberName, String mapKeyName, String mapValueName) {
        Class<?> raw = MemberShape.raw(type);
        if (Collection.class.isAssignableFrom(raw)) {
            String itemPrefix = flattened ? key + "." : key + "." + listMemberName + ".";
            TreeSet<Integer> indices = indicesUnder(itemPrefix);
            if (indices.isEmpty()) {
                // "Names=" with no members is how awsQuery sends an empty list.
                return params.containsKey(key) ? NODES.arrayNode() : null;
            }
            ArrayNode array = NODES.arrayNode();
            for (int index : indices) {
                JsonNode element = value(itemPrefix + index, typeArgument(type, 0), false, "member", "key", "value");
                if (element != null) {
                    array.add(element);
                }
            }
            return array;
        }
        if (Map.class.isAssignableFrom(raw)) {
            String entryPrefix = flattened ? key + "." : key + ".entry.";
            TreeSet<Integer> indices = indicesUnder(entryPrefix);
            if (indices.isEmpty()) {
                return null;
            }
            ObjectNode map = NODES.objectNode();
            for (int index : indices) {
                String entry = entryPrefix + index + ".";
                String mapKey = single(entry + mapKeyName);
                if (mapKey == null) {
                    throw AwsException.of(CommonErrors.MISSING_PARAMETER, "The request must contain the parameter %s%s.", entry, mapKeyName);
                }
                JsonNode mapValue = value(entry + mapValueName, typeArgument(type, 1), false, "member", "key", "value");
                if (mapValue != null) {
                    map.set(mapKey, mapValue);
                }
            }
            return map;
        }
        if (raw.isRecord()) {
            String nestedPrefix = key + ".";
            boolean present = params.keySet().stream().anyMatch(name -> name.startsWith(nestedPrefix));
            return present ? structure(nestedPrefix, raw) : null;
        }
        String text = single(key);
        if (text == null) {
            return null;
        }
        try {
            return Scalars.fromText(text, raw, TimestampFormat.DATE_TIME);
        } catch (IllegalArgumentException e) {
            throw AwsException.of(CommonErrors.INVALID_PARAMETER_VALUE, "Value %s for parameter %s is invalid.", text, key);
        }
    }

    private String single(String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private TreeSet<Integer> indicesUnder(String prefix) {
        TreeSet<Integer> indices = new TreeSet<>();
        for (String name : params.keySet()) {
            if (name.startsWith(prefix)) {
                int end = name.indexOf('.', prefix.length());
                String digits = end < 0 ? name.substring(prefix.length()) : name.substring(prefix.length(), end);
                try {
                    indices.add(Integer.parseInt(digits));
                } catch (NumberFormatException e) {
                    throw AwsException.of(CommonErrors.INVALID_PARAMETER_VALUE, "Parameter %s is not valid: expected an index after %s", name, prefix);
                }
            }
        }
        return indices;
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType parameterized) {
            Type[] arguments = parameterized.getActualTypeArguments();
            return arguments[Math.min(index, arguments.length - 1)];
        }
        return String.class;
    }
}
