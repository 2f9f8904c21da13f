package io.stratus.s3;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * One S3 Inventory configuration of a bucket ({@code PutBucketInventoryConfiguration}): which
 * objects a report lists, with which fields, how often, and where it goes. Immutable.
 *
 * @param destinationBucket the name of the bucket reports go into
 * @param destinationAccount the account that bucket is expected to belong to, or null
 * @param destinationPrefix what report keys start with, or null
 * @param sseS3 whether the reports are to be encrypted with SSE-S3 ({@code Encryption}), as every object here is
 * @param filterPrefix only objects whose keys start with it, or null for all
 * @param allVersions {@code IncludedObjectVersions} {@code All} (every version and delete marker) rather than {@code Current}
 * @param optionalFields the {@code OptionalFields} asked for, in S3's order
 * @param weekly {@code Schedule.Frequency} {@code Weekly} rather than {@code Daily}
 */
record Inventory(String id, boolean enabled, String destinationBucket, String destinationAccount, String destinationPrefix, boolean sseS3,
        String filterPrefix, boolean allVersions, List<String> optionalFields, boolean weekly) {

    /** The optional fields Stratus reports, in the order S3's reports give them. */
    static final List<String> FIELDS = List.of("Size", "LastModifiedDate", "ETag", "StorageClass", "IsMultipartUploaded", "ReplicationStatus",
            "EncryptionStatus", "ObjectLockRetainUntilDate", "ObjectLockMode", "ObjectLockLegalHoldStatus", "BucketKeyStatus", "ChecksumAlgorithm",
            "ObjectOwner", "LifecycleExpirationDate");
    /** S3's other optional fields: taken by S3, not reported by Stratus yet. */
    private static final Set<String> UNREPORTED = Set.of("IntelligentTieringAccessTier", "ObjectAccessControlList");
    private static final String ARN_PREFIX = "arn:aws:s3:::";
    /** Times as S3's reports write them: {@code 2016-11-06T21:32:46.000Z}. */
    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    Inventory {
        optionalFields = List.copyOf(optionalFields);
    }

    /**
     * Reads an {@code InventoryConfiguration} whose id must be {@code id} (the request's).
     *
     * @throws AwsException {@code MalformedXML} for a document that is not one or misses what S3
     *     requires, {@code InvalidArgument} for an id or destination S3 does not take,
     *     {@code NotImplemented} for what Stratus does not write (ORC and Parquet reports,
     *     encrypted reports, the optional fields it does not report)
     */
    static Inventory parse(byte[] document, String id) {
        if (id == null || id.isEmpty() || id.length() > 64 || !id.matches("[A-Za-z0-9._-]+")) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "The configuration ID is not valid: it must be 1 to 64 letters, digits, '.', '-' or '_'.");
        }
        Element root = XmlDocuments.root(document, "InventoryConfiguration");
        String documentId = XmlDocuments.text(root, "Id");
        String enabled = XmlDocuments.text(root, "IsEnabled");
        String versions = XmlDocuments.text(root, "IncludedObjectVersions");
        Element destination = XmlDocuments.child(root, "Destination");
        Element bucket = destination == null ? null : XmlDocuments.child(destination, "S3BucketDestination");
        Element schedule = XmlDocuments.child(root, "Schedule");
        if (documentId == null || enabled == null || versions == null || bucket == null || schedule == null) {
            throw XmlDocuments.malformed();
        }
        if (!documentId.equals(id)) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "The ID in the configuration does not match the id parameter of the request.");
        }
        String format = XmlDocuments.text(bucket, "Format");
        String arn = XmlDocuments.text(bucket, "Bucket");
        String frequency = XmlDocuments.text(schedule, "Frequency");
        if (!bool(enabled) && !enabled.equals("false") || !versions.equals("All") && !versions.equals("Current") || format == null || arn == null
                || !"Daily".equals(frequency) && !"Weekly".equals(frequency)) {
            throw XmlDocuments.malformed();
        }
        switch (format) {
            case "CSV" -> {
            }
            case "ORC", "Parquet" -> throw notImplemented(format + " inventory reports");
            default -> throw XmlDocuments.malformed();
        }
        Element encryption = XmlDocuments.child(bucket, "Encryption");
        boolean sseS3 = encryption != null && XmlDocuments.child(encryption, "SSE-S3") != null;
        if (encryption != null && (!sseS3 || XmlDocuments.child(encryption, "SSE-KMS") != null)) {
            // SSE-S3 is what every object here reports already; a KMS key would have to be the reports' own.
            throw notImplemented("inventory reports encrypted with SSE-KMS");
        }
        if (!arn.startsWith(ARN_PREFIX) || arn.length() == ARN_PREFIX.length() || arn.substring(ARN_PREFIX.length()).contains("/")) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Invalid bucket ARN: %s", arn);
        }
        Element filter = XmlDocuments.child(root, "Filter");
        String prefix = filter == null ? null : XmlDocuments.text(filter, "Prefix");
        return new Inventory(id, bool(enabled), arn.substring(ARN_PREFIX.length()), XmlDocuments.text(bucket, "AccountId"),
                XmlDocuments.text(bucket, "Prefix"), sseS3, prefix == null || prefix.isEmpty() ? null : prefix, versions.equals("All"),
                fields(XmlDocuments.child(root, "OptionalFields")), frequency.equals("Weekly"));
    }

    private static boolean bool(String value) {
        return value.equals("true");
    }

    private static List<String> fields(Element optional) {
        List<String> asked = new ArrayList<>();
        if (optional != null) {
            for (org.w3c.dom.Node node = optional.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element field && "Field".equals(field.getLocalName())) {
                    String name = field.getTextContent().trim();
                    if (UNREPORTED.contains(name)) {
                        throw notImplemented("the inventory field " + name);
                    }
                    if (!FIELDS.contains(name)) {
                        throw XmlDocuments.malformed();
                    }
                    asked.add(name);
                }
            }
        }
        return FIELDS.stream().filter(asked::contains).toList();
    }

    private static AwsException notImplemented(String what) {
        return AwsException.of(CommonErrors.NOT_IMPLEMENTED, "Stratus does not write %s yet.", what);
    }

    /** How long after a report the next one is due. */
    Duration period() {
        return Duration.ofDays(weekly ? 7 : 1);
    }

    /** The configuration as GetBucketInventoryConfiguration answers it (and as ListBucketInventoryConfigurations lists it). */
    String toXml(boolean namespaced) {
        StringBuilder xml = new StringBuilder("<InventoryConfiguration");
        if (namespaced) {
            xml.append(" xmlns=\"").append(S3Service.XML_NAMESPACE).append('"');
        }
        xml.append("><Id>").append(escape(id)).append("</Id><IsEnabled>").append(enabled).append("</IsEnabled>");
        xml.append("<Destination><S3BucketDestination>");
        if (destinationAccount != null) {
            xml.append("<AccountId>").append(escape(destinationAccount)).append("</AccountId>");
        }
        xml.append("<Bucket>").append(ARN_PREFIX).append(escape(destinationBucket)).append("</Bucket><Format>CSV</Format>");
        if (destinationPrefix != null) {
            xml.append("<Prefix>").append(escape(destinationPrefix)).append("</Prefix>");
        }
        if (sseS3) {
            xml.append("<Encryption><SSE-S3/></Encryption>");
        }
        xml.append("</S3BucketDestination></Destination>");
        if (filterPrefix != null) {
            xml.append("<Filter><Prefix>").append(escape(filterPrefix)).append("</Prefix></Filter>");
        }
        xml.append("<IncludedObjectVersions>").append(allVersions ? "All" : "Current").append("</IncludedObjectVersions>");
        if (!optionalFields.isEmpty()) {
            xml.append("<OptionalFields>");
            optionalFields.forEach(field -> xml.append("<Field>").append(field).append("</Field>"));
            xml.append("</OptionalFields>");
        }
        xml.append("<Schedule><Frequency>").append(weekly ? "Weekly" : "Daily").append("</Frequency></Schedule></InventoryConfiguration>");
        return xml.toString();
    }

    /** Text as XML content. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The report's columns, as its manifest's {@code fileSchema} names them. */
    String schema() {
        List<String> columns = new ArrayList<>(List.of("Bucket", "Key"));
        if (allVersions) {
            columns.addAll(List.of("VersionId", "IsLatest", "IsDeleteMarker"));
        }
        columns.addAll(optionalFields);
        return String.join(", ", columns);
    }

    /**
     * One object version as a line of the CSV report: every value quoted, the key URL-encoded, as
     * S3 writes them.
     *
     * @param lifecycle the bucket's lifecycle rules, or null
     * @param latest whether it is its key's current version
     */
    String row(Bucket bucket, Lifecycle lifecycle, StoredObject object, boolean latest) {
        List<String> values = new ArrayList<>(List.of(bucket.name(), URLEncoder.encode(object.key(), StandardCharsets.UTF_8).replace("+", "%20")));
        if (allVersions) {
            values.add(object.versionId() == null || object.versionId().equals(Versions.NULL) ? "" : object.versionId());
            values.add(Boolean.toString(latest));
            values.add(Boolean.toString(object.deleteMarker()));
        }
        for (String field : optionalFields) {
            values.add(object.deleteMarker() ? "" : field.equals("LifecycleExpirationDate") ? expiry(lifecycle, object, latest) : value(field, bucket, object));
        }
        StringBuilder line = new StringBuilder();
        for (String value : values) {
            if (!line.isEmpty()) {
                line.append(',');
            }
            line.append('"').append(value.replace("\"", "\"\"")).append('"');
        }
        return line.append('\n').toString();
    }

    private static String value(String field, Bucket bucket, StoredObject object) {
        ObjectLock lock = object.lock();
        return switch (field) {
            case "Size" -> Long.toString(object.size());
            case "LastModifiedDate" -> TIME.format(Instant.ofEpochMilli(object.lastModifiedMillis()));
            case "StorageClass" -> object.storageClass() == null ? "STANDARD" : object.storageClass();
            case "ETag" -> object.etag() == null ? "" : object.etag().replace("\"", "");
            case "IsMultipartUploaded" -> Boolean.toString(object.etag() != null && object.etag().contains("-"));
            case "ReplicationStatus" -> object.replicationStatus() == null ? "" : object.replicationStatus();
            case "EncryptionStatus" -> encryptionStatus(object.encryption());
            case "ObjectLockRetainUntilDate" -> lock == null || lock.retainUntilMillis() == null ? "" : TIME.format(Instant.ofEpochMilli(lock.retainUntilMillis()));
            case "ObjectLockMode" -> lock == null || lock.mode() == null ? "" : lock.mode();
            case "ObjectLockLegalHoldStatus" -> lock != null && ObjectLock.ON.equals(lock.legalHold()) ? ObjectLock.ON : ObjectLock.OFF;
            case "BucketKeyStatus" -> object.encryption() != null && Boolean.TRUE.equals(object.encryption().bucketKeyEnabled()) ? "ENABLED" : "DISABLED";
            case "ChecksumAlgorithm" -> object.checksumAlgorithm() == null ? "" : object.checksumAlgorithm();
            case "ObjectOwner" -> ObjectListing.owner(bucket, object).id();
            default -> throw new IllegalStateException("Unknown inventory field " + field);
        };
    }

    /** When the lifecycle rules expire a current object (the earliest of them), as {@code x-amz-expiration} says it; else empty. */
    private static String expiry(Lifecycle lifecycle, StoredObject object, boolean latest) {
        return lifecycle == null || !latest ? "" : lifecycle.expiration(object).map(expiration -> TIME.format(expiration.date())).orElse("");
    }

    private static String encryptionStatus(Encryption encryption) {
        if (encryption == null) {
            return "SSE-S3";
        }
        if (encryption.customerAlgorithm() != null) {
            return "SSE-C";
        }
        return switch (encryption.algorithm() == null ? "AES256" : encryption.algorithm()) {
            case "aws:kms" -> "SSE-KMS";
            case "aws:kms:dsse" -> "DSSE-KMS";
            default -> "SSE-S3";
        };
    }
}
