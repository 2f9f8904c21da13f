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
import java.io.ByteArrayInputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads an XML request body (restXml) into the JSON tree of a record, guided by its shape.
 * DTDs and external entities are refused. Stateless.
 */
final class XmlDecoder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** No AWS request body nests this deep; a deeper one is an attack on the stack. */
    private static final int MAX_DEPTH = 64;
    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    }

    private final MemberNaming naming;

    XmlDecoder(MemberNaming naming) {
        this.naming = naming;
    }

    /** An element with its text and child elements. */
    record Element(String name, String text, List<Element> children) {

        List<Element> named(String name) {
            return children.stream().filter(c -> c.name.equals(name)).toList();
        }
    }

    static Element parse(byte[] xml) {
        try {
            XMLStreamReader reader;
            synchronized (FACTORY) {
                reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
            }
            try {
                while (reader.hasNext()) {
                    if (reader.next() == XMLStreamConstants.START_ELEMENT) {
                        return element(reader, 1);
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            throw new AwsException(malformed(), "The XML you provided was not well-formed or did not validate against our published schema", e);
        }
        throw new AwsException(malformed(), "The XML you provided was not well-formed or did not validate against our published schema");
    }

    private static io.stratus.core.AwsErrorCode malformed() {
        return CommonErrors.MALFORMED_XML;
    }

    private static Element element(XMLStreamReader reader, int depth) throws XMLStreamException {
        if (depth > MAX_DEPTH) {
            throw new XMLStreamException("Elements nest deeper than " + MAX_DEPTH);
        }
        String name = reader.getLocalName();
        StringBuilder text = new StringBuilder();
        List<Element> children = new ArrayList<>();
        while (reader.hasNext()) {
            switch (reader.next()) {
                case XMLStreamConstants.START_ELEMENT -> children.add(element(reader, depth + 1));
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> text.append(reader.getText());
                case XMLStreamConstants.END_ELEMENT -> {
                    return new Element(name, text.toString(), List.copyOf(children));
                }
                case XMLStreamConstants.DTD -> throw new XMLStreamException("DTDs are not allowed");
                default -> {
                }
            }
        }
        throw new XMLStreamException("Unexpected end of document");
    }

    ObjectNode structure(Element element, Class<?> type) {
        ObjectNode node = NODES.objectNode();
        for (MemberShape member : StructureShape.of(type, naming).members()) {
            JsonNode value = member(element, member);
            if (value != null) {
                node.set(member.jsonName(), value);
            }
        }
        return node;
    }

    private JsonNode member(Element parent, MemberShape member) {
        List<Element> matches = parent.named(member.xmlName());
        if (matches.isEmpty()) {
            return null;
        }
        if (member.isList()) {
            List<Element> items = member.flattened() ? matches : matches.getFirst().children();
            ArrayNode array = NODES.arrayNode();
            for (Element item : items) {
                array.add(value(item, member.elementType()));
            }
            return array;
        }
        if (member.isMap()) {
            List<Element> entries = member.flattened() ? matches : matches.getFirst().named("entry");
            ObjectNode map = NODES.objectNode();
            for (Element entry : entries) {
                List<Element> keys = entry.named(member.mapKeyName());
                List<Element> values = entry.named(member.mapValueName());
                if (!keys.isEmpty() && !values.isEmpty()) {
                    map.set(keys.getFirst().text(), value(values.getFirst(), member.elementType()));
                }
            }
            return map;
        }
        return value(matches.getFirst(), member.type());
    }

    private JsonNode value(Element element, Type type) {
        Class<?> raw = MemberShape.raw(type);
        if (raw.isRecord()) {
            return structure(element, raw);
        }
        if (Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)) {
            Type elementType = type instanceof ParameterizedType p ? p.getActualTypeArguments()[p.getActualTypeArguments().length - 1] : String.class;
            ArrayNode array = NODES.arrayNode();
            element.children().forEach(child -> array.add(value(child, elementType)));
            return array;
        }
        try {
            return Scalars.fromText(element.text().trim().isEmpty() && raw != String.class ? element.text().trim() : element.text(), raw, TimestampFormat.DATE_TIME);
        } catch (IllegalArgumentException e) {
            throw new AwsException(malformed(), "The XML you provided was not well-formed or did not validate against our published schema");
        }
    }
}
