package io.stratus.protocol.codec;

import java.nio.charset.StandardCharsets;

/** A small streaming XML writer: elements, escaped text, one optional namespace. Not thread-safe. */
final class XmlWriter {

    private final StringBuilder out = new StringBuilder(256);

    XmlWriter() {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    }

    XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    XmlWriter start(String name, String namespace) {
        if (namespace == null) {
            return start(name);
        }
        out.append('<').append(name).append(" xmlns=\"");
        escape(namespace);
        out.append("\">");
        return this;
    }

    XmlWriter end(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    XmlWriter element(String name, String text) {
        start(name);
        escape(text);
        return end(name);
    }

    byte[] toBytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void escape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\r' -> out.append("&#xD;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        out.append("&#x").append(Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
