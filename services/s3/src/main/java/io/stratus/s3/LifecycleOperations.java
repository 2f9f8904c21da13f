package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.s3.BucketConfigOperations.ConfigDocument;
import io.stratus.s3.BucketConfigOperations.ConfigRequest;
import io.stratus.core.Ids;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Put, Get and DeleteBucketLifecycleConfiguration: a configuration is checked (see
 * {@link Lifecycle}) and stored as sent, except that a rule without an {@code ID} gets one, as S3
 * gives it; {@link LifecycleWorker} applies it. Thread-safe.
 */
final class LifecycleOperations {

    static final String SUBRESOURCE = "lifecycle";

    private final BucketStore buckets;

    LifecycleOperations(BucketStore buckets) {
        this.buckets = requireNonNull(buckets, "buckets is null");
    }

    BucketConfigOperations.NoContent put(RequestContext context, ConfigRequest request) {
        buckets.require(context, request.bucket());
        byte[] document = request.document() == null ? new byte[0] : request.document();
        Lifecycle.check(document);
        buckets.putConfig(context, request.bucket(), SUBRESOURCE, withRuleIds(document));
        return new BucketConfigOperations.NoContent();
    }

    ConfigDocument get(RequestContext context, BucketModel.BucketRequest request) {
        buckets.require(context, request.bucket());
        byte[] document = buckets.config(request.bucket(), SUBRESOURCE).orElseThrow(() -> new AwsException(S3Errors.NO_SUCH_LIFECYCLE_CONFIGURATION,
                "The lifecycle configuration does not exist", Map.of("BucketName", request.bucket()), null));
        return new ConfigDocument("application/xml", document);
    }

    BucketConfigOperations.NoContent delete(RequestContext context, BucketModel.BucketRequest request) {
        buckets.deleteConfig(context, request.bucket(), SUBRESOURCE);
        return new BucketConfigOperations.NoContent();
    }

    /**
     * A checked configuration with an {@code ID} in every rule that had none (or an empty one): the
     * ID S3 assigns a rule, which GetBucketLifecycleConfiguration shows and {@code x-amz-expiration}
     * names, stays the same from then on. A configuration whose rules all have IDs is kept as sent.
     */
    static byte[] withRuleIds(byte[] document) {
        try {
            Document dom = XmlDocuments.dom(document);
            boolean added = false;
            for (Node node = dom.getDocumentElement().getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element rule && "Rule".equals(rule.getLocalName()) && !hasId(rule)) {
                    Element id = dom.createElementNS(rule.getNamespaceURI(), "ID");
                    id.setTextContent(Ids.lowerAlphanumeric(16));
                    for (Node child = rule.getFirstChild(); child != null; child = child.getNextSibling()) {
                        if (child instanceof Element empty && "ID".equals(empty.getLocalName())) {
                            rule.removeChild(empty);
                            break;
                        }
                    }
                    rule.insertBefore(id, rule.getFirstChild());
                    added = true;
                }
            }
            if (!added) {
                return document;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(document.length + 64);
            TransformerFactory.newInstance().newTransformer().transform(new DOMSource(dom), new StreamResult(out));
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException("A checked lifecycle configuration did not parse again", e);
        }
    }

    private static boolean hasId(Element rule) {
        for (Node child = rule.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element id && "ID".equals(id.getLocalName()) && !id.getTextContent().isBlank()) {
                return true;
            }
        }
        return false;
    }
}
