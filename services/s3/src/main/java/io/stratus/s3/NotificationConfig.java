package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.Ids;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A bucket's notification configuration: which events of which keys go to which queue, function
 * or topic, and whether every event also goes to EventBridge. Parsed from and written back as S3's {@code NotificationConfiguration} document, and
 * checked as S3 checks it (known event types, at most one prefix and one suffix rule, no two
 * configurations sharing an event type over overlapping keys). Immutable.
 */
record NotificationConfig(List<Rule> rules, boolean eventBridge) {

    /** The kinds of destination, named as the document names them. */
    enum Kind {
        QUEUE("QueueConfiguration", "Queue"),
        FUNCTION("CloudFunctionConfiguration", "CloudFunction"),
        TOPIC("TopicConfiguration", "Topic");

        private final String element;
        private final String arnElement;

        Kind(String element, String arnElement) {
            this.element = element;
            this.arnElement = arnElement;
        }
    }

    /** One configuration: events of keys with {@code prefix} and {@code suffix} go to {@code target}. */
    record Rule(String id, Kind kind, Arn target, Set<String> events, String prefix, String suffix) {
        Rule {
            requireNonNull(id, "id is null");
            events = Set.copyOf(events);
            prefix = prefix == null ? "" : prefix;
            suffix = suffix == null ? "" : suffix;
        }

        /** Whether an event such as {@code ObjectCreated:Put} of {@code key} is for this rule. */
        boolean matches(String eventName, String key) {
            String full = "s3:" + eventName;
            String wildcard = full.substring(0, full.lastIndexOf(':')) + ":*";
            return (events.contains(full) || events.contains(wildcard)) && key.startsWith(prefix) && key.endsWith(suffix);
        }
    }

    static final NotificationConfig EMPTY = new NotificationConfig(List.of(), false);

    /** The event types S3 accepts in a configuration; Stratus emits all but the Replication, IntelligentTiering and RRS ones. */
    static final Set<String> EVENT_TYPES = Set.of(
            "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
            "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete",
            "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed",
            "s3:ObjectRestore:Delete", "s3:ReducedRedundancyLostObject", "s3:Replication:*", "s3:Replication:OperationFailedReplication",
            "s3:Replication:OperationNotTracked", "s3:Replication:OperationMissedThreshold",
            "s3:Replication:OperationReplicatedAfterThreshold", "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete",
            "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:LifecycleTransition", "s3:IntelligentTiering", "s3:ObjectTagging:*",
            "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete", "s3:ObjectAcl:Put");

    private static final XMLInputFactory XML = XMLInputFactory.newFactory();

    static {
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    NotificationConfig {
        rules = List.copyOf(rules);
    }

    /**
     * Reads and checks a document.
     *
     * @throws AwsException {@code MalformedXML} for a document that is not a configuration,
     *     {@code InvalidArgument} for one S3 refuses
     */
    static NotificationConfig parse(byte[] document) {
        List<Rule> rules = new ArrayList<>();
        boolean eventBridge = false;
        try {
            XMLStreamReader reader;
            synchronized (XML) {
                reader = XML.createXMLStreamReader(new ByteArrayInputStream(document));
            }
            try {
                int depth = 0;
                boolean sawRoot = false;
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.DTD) {
                        throw malformed();
                    }
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        depth++;
                        if (depth == 1) {
                            if (!reader.getLocalName().equals("NotificationConfiguration")) {
                                throw malformed();
                            }
                            sawRoot = true;
                        } else if (depth == 2) {
                            String name = reader.getLocalName();
                            if (name.equals("EventBridgeConfiguration")) {
                                // An empty element: its end comes next.
                                eventBridge = true;
                            } else {
                                rules.add(rule(reader, kindOf(name)));
                                depth--;
                            }
                        }
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        depth--;
                    }
                }
                if (!sawRoot) {
                    throw malformed();
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw malformed();
        }
        NotificationConfig config = new NotificationConfig(rules, eventBridge);
        config.checkOverlaps();
        return config;
    }

