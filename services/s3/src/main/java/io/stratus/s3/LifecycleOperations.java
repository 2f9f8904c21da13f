package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
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
    /** S3's default (and, here, only) rule for small objects: none under 128 KiB moves to another class. */
    private static final String MINIMUM_SIZE = "all_storage_classes_128K";

    record PutRequest(@HttpLabel("Bucket") String bucket,
            @HttpHeader("x-amz-transition-default-minimum-object-size") String transitionDefaultMinimumObjectSize,
            @HttpPayload byte[] document) implements BucketAddressed {}

    record PutResponse(@HttpHeader("x-amz-transition-default-minimum-object-size") String transitionDefaultMinimumObjectSize) {}

    record GetResponse(@HttpHeader("Content-Type") String contentType,
            @HttpHeader("x-amz-transition-default-minimum-object-size") String transitionDefaultMinimumObjectSize,
            @HttpPayload byte[] document) {}

    private final BucketStore buckets;

    LifecycleOperations(BucketStore buckets) {
        this.buckets = requireNonNull(buckets, "buckets is null");
    }

    /**
     * Stores a checked configuration. Objects under 128 KiB never move to another storage class
     * ({@code all_storage_classes_128K}, S3's default); {@code varies_by_storage_class} is not
     * served yet ({@code NotImplemented}).
     */
    PutResponse put(RequestContext context, PutRequest request) {
        String minimum = request.transitionDefaultMinimumObjectSize();
        if ("varies_by_storage_class".equals(minimum)) {
            throw AwsException.of(io.stratus.core.CommonErrors.NOT_IMPLEMENTED,
                    "x-amz-transition-default-minimum-object-size varies_by_storage_class is not supported by Stratus yet.");
        }
        if (minimum != null && !minimum.equals(MINIMUM_SIZE)) {
            throw S3Errors.invalidArgument("Invalid value for x-amz-transition-default-minimum-object-size", "x-amz-transition-default-minimum-object-size",
                    minimum);
        }
        buckets.require(context, request.bucket());
        byte[] document = request.document() == null ? new byte[0] : request.document();
        Lifecycle.check(document);
        buckets.putConfig(context, request.bucket(), SUBRESOURCE, withRuleIds(document));
        return new PutResponse(MINIMUM_SIZE);
    }

    GetResponse get(RequestContext context, BucketModel.BucketRequest request) {
        buckets.require(context, request.bucket());
        byte[] document = buckets.config(request.bucket(), SUBRESOURCE).orElseThrow(() -> new AwsException(S3Errors.NO_SUCH_LIFECYCLE_CONFIGURATION,
                "The lifecycle configuration does not exist", Map.of("BucketName", request.bucket()), null));
        return new GetResponse("application/xml", MINIMUM_SIZE, document);
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
