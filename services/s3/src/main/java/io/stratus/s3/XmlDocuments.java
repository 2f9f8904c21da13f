package io.stratus.s3;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.w3c.dom.Document;

/**
 * Reads bucket configuration documents made of a root element and a list of children (CORS rules,
 * lifecycle rules, notification configurations) without DTDs or external entities. Stateless.
 */
final class XmlDocuments {

    /** Reads one child element; called with the reader on its start element, returns with it on its end element. */
    @FunctionalInterface
    interface ChildReader<T> {
        T read(XMLStreamReader reader, String element) throws XMLStreamException;
    }

    private static final XMLInputFactory XML = XMLInputFactory.newFactory();

    static {
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    private XmlDocuments() {}

    /**
     * A document as a (namespace-aware) DOM, for the few that are edited or searched rather than
     * read in order; DTDs are refused.
     *
     * @throws Exception when the document is not well-formed
     */
    static Document dom(byte[] document) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(document));
    }

    /**
     * The children of a document whose root is {@code root}, each read by {@code reader}.
     *
     * @throws AwsException {@code MalformedXML} when the document is not well-formed or has another root
     */
    static <T> List<T> children(byte[] document, String root, ChildReader<T> reader) {
        List<T> children = new ArrayList<>();
        try {
            XMLStreamReader xml;
            synchronized (XML) {
                xml = XML.createXMLStreamReader(new ByteArrayInputStream(document));
            }
            try {
                boolean sawRoot = false;
                int depth = 0;
                while (xml.hasNext()) {
                    int event = xml.next();
                    if (event == XMLStreamConstants.DTD) {
                        throw malformed();
                    }
                    if (event == XMLStreamConstants.END_ELEMENT) {
                        depth--;
                    } else if (event == XMLStreamConstants.START_ELEMENT) {
                        depth++;
                        if (depth == 1) {
                            if (!xml.getLocalName().equals(root)) {
                                throw malformed();
                            }
                            sawRoot = true;
                        } else {
                            children.add(reader.read(xml, xml.getLocalName()));
                            depth--;
                        }
                    }
                }
                if (!sawRoot) {
                    throw malformed();
                }
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            throw malformed();
        }
        return children;
    }

    /**
     * The document element of a configuration document, which must be named {@code root}.
     *
     * @throws AwsException {@code MalformedXML} when the document is not well-formed or has another root
     */
    static org.w3c.dom.Element root(byte[] document, String root) {
        org.w3c.dom.Element element;
        try {
            element = dom(document).getDocumentElement();
        } catch (Exception e) {
            throw malformed();
        }
        if (element == null || !root.equals(element.getLocalName())) {
            throw malformed();
        }
        return element;
    }

    /** The first child element of {@code parent} named {@code name} (any namespace), or null. */
    static org.w3c.dom.Element child(org.w3c.dom.Element parent, String name) {
        for (org.w3c.dom.Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof org.w3c.dom.Element element && name.equals(element.getLocalName())) {
                return element;
            }
        }
        return null;
    }

    /** The trimmed text of the child element of {@code parent} named {@code name}, or null. */
    static String text(org.w3c.dom.Element parent, String name) {
        org.w3c.dom.Element child = child(parent, name);
        return child == null ? null : child.getTextContent().trim();
    }

    static AwsException malformed() {
        return new AwsException(CommonErrors.MALFORMED_XML, "The XML you provided was not well-formed or did not validate against our published schema");
    }
}
