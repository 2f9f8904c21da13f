package io.stratus.protocol.codec;

import io.stratus.protocol.shape.Binding;
import io.stratus.protocol.shape.MemberNaming;
import io.stratus.protocol.shape.MemberShape;
import io.stratus.protocol.shape.StructureShape;
import io.stratus.protocol.traits.XmlName;
import java.util.Collection;
import java.util.Map;

/**
 * Writes the body members of a record as XML elements, the way awsQuery responses and restXml
 * bodies nest them: wrapped or flattened lists and maps, nested structures, ISO timestamps. A
 * flattened list whose element type is a sealed interface holds elements of several kinds in one
 * order, each written under its record's own {@code @XmlName} (S3's ListObjectVersions
 * interleaves {@code <Version>} and {@code <DeleteMarker>} so). Stateless.
 */
final class XmlEncoder {

    private final MemberNaming naming;

    XmlEncoder(MemberNaming naming) {
        this.naming = naming;
    }

    void writeMembers(XmlWriter xml, Object record) {
        StructureShape shape = StructureShape.of(record.getClass(), naming);
        for (MemberShape member : shape.members()) {
            if (member.binding() != Binding.BODY) {
                continue;
            }
            Object value = member.get(record);
            if (value != null) {
                writeMember(xml, member, value);
            }
        }
    }

    private void writeMember(XmlWriter xml, MemberShape member, Object value) {
        String name = member.xmlName();
        if (value instanceof Collection<?> list) {
            if (!member.flattened()) {
                xml.start(name);
            }
            boolean mixed = member.flattened() && MemberShape.raw(member.elementType()).isSealed();
            for (Object element : list) {
                writeValue(xml, mixed ? ownName(element, name) : member.flattened() ? name : member.listMemberName(), element);
            }
            if (!member.flattened()) {
                xml.end(name);
            }
        } else if (value instanceof Map<?, ?> map) {
            if (!member.flattened()) {
                xml.start(name);
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                xml.start(member.flattened() ? name : "entry");
                writeValue(xml, member.mapKeyName(), entry.getKey());
                writeValue(xml, member.mapValueName(), entry.getValue());
                xml.end(member.flattened() ? name : "entry");
            }
            if (!member.flattened()) {
                xml.end(name);
            }
        } else {
            writeValue(xml, name, value);
        }
    }

    /** The element's name in a mixed list: its record's {@code @XmlName}, else the list's. */
    private static String ownName(Object element, String listName) {
        return element.getClass().getAnnotation(XmlName.class) instanceof XmlName own ? own.value() : listName;
    }

    private void writeValue(XmlWriter xml, String name, Object value) {
        if (value == null) {
            return;
        }
        if (value.getClass().isRecord()) {
            xml.start(name);
            writeMembers(xml, value);
            xml.end(name);
        } else {
            xml.element(name, Scalars.toText(value, TimestampFormat.DATE_TIME, naming));
        }
    }
}
