package io.stratus.protocol.shape;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpPrefixHeaders;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.protocol.traits.HttpResponseCode;
import io.stratus.protocol.traits.XmlFlattened;
import io.stratus.protocol.traits.XmlMapEntry;
import io.stratus.protocol.traits.XmlMemberName;
import io.stratus.protocol.traits.XmlName;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The members of a request or response record, read once by reflection and cached. Immutable and
 * shared by all threads.
 */
public record StructureShape(Class<?> type, String xmlName, List<MemberShape> members) {

    private static final ClassValue<Map<MemberNaming, StructureShape>> CACHE = new ClassValue<>() {
        @Override
        protected Map<MemberNaming, StructureShape> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    public StructureShape {
        requireNonNull(type, "type is null");
        requireNonNull(xmlName, "xmlName is null");
        members = List.copyOf(members);
    }

    /** The shape of a record type; throws {@link IllegalArgumentException} for other types. */
    public static StructureShape of(Class<?> type, MemberNaming naming) {
        Map<MemberNaming, StructureShape> shapes = CACHE.get(type);
        StructureShape shape = shapes.get(naming);
        return shape != null ? shape : shapes.computeIfAbsent(naming, n -> build(type, n));
    }

    public static boolean isStructure(Class<?> type) {
        return type.isRecord();
    }

    public Optional<MemberShape> member(Binding binding) {
        for (MemberShape member : members) {
            if (member.binding() == binding) {
                return Optional.of(member);
            }
        }
        return Optional.empty();
    }

    public List<MemberShape> members(Binding binding) {
        return members.stream().filter(m -> m.binding() == binding).toList();
    }

    private static StructureShape build(Class<?> type, MemberNaming naming) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        List<MemberShape> members = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            members.add(member(component, naming));
        }
        XmlName rootName = type.getAnnotation(XmlName.class);
        return new StructureShape(type, rootName != null ? rootName.value() : type.getSimpleName(), members);
    }

    /** Request and response records may be package-private to their service; read them anyway. */
    private static java.lang.reflect.Method accessible(java.lang.reflect.Method accessor) {
        accessor.setAccessible(true);
        return accessor;
    }

    private static MemberShape member(RecordComponent component, MemberNaming naming) {
        String javaName = component.getName();
        // @JsonProperty cannot target a record component, so Java leaves it on the accessor (and the
        // field and constructor parameter) only: read it there, as Jackson does.
        JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
        String jsonName = property != null && !property.value().isEmpty() ? property.value() : naming.apply(javaName);
        XmlName xmlName = component.getAnnotation(XmlName.class);
        String xml = xmlName != null ? xmlName.value()
                : property != null && !property.value().isEmpty() ? property.value()
                : MemberNaming.PASCAL_CASE.apply(javaName);

        Binding binding = Binding.BODY;
        String bindingName = null;
        if (component.getAnnotation(HttpLabel.class) instanceof HttpLabel label) {
            binding = Binding.LABEL;
            bindingName = label.value().isEmpty() ? jsonName : label.value();
        } else if (component.getAnnotation(HttpQuery.class) instanceof HttpQuery query) {
            binding = Binding.QUERY;
            bindingName = query.value();
        } else if (component.getAnnotation(HttpHeader.class) instanceof HttpHeader header) {
            binding = Binding.HEADER;
            bindingName = header.value();
        } else if (component.getAnnotation(HttpPrefixHeaders.class) instanceof HttpPrefixHeaders prefix) {
            binding = Binding.PREFIX_HEADERS;
            bindingName = prefix.value();
        } else if (component.isAnnotationPresent(HttpPayload.class)) {
            binding = Binding.PAYLOAD;
        } else if (component.isAnnotationPresent(HttpResponseCode.class)) {
            binding = Binding.RESPONSE_CODE;
        }
        XmlMapEntry entry = component.getAnnotation(XmlMapEntry.class);
        return new MemberShape(javaName, jsonName, xml, component.getGenericType(), binding, bindingName,
                component.isAnnotationPresent(XmlFlattened.class),
                entry != null ? entry.key() : "key",
                entry != null ? entry.value() : "value",
                component.getAnnotation(XmlMemberName.class) instanceof XmlMemberName listMember ? listMember.value() : "member",
                MemberShape.getter(accessible(component.getAccessor())));
    }
}
