package io.stratus.s3;

import io.stratus.core.AwsException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A bucket's replication configuration, as PutBucketReplication's {@code ReplicationConfiguration}
 * gives it: rules that copy new objects (and delete markers) to another bucket. Rules of the first
 * schema name a {@code Prefix} and always replicate delete markers; rules of the second have a
 * {@code Filter}, a {@code Priority} and say whether delete markers go ({@code DeleteMarkerReplication}).
 * Immutable.
 */
record BucketReplication(String role, List<Rule> rules) {

    static final int MAX_RULES = 1000;
    private static final String SCHEMA_HINT = " for this version of Cross Region Replication configuration schema. "
            + "Please refer to S3 Developer Guide for more information.";

    /**
     * One rule: which objects (a key prefix, and for the second schema tags every one of which the
     * object must have) go to which bucket.
     *
     * @param storageClass the replicas' storage class as the rule names it ({@code STANDARD}, …), or null for the source object's
     * @param account the destination's owner as the rule names it, or null
     * @param filtered whether the rule is of the second schema ({@code Filter})
     */
    record Rule(String id, int priority, boolean enabled, String prefix, Map<String, String> tags, String destinationBucket, String account,
            String storageClass, boolean deleteMarkers, boolean filtered) {

        /** The storage class of {@code source}'s replica, as a record keeps it (null: {@code STANDARD}). */
        String replicaStorageClass(StoredObject source) {
            return storageClass == null ? source.storageClass() : ObjectKeys.storageClass(storageClass);
        }

        boolean selects(StoredObject object) {
            if (!enabled || !object.key().startsWith(prefix)) {
                return false;
            }
            if (object.deleteMarker()) {
                return deleteMarkers;
            }
            return tags.entrySet().stream().allMatch(tag -> tag.getValue().equals(object.tags().get(tag.getKey())));
        }
    }

    /** The rule that replicates {@code object}: of those that select it, the one of the highest priority; else null. */
    Rule ruleFor(StoredObject object) {
        return rules.stream().filter(rule -> rule.selects(object)).max(Comparator.comparingInt(Rule::priority)).orElse(null);
    }