    private static Kind kindOf(String element) {
        for (Kind kind : Kind.values()) {
            if (kind.element.equals(element)) {
                return kind;
            }
        }
        throw malformed();
    }

    /** Reads one configuration element, the reader on its start; leaves the reader on its end. */
    private static Rule rule(XMLStreamReader reader, Kind kind) throws XMLStreamException {
        String id = null;
        String arn = null;
        Set<String> events = new LinkedHashSet<>();
        String prefix = null;
        String suffix = null;
        String ruleName = null;
        String ruleValue = null;
        int depth = 1;
        while (depth > 0) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                String name = reader.getLocalName();
                if (name.equals("Id") && depth == 2) {
                    id = reader.getElementText().strip();
                    depth--;
                } else if (name.equals(kind.arnElement) && depth == 2) {
                    arn = reader.getElementText().strip();
                    depth--;
                } else if (name.equals("Event") && depth == 2) {
                    String type = reader.getElementText().strip();
                    if (!EVENT_TYPES.contains(type)) {
                        throw AwsException.of(S3Errors.INVALID_ARGUMENT, "The event is not supported for notifications");
                    }
                    events.add(type);
                    depth--;
                } else if (name.equals("FilterRule")) {
                    ruleName = null;
                    ruleValue = null;
                } else if (name.equals("Name")) {
                    ruleName = reader.getElementText().strip();
                    depth--;
                } else if (name.equals("Value")) {
                    ruleValue = reader.getElementText();
                    depth--;
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
                if (reader.getLocalName().equals("FilterRule")) {
                    String normalized = ruleName == null ? "" : ruleName.toLowerCase(Locale.ROOT);
                    String value = ruleValue == null ? "" : ruleValue;
                    switch (normalized) {
                        case "prefix" -> {
                            if (prefix != null) {
                                throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Cannot specify more than one prefix rule in a filter.");
                            }
                            prefix = value;
                        }
                        case "suffix" -> {
                            if (suffix != null) {
                                throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Cannot specify more than one suffix rule in a filter.");
                            }
                            suffix = value;
                        }
                        default -> throw AwsException.of(S3Errors.INVALID_ARGUMENT, "filter rule name must be either prefix or suffix");
                    }
                }
            }
        }
        if (arn == null || events.isEmpty()) {
            throw malformed();
        }
        Arn target;
        try {
            target = Arn.parse(arn);
        } catch (IllegalArgumentException e) {
            throw unparseable(kind, arn);
        }
        String expectedService = switch (kind) {
            case QUEUE -> "sqs";
            case FUNCTION -> "lambda";
            case TOPIC -> "sns";
        };
        if (!target.service().equals(expectedService)) {
            throw unparseable(kind, arn);
        }
        return new Rule(id == null || id.isEmpty() ? Ids.lowerAlphanumeric(8) + "-" + Ids.lowerAlphanumeric(4) : id, kind, target, events,
                prefix, suffix);
    }

    /** S3's answer for a destination ARN that is not one of the configuration's kind: named by its element, as S3 names it. */
    private static AwsException unparseable(Kind kind, String arn) {
        Map<String, String> argument = new java.util.LinkedHashMap<>();
        argument.put("ArgumentName", kind.arnElement);
        argument.put("ArgumentValue", arn);
        return new AwsException(S3Errors.INVALID_ARGUMENT, "The ARN could not be parsed", argument, null);
    }

    /** Why S3 cannot use a destination that does not exist, in S3's words (a missing function reads as one S3 may not invoke). */
    static String missing(Rule rule) {
        return switch (rule.kind()) {
            case FUNCTION -> "Not authorized to invoke function [" + rule.target() + "]";
            case QUEUE -> "The destination queue does not exist";
            case TOPIC -> "The destination topic does not exist";
        };
    }

    /** Why S3 cannot use a destination whose resource policy does not let it send this bucket's events. */
    static String notAllowed(Rule rule) {
        return switch (rule.kind()) {
            case FUNCTION -> "Not authorized to invoke function [" + rule.target() + "]";
            case QUEUE -> "Permissions on the destination queue do not allow S3 to publish notifications from this bucket";
            case TOPIC -> "Permissions on the destination topic do not allow S3 to publish notifications from this bucket";
        };
    }

    /** S3's answer for destinations it cannot use: every one, numbered, with why (by destination ARN). */
    static AwsException unusable(Map<String, String> reasons) {
        Map<String, String> arguments = new java.util.LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, String> reason : reasons.entrySet()) {
            n++;
            arguments.put("ArgumentName" + n, reason.getKey());
            arguments.put("ArgumentValue" + n, reason.getValue());
        }
        return new AwsException(S3Errors.INVALID_ARGUMENT, "Unable to validate the following destination configurations", arguments, null);
    }

    private void checkOverlaps() {
        for (int i = 0; i < rules.size(); i++) {
            for (int j = i + 1; j < rules.size(); j++) {
                Rule a = rules.get(i);
                Rule b = rules.get(j);
                boolean keysOverlap = (a.prefix().startsWith(b.prefix()) || b.prefix().startsWith(a.prefix()))
                        && (a.suffix().endsWith(b.suffix()) || b.suffix().endsWith(a.suffix()));
                if (keysOverlap && shareAnEventType(a.events(), b.events())) {
                    throw AwsException.of(S3Errors.INVALID_ARGUMENT,
                            "Configurations overlap. Configurations on the same bucket cannot share a common event type.");
                }
            }
        }
    }

    private static boolean shareAnEventType(Set<String> a, Set<String> b) {
        for (String x : a) {
            for (String y : b) {
                if (x.equals(y) || covers(x, y) || covers(y, x)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a wildcard type such as {@code s3:ObjectCreated:*} covers {@code type}. */
    private static boolean covers(String wildcard, String type) {
        return wildcard.endsWith(":*") && type.startsWith(wildcard.substring(0, wildcard.length() - 1));
    }

    /** Whether nothing is configured: no rule, and EventBridge off. */
    boolean isEmpty() {
        return rules.isEmpty() && !eventBridge;
    }

    /** The configuration as S3 returns it, with every rule's id. */
    byte[] toXml() {
        StringBuilder xml = new StringBuilder("<NotificationConfiguration xmlns=\"").append(S3Service.XML_NAMESPACE).append("\">");
        for (Kind kind : Kind.values()) {
            for (Rule rule : rules) {
                if (rule.kind() != kind) {
                    continue;
                }
                xml.append('<').append(kind.element).append("><Id>").append(escape(rule.id())).append("</Id><")
                        .append(kind.arnElement).append('>').append(escape(rule.target().toString())).append("</").append(kind.arnElement).append('>');
                for (String event : rule.events().stream().sorted().toList()) {
                    xml.append("<Event>").append(event).append("</Event>");
                }
                if (!rule.prefix().isEmpty() || !rule.suffix().isEmpty()) {
                    xml.append("<Filter><S3Key>");
                    if (!rule.prefix().isEmpty()) {
                        xml.append("<FilterRule><Name>Prefix</Name><Value>").append(escape(rule.prefix())).append("</Value></FilterRule>");
                    }
                    if (!rule.suffix().isEmpty()) {
                        xml.append("<FilterRule><Name>Suffix</Name><Value>").append(escape(rule.suffix())).append("</Value></FilterRule>");
                    }
                    xml.append("</S3Key></Filter>");
                }
                xml.append("</").append(kind.element).append('>');
            }
        }
        if (eventBridge) {
            xml.append("<EventBridgeConfiguration></EventBridgeConfiguration>");
        }
        return xml.append("</NotificationConfiguration>").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static AwsException malformed() {
        return new AwsException(CommonErrors.MALFORMED_XML, "The XML you provided was not well-formed or did not validate against our published schema");
    }
}
