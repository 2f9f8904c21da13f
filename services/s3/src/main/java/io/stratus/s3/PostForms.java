package io.stratus.s3;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** What a POST form's fields say beside the policy: metadata, tags, a checksum. Stateless. */
final class PostForms {

    private static final String META = "x-amz-meta-";
    private static final String CHECKSUM = "x-amz-checksum-";
    private static final String ENCRYPTION = "x-amz-server-side-encryption";

    private PostForms() {}

    /** The {@code x-amz-meta-*} fields, by their names after the prefix (lower case, as S3 keeps them). */
    static Map<String, String> metadata(Map<String, String> fields) {
        Map<String, String> metadata = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith(META) && name.length() > META.length()) {
                metadata.put(name.substring(META.length()), value);
            }
        });
        return metadata;
    }

    /** The {@code x-amz-server-side-encryption*} fields, by their names after that prefix (as the headers of a PutObject). */
    static Map<String, String> encryption(Map<String, String> fields) {
        Map<String, String> encryption = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith(ENCRYPTION)) {
                encryption.put(name.substring(ENCRYPTION.length()), value);
            }
        });
        return encryption;
    }

    /** The checksum the form claims: an {@code x-amz-checksum-<algorithm>} field, or {@code x-amz-checksum-algorithm} alone. */
    static Optional<ClaimedChecksum> checksum(Map<String, String> fields) {
        Map<String, String> values = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith(CHECKSUM) && !name.equals(CHECKSUM + "algorithm")) {
                values.put(name.substring(CHECKSUM.length()), value);
            }
        });
        return ClaimedChecksum.of(fields.get(CHECKSUM + "algorithm"), null, values);
    }

    /** The {@code tagging} field: a {@code <Tagging><TagSet><Tag>…} document. */
    static Map<String, String> tags(String xml) {
        try {
            Document document = XmlDocuments.dom(xml.getBytes(StandardCharsets.UTF_8));
            NodeList tagNodes = document.getElementsByTagName("Tag");
            Map<String, String> tags = new LinkedHashMap<>();
            for (int i = 0; i < tagNodes.getLength(); i++) {
                Element tag = (Element) tagNodes.item(i);
                String key = text(tag, "Key");
                String value = text(tag, "Value");
                if (key == null || tags.put(key, value == null ? "" : value) != null) {
                    throw malformed();
                }
            }
            ObjectKeys.checkTags(tags, true);
            return tags;
        } catch (AwsException e) {
            throw e;
        } catch (Exception e) {
            throw malformed();
        }
    }

    private static String text(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    private static AwsException malformed() {
        return new AwsException(CommonErrors.MALFORMED_XML, "The XML you provided was not well-formed or did not validate against our published schema");
    }
}