    /**
     * Reads a {@code ReplicationConfiguration}.
     *
     * @throws AwsException {@code MalformedXML} for a document that is not one (no {@code Role}, no
     *     rules, a rule without {@code Status} or {@code Destination}), {@code InvalidRequest} for a
     *     rule that mixes the two schemas' elements, {@code InvalidArgument} for too many rules or
     *     duplicate ids, {@code NotImplemented} for what Stratus does not do (replication time
     *     control, metrics, KMS-encrypted objects, replica modifications, existing objects)
     */
    static BucketReplication parse(byte[] document) {
        Element root = XmlDocuments.root(document, "ReplicationConfiguration");
        String role = XmlDocuments.text(root, "Role");
        if (role == null || role.isEmpty()) {
            throw XmlDocuments.malformed();
        }
        List<Rule> rules = new ArrayList<>();
        for (Element rule : elements(root, "Rule")) {
            rules.add(rule(rule, rules.size()));
        }
        if (rules.isEmpty()) {
            throw XmlDocuments.malformed();
        }
        if (rules.size() > MAX_RULES) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Number of rules in the replication configuration cannot exceed %d", MAX_RULES);
        }
        if (rules.stream().map(Rule::id).distinct().count() < rules.size()) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Rule Id must be unique");
        }
        return new BucketReplication(role, List.copyOf(rules));
    }

    private static Rule rule(Element rule, int index) {
        String id = XmlDocuments.text(rule, "ID");
        if (id == null || id.isEmpty()) {
            id = "rule-" + (index + 1);
        } else if (id.length() > 255) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "The ID field cannot be longer than 255 characters");
        }
        String status = XmlDocuments.text(rule, "Status");
        if (!"Enabled".equals(status) && !"Disabled".equals(status)) {
            throw XmlDocuments.malformed();
        }
        Element filter = XmlDocuments.child(rule, "Filter");
        String legacyPrefix = XmlDocuments.text(rule, "Prefix");
        Element deleteMarkerReplication = XmlDocuments.child(rule, "DeleteMarkerReplication");
        String priorityText = XmlDocuments.text(rule, "Priority");
        boolean filtered = filter != null;
        if (filtered && legacyPrefix != null) {
            throw XmlDocuments.malformed();
        }
        if (!filtered && deleteMarkerReplication != null) {
            throw invalid("DeleteMarkerReplication cannot be used" + SCHEMA_HINT);
        }
        if (filtered && deleteMarkerReplication == null) {
            throw invalid("DeleteMarkerReplication must be specified" + SCHEMA_HINT);
        }
        if (filtered && priorityText == null) {
            throw invalid("Priority must be specified" + SCHEMA_HINT);
        }
        int priority;
        try {
            priority = priorityText == null ? 0 : Integer.parseInt(priorityText.strip());
        } catch (NumberFormatException e) {
            throw XmlDocuments.malformed();
        }
        String prefix = legacyPrefix == null ? "" : legacyPrefix;
        Map<String, String> tags = new LinkedHashMap<>();
        if (filtered) {
            prefix = filter(filter, tags);
        }
        boolean deleteMarkers = !filtered || "Enabled".equals(XmlDocuments.text(deleteMarkerReplication, "Status"));
        if (filtered && !deleteMarkers && !"Disabled".equals(XmlDocuments.text(deleteMarkerReplication, "Status"))) {
            throw XmlDocuments.malformed();
        }
        if (deleteMarkers && !tags.isEmpty()) {
            throw invalid("Delete marker replication is not supported if any Tag filter is specified.");
        }
        unsupported(rule);
        Element destination = XmlDocuments.child(rule, "Destination");
        String bucketArn = destination == null ? null : XmlDocuments.text(destination, "Bucket");
        if (bucketArn == null || bucketArn.isEmpty()) {
            throw XmlDocuments.malformed();
        }
        if (!bucketArn.startsWith("arn:aws:s3:::") || bucketArn.length() == "arn:aws:s3:::".length() || bucketArn.indexOf('/') >= 0) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Invalid bucket ARN: %s", bucketArn);
        }
        String storageClass = XmlDocuments.text(destination, "StorageClass");
        if (storageClass != null) {
            ObjectKeys.storageClass(storageClass); // checks it
        }
        return new Rule(id, priority, status.equals("Enabled"), prefix, Map.copyOf(tags), bucketArn.substring("arn:aws:s3:::".length()),
                XmlDocuments.text(destination, "Account"), storageClass, deleteMarkers, filtered);
    }

    /** A {@code Filter}: one {@code Prefix} or {@code Tag} directly, or several in an {@code And}; returns the prefix, adds the tags. */
    private static String filter(Element filter, Map<String, String> tags) {
        Element and = XmlDocuments.child(filter, "And");
        Element scope = and == null ? filter : and;
        String prefix = XmlDocuments.text(scope, "Prefix");
        for (Element tag : elements(scope, "Tag")) {
            String key = XmlDocuments.text(tag, "Key");
            String value = XmlDocuments.text(tag, "Value");
            if (key == null || value == null) {
                throw XmlDocuments.malformed();
            }
            if (tags.put(key, value) != null) {
                throw AwsException.of(S3Errors.INVALID_REQUEST, "Duplicate Tag Keys are not allowed.");
            }
        }
        if (and == null && prefix != null && !tags.isEmpty() || and == null && tags.size() > 1) {
            throw XmlDocuments.malformed();
        }
        return prefix == null ? "" : prefix;
    }

    /** What Stratus cannot do is refused rather than stored and ignored. */
    private static void unsupported(Element rule) {
        Element destination = XmlDocuments.child(rule, "Destination");
        if (destination != null) {
            requireOff(destination, "ReplicationTime", "S3 Replication Time Control");
            requireOff(destination, "Metrics", "replication metrics");
            if (XmlDocuments.child(destination, "EncryptionConfiguration") != null) {
                throw notImplemented("replicating into KMS-encrypted replicas (EncryptionConfiguration)");
            }
        }
        Element criteria = XmlDocuments.child(rule, "SourceSelectionCriteria");
        if (criteria != null) {
            requireOff(criteria, "SseKmsEncryptedObjects", "replicating KMS-encrypted objects");
            requireOff(criteria, "ReplicaModifications", "replica modification sync");
        }
        requireOff(rule, "ExistingObjectReplication", "replicating existing objects");
    }

    private static void requireOff(Element parent, String name, String what) {
        Element element = XmlDocuments.child(parent, name);
        if (element != null && "Enabled".equals(XmlDocuments.text(element, "Status"))) {
            throw notImplemented(what + " (" + name + ")");
        }
    }

    private static AwsException notImplemented(String what) {
        return AwsException.of(io.stratus.core.CommonErrors.NOT_IMPLEMENTED, "Stratus does not support %s yet.", what);
    }

    private static AwsException invalid(String message) {
        return AwsException.of(S3Errors.INVALID_REQUEST, message);
    }

    private static List<Element> elements(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getLocalName() != null ? element.getLocalName() : element.getTagName())) {
                found.add(element);
            }
        }
        return found;
    }
}
