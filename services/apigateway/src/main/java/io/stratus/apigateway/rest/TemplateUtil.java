package io.stratus.apigateway.rest;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code $util} of a mapping template. Stateless and thread-safe. */
public final class TemplateUtil {

    static final TemplateUtil INSTANCE = new TemplateUtil();

    private TemplateUtil() {}

    /**
     * Escapes by JavaScript string rules, as AWS does: quotes (single ones too, which JSON then
     * does not accept), backslash, slash, control characters, and non-ASCII as {@code \}{@code uXXXX}.
     */
    public String escapeJavaScript(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\'' -> out.append("\\'");
                case '\\' -> out.append("\\\\");
                case '/' -> out.append("\\/");
                case '\b' -> out.append("\\b");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** The JSON in {@code text} as maps, lists and values a template can walk; null when it is not JSON. */
    public Object parseJson(String text) {
        return text == null ? null : TemplateValues.toJava(TemplateValues.parse(text));
    }

    public String urlEncode(String text) {
        return text == null ? null : URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    public String urlDecode(String text) {
        return text == null ? null : URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    public String base64Encode(String text) {
        return text == null ? null : Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public String base64Decode(String text) {
        return text == null ? null : new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    }
}
