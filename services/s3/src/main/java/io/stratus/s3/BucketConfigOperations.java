package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.RequestContext;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Put, Get and Delete of the {@link BucketConfig} documents: checked for well-formedness and
 * their root element, stored as sent, returned as stored (or S3's default). They are stored,
 * not enforced: a policy grants or denies nothing in Stratus yet. Thread-safe.
 */
final class BucketConfigOperations {

    private static final XMLInputFactory XML = XMLInputFactory.newFactory();
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    record ConfigRequest(@HttpLabel("Bucket") String bucket, @HttpPayload byte[] document) implements BucketAddressed {}

    record ConfigDocument(@HttpHeader("Content-Type") String contentType, @HttpPayload byte[] document) {}

    record NoContent() {}

    @io.stratus.protocol.traits.XmlName("PolicyStatus")
    record PolicyStatus(Boolean isPublic) {}

    /** The default encryption algorithms S3 knows. */
    private static final java.util.Set<String> SSE_ALGORITHMS = java.util.Set.of("AES256", "aws:kms", "aws:kms:dsse");

    private final BucketStore buckets;
    private final BucketAccess access;

    BucketConfigOperations(BucketStore buckets, BucketAccess access) {
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.access = requireNonNull(access, "access is null");
    }

    NoContent put(BucketConfig config, RequestContext context, ConfigRequest request) {
        buckets.require(context, request.bucket());
        byte[] document = request.document() == null ? new byte[0] : request.document();
        check(config, request.bucket(), document);
        if (config == BucketConfig.POLICY) {
            access.checkNewPolicy(context, request.bucket(), document);
        }
        if (config == BucketConfig.OWNERSHIP_CONTROLS) {
            putOwnership(context, request.bucket(), document);
            return new NoContent();
        }
        buckets.putConfig(context, request.bucket(), config.subresource(), document);
        return new NoContent();
    }

    /**
     * Object Ownership, kept with the bucket's record too (whether ACLs apply, see {@link Bucket#acls}).
     * As on S3, ACLs cannot be disabled while the bucket's own ACL gives anyone but its owner access.
     */
    private void putOwnership(RequestContext context, String name, byte[] document) {
        org.w3c.dom.Element rule = XmlDocuments.child(XmlDocuments.root(document, "OwnershipControls"), "Rule");
        String ownership = rule == null ? null : XmlDocuments.text(rule, "ObjectOwnership");
        if (!java.util.Set.of(WriteAcl.ENFORCED, WriteAcl.PREFERRED, WriteAcl.OBJECT_WRITER).contains(ownership)) {
            throw XmlDocuments.malformed();
        }
        boolean acls = !ownership.equals(WriteAcl.ENFORCED);
        buckets.store().transaction(txn -> {
            Bucket bucket = BucketStore.require(txn, context, name);
            if (!acls && !AclOperations.bucketAcl(txn, bucket).grantsOnlyOwner()) {
                throw AwsException.of(S3Errors.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP,
                        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
            }
            BucketStore.putConfig(txn, name, BucketConfig.OWNERSHIP_CONTROLS.subresource(), document);
            BucketStore.write(txn, bucket.withAcls(acls));
            return null;
        });
    }

    ConfigDocument get(BucketConfig config, RequestContext context, BucketModel.BucketRequest request) {
        buckets.require(context, request.bucket());
        byte[] document = buckets.config(request.bucket(), config.subresource())
                .or(() -> java.util.Optional.ofNullable(config.defaultDocument()).map(d -> d.getBytes(StandardCharsets.UTF_8)))
                .filter(stored -> stored.length > 0) // deleted, default and all (see BucketConfig.deletionRemovesDefault)
                .orElseThrow(() -> new AwsException(config.notFound(), config.notFoundMessage(), Map.of("BucketName", request.bucket()), null));
        return new ConfigDocument(config.isJson() ? "application/json" : "application/xml", document);
    }

    NoContent delete(BucketConfig config, RequestContext context, BucketModel.BucketRequest request) {
        if (config == BucketConfig.OWNERSHIP_CONTROLS) {
            // No ownership controls at all: S3's behaviour from before they existed, the writer owns each object.
            buckets.store().transaction(txn -> {
                Bucket bucket = BucketStore.require(txn, context, request.bucket());
                BucketStore.putConfig(txn, bucket.name(), config.subresource(), new byte[0]);
                BucketStore.write(txn, bucket.withAcls(true));
                return null;
            });
        } else if (config.deletionRemovesDefault()) {
            buckets.putConfig(context, request.bucket(), config.subresource(), new byte[0]);
        } else {
            buckets.deleteConfig(context, request.bucket(), config.subresource());
        }
        return new NoContent();
    }

    /** GetBucketPolicyStatus: whether the bucket's policy makes it public; a bucket without one has no status. */
    PolicyStatus policyStatus(RequestContext context, BucketModel.BucketRequest request) {
        Bucket bucket = buckets.require(context, request.bucket());
        if (buckets.config(request.bucket(), BucketConfig.POLICY.subresource()).isEmpty()) {
            throw new AwsException(BucketConfig.POLICY.notFound(), BucketConfig.POLICY.notFoundMessage(), Map.of("BucketName", request.bucket()), null);
        }
        return new PolicyStatus(access.hasPublicPolicy(bucket));
    }

    private static void check(BucketConfig config, String bucket, byte[] document) {
        if (config.isJson()) {
            try {
                if (document.length == 0 || document[0] != '{' || !JSON.readTree(document).isObject()) {
                    throw malformedPolicy();
                }
            } catch (IOException e) {
                throw malformedPolicy();
            }
            return;
        }
        if (config == BucketConfig.CORS) {
            Cors.parse(document);
            return;
        }
        if (!config.rootElement().equals(rootElement(document))) {
            throw new AwsException(CommonErrors.MALFORMED_XML, "The XML you provided was not well-formed or did not validate against our published schema");
        }
        if (config == BucketConfig.ENCRYPTION) {
            checkEncryption(document);
        }
        if (config == BucketConfig.WEBSITE) {
            Website.parse(document);
        }
        if (config == BucketConfig.ACCELERATE) {
            checkAccelerate(bucket, document);
        }
        if (config == BucketConfig.REQUEST_PAYMENT) {
            checkRequestPayment(document);
        }
    }

    /**
     * Transfer Acceleration as S3 takes it: {@code Enabled} or {@code Suspended}, and not for a
     * bucket whose name has a period (no TLS certificate covers its accelerated host name).
     */
    private static void checkAccelerate(String bucket, byte[] document) {
        String status = rootText(BucketConfig.ACCELERATE, document, "Status");
        if (!"Enabled".equals(status) && !"Suspended".equals(status)) {
            throw XmlDocuments.malformed();
        }
        if (bucket.contains(".")) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names");
        }
    }

    /** Who pays for requests: {@code BucketOwner} or {@code Requester} (see {@link BucketAccess#requesterPays}). */
    private static void checkRequestPayment(byte[] document) {
        String payer = rootText(BucketConfig.REQUEST_PAYMENT, document, "Payer");
        if (!"BucketOwner".equals(payer) && !"Requester".equals(payer)) {
            throw XmlDocuments.malformed();
        }
    }

    /** The trimmed text of the root {@code config}'s child {@code name}, or null. */
    private static String rootText(BucketConfig config, byte[] document, String name) {
        return XmlDocuments.text(XmlDocuments.root(document, config.rootElement()), name);
    }

    /**
     * Each rule's default encryption as S3 checks it: an algorithm it knows ({@code MalformedXML}
     * otherwise), and a KMS key only with a KMS algorithm ({@code InvalidArgument}).
     */
    private static void checkEncryption(byte[] document) {
        org.w3c.dom.NodeList defaults;
        try {
            defaults = XmlDocuments.dom(document).getElementsByTagNameNS("*", "ApplyServerSideEncryptionByDefault");
        } catch (Exception e) {
            throw XmlDocuments.malformed();
        }
        for (int i = 0; i < defaults.getLength(); i++) {
            org.w3c.dom.Element rule = (org.w3c.dom.Element) defaults.item(i);
            String algorithm = text(rule, "SSEAlgorithm");
            if (algorithm == null || !SSE_ALGORITHMS.contains(algorithm)) {
                throw XmlDocuments.malformed();
            }
            if (text(rule, "KMSMasterKeyID") != null && algorithm.equals("AES256")) {
                throw AwsException.of(S3Errors.INVALID_ARGUMENT,
                        "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse");
            }
        }
    }

    /** The trimmed text of an element's first child element named {@code name}, or null. */
    private static String text(org.w3c.dom.Element parent, String name) {
        org.w3c.dom.NodeList found = parent.getElementsByTagNameNS("*", name);
        return found.getLength() == 0 ? null : found.item(0).getTextContent().trim();
    }

    private static AwsException malformedPolicy() {
        return AwsException.of(S3Errors.MALFORMED_POLICY, "Policies must be valid JSON and the first byte must be '{'");
    }

    /** The root element of a well-formed document, or null. */
    private static String rootElement(byte[] document) {
        try {
            XMLStreamReader reader;
            synchronized (XML) {
                reader = XML.createXMLStreamReader(new ByteArrayInputStream(document));
            }
            try {
                String root = null;
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.DTD) {
                        return null;
                    }
                    if (event == XMLStreamConstants.START_ELEMENT && root == null) {
                        root = reader.getLocalName();
                    }
                }
                return root;
            } finally {
                reader.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            return null;
        }
    }
}
