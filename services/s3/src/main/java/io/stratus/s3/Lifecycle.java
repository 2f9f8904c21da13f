package io.stratus.s3;

import io.stratus.core.AwsException;
import io.stratus.protocol.codec.TimestampFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A bucket's lifecycle configuration: rules that move current objects and noncurrent versions to
 * other storage classes, expire current objects, noncurrent versions and lone delete markers, and
 * abort stale multipart uploads, checked as S3 checks them. Immutable.
 */
record Lifecycle(List<Rule> rules) {

    private static final int MAX_RULES = 1000;
    /** The most noncurrent versions a rule may keep ({@code NewerNoncurrentVersions}). */
    private static final int MAX_NEWER_NONCURRENT_VERSIONS = 100;

    /**
     * One rule; a null action is not part of it.
     *
     * @param expirationDays current objects expire this many days after creation (at the next midnight UTC)
     * @param expirationDate current objects expire from this midnight UTC on
     * @param expiredObjectDeleteMarker whether a delete marker that is a key's only version goes
     * @param noncurrentDays noncurrent versions go this many days after becoming noncurrent
     * @param newerNoncurrentVersions with {@code noncurrentDays}: only versions with at least this many newer noncurrent ones go
     * @param abortAfterDays incomplete multipart uploads are aborted this many days after they began
     * @param transitions when current objects move to which storage class
     * @param noncurrentTransitions when noncurrent versions move to which storage class (days after becoming noncurrent)
     */
    record Rule(String id, boolean enabled, String prefix, Map<String, String> tags, Long sizeGreaterThan, Long sizeLessThan,
            Integer expirationDays, Instant expirationDate, boolean expiredObjectDeleteMarker, Integer noncurrentDays,
            Integer newerNoncurrentVersions, Integer abortAfterDays, List<Transition> transitions, List<Transition> noncurrentTransitions) {

        Rule {
            prefix = prefix == null ? "" : prefix;
            tags = Map.copyOf(tags);
            transitions = List.copyOf(transitions);
            noncurrentTransitions = List.copyOf(noncurrentTransitions);
        }

        /**
         * The storage class a version should be in at {@code now} by this rule's transitions, counted
         * from {@code sinceMillis} (its creation, or for a noncurrent version when it became
         * noncurrent, {@code newerNoncurrent} of them newer than it): the coldest one whose time has
         * come; null when none has. Objects under 128 KiB stay where they are unless the rule's filter
         * names a smaller {@code ObjectSizeGreaterThan}, as S3 keeps them by default since 2024.
         *
         * @param newerNoncurrent for a noncurrent version, how many noncurrent versions are newer; -1 for a current object
         */
        String transitionedClass(StoredObject version, long sinceMillis, Instant now, int newerNoncurrent) {
            boolean noncurrent = newerNoncurrent >= 0;
            if (version.size() < TRANSITION_MINIMUM_BYTES && sizeGreaterThan == null) {
                return null;
            }
            String coldest = null;
            for (Transition transition : noncurrent ? noncurrentTransitions : transitions) {
                Instant due = transition.date() != null ? transition.date() : afterDays(sinceMillis, transition.days());
                boolean enoughNewer = transition.newerNoncurrentVersions() == null || newerNoncurrent >= transition.newerNoncurrentVersions();
                if (!due.isAfter(now) && enoughNewer && (coldest == null || coldness(transition.storageClass()) > coldness(coldest))) {
                    coldest = transition.storageClass();
                }
            }
            return coldest;
        }

        /** Whether the rule's filter selects this object. */
        boolean selects(StoredObject object) {
            return object.key().startsWith(prefix)
                    && tags.entrySet().stream().allMatch(tag -> tag.getValue().equals(object.tags().get(tag.getKey())))
                    && (sizeGreaterThan == null || object.size() > sizeGreaterThan)
                    && (sizeLessThan == null || object.size() < sizeLessThan);
        }

        /** When an object created at {@code createdMillis} expires, or null when the rule does not expire objects. */
        Instant expiry(long createdMillis) {
            if (expirationDate != null) {
                return expirationDate;
            }
            return expirationDays == null ? null : afterDays(createdMillis, expirationDays);
        }
    }

    /**
     * One move to another storage class.
     *
     * @param days days after the object's creation (a noncurrent version's: after it became noncurrent), or null
     * @param date the midnight UTC from which objects move, or null
     */
    record Transition(Integer days, Instant date, String storageClass, Integer newerNoncurrentVersions) {}

    /** The smallest object S3's lifecycle moves by default (unless a rule's filter names a size). */
    static final long TRANSITION_MINIMUM_BYTES = 128 * 1024;

    /** The storage classes a lifecycle rule may move objects to, warmest first: a move only ever goes colder. */
    private static final List<String> TRANSITION_CLASSES = List.of("INTELLIGENT_TIERING", "STANDARD_IA", "ONEZONE_IA", "GLACIER_IR", "GLACIER",
            "DEEP_ARCHIVE");

    /** How cold a storage class is: STANDARD (and any class a rule cannot move to) 0, DEEP_ARCHIVE the coldest. */
    static int coldness(String storageClass) {
        return storageClass == null ? 0 : TRANSITION_CLASSES.indexOf(storageClass) + 1;
    }

    /**
     * When a rule expires an object, as the {@code x-amz-expiration} header tells it.
     *
     * @param date the midnight UTC from which the object is expired
     * @param ruleId the rule's ID
     */
    record Expiration(Instant date, String ruleId) {

        /** {@code expiry-date="<HTTP date>", rule-id="<URL-encoded ID>"}, as S3 writes it. */
        String header() {
            return "expiry-date=\"" + TimestampFormat.HTTP_DATE.format(date) + "\", rule-id=\"" + java.net.URLEncoder.encode(ruleId, java.nio.charset.StandardCharsets.UTF_8) + "\"";
        }
    }

    /** When the enabled rules that select a current object expire it: the earliest of their expiries. */
    Optional<Expiration> expiration(StoredObject current) {
        return rules.stream()
                .filter(rule -> rule.enabled() && !current.deleteMarker() && rule.selects(current))
                .flatMap(rule -> Optional.ofNullable(rule.expiry(current.lastModifiedMillis())).map(date -> new Expiration(date, rule.id())).stream())
                .min(Comparator.comparing(Expiration::date));
    }

    /** S3 counts days from the event and rounds up to the next midnight UTC. */
    static Instant afterDays(long millis, int days) {
        return Instant.ofEpochMilli(millis).plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    }

    Lifecycle {
        rules = List.copyOf(rules);
    }

    /**
     * Reads and checks a {@code LifecycleConfiguration} document a client sends.
     *
     * @throws AwsException {@code MalformedXML}, {@code InvalidArgument} or {@code InvalidRequest} as S3 answers
     *     a configuration it refuses
     */
    static Lifecycle check(byte[] document) {
        return parse(document, true);
    }

    /**
     * Reads a stored {@code LifecycleConfiguration}: checked as it was when it was stored, so a
     * configuration an earlier Stratus took (before the checks of {@link #check} that came later)
     * still reads, rather than failing every request that reads the bucket's rules.
     */
    static Lifecycle parse(byte[] document) {
        return parse(document, false);
    }

    private static Lifecycle parse(byte[] document, boolean strict) {
        List<Rule> rules = XmlDocuments.children(document, "LifecycleConfiguration", (reader, element) -> {
            if (!element.equals("Rule")) {
                throw malformed();
            }
            return rule(reader, strict);
        });
        if (rules.isEmpty()) {
            throw malformed();
        }
        if (rules.size() > MAX_RULES) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "The number of lifecycle rules should not exceed allowed limit of %d rules", MAX_RULES);
        }
        Set<String> ids = new HashSet<>();
        for (Rule rule : rules) {
            if (!ids.add(rule.id())) {
                throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Rule ID must be unique. Found same ID for more than one rule");
            }
        }
        return new Lifecycle(rules);
    }

    /**
     * Reads one {@code Rule}, the reader on its start element; leaves it on its end.
     *
     * @param strict whether to check what Stratus began checking on 2026-12-04 (one condition directly
     *     in a Filter, an action that says when, no tag key twice)
     */
    private static Rule rule(XMLStreamReader reader, boolean strict) throws XMLStreamException {
        String id = null;
        String status = null;
        String prefix = null;
        Map<String, String> tags = new LinkedHashMap<>();
        Long greater = null;
        Long less = null;
        Integer days = null;
        Instant date = null;
        boolean deleteMarker = false;
        Integer noncurrentDays = null;
        Integer abortDays = null;
        boolean anyAction = false;
        String tagKey = null;
        List<Transition> transitions = new java.util.ArrayList<>();
        List<Transition> noncurrentTransitions = new java.util.ArrayList<>();
        // The transition being read: its days (or noncurrent days), date and storage class.
        Integer transitionDays = null;
        Instant transitionDate = null;
        String transitionClass = null;
        Integer transitionNewer = null;
        Integer newerVersions = null;
        // The elements holding others, innermost last; and how many conditions a Filter holds directly (one at most, else And).
        java.util.Deque<String> containers = new java.util.ArrayDeque<>();
        int filterConditions = 0;
        boolean actionSaysWhen = false;
        int depth = 1;
        while (depth > 0) {
            int event = reader.next();
            if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
                String ended = reader.getLocalName();
                if (ended.equals("Tag") && tagKey != null) {
                    tagKey = null;
                }
                if (ended.equals("Transition") || ended.equals("NoncurrentVersionTransition")) {
                    boolean noncurrent = ended.equals("NoncurrentVersionTransition");
                    (noncurrent ? noncurrentTransitions : transitions).add(transition(transitionDays, transitionDate, transitionClass, transitionNewer,
                            noncurrent));
                    transitionDays = null;
                    transitionDate = null;
                    transitionClass = null;
                    transitionNewer = null;
                }
                if (!containers.isEmpty()) {
                    containers.removeLast();
                }
                // An action must say when: an empty one is not S3's schema.
                if (strict && ACTIONS.contains(ended) && !actionSaysWhen) {
                    throw malformed();
                }
                continue;
            }
            if (event != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            String name = reader.getLocalName();
            actionSaysWhen |= !containers.isEmpty() && ACTIONS.contains(containers.peekLast());
            if (strict && "Filter".equals(containers.peekLast()) && List.of("Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan").contains(name)
                    && ++filterConditions > 1) {
                throw malformed(); // several conditions go in an And
            }
            switch (name) {
                case "Filter", "And", "Tag" -> {
                    depth++;
                    containers.addLast(name);
                }
                case "Expiration", "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload", "Transition", "NoncurrentVersionTransition" -> {
                    depth++;
                    containers.addLast(name);
                    anyAction = true;
                    actionSaysWhen = false;
                }
                case "StorageClass" -> {
                    if (!"Transition".equals(containers.peekLast()) && !"NoncurrentVersionTransition".equals(containers.peekLast())) {
                        throw malformed();
                    }
                    transitionClass = reader.getElementText().strip();
                }
                case "ID" -> {
                    id = reader.getElementText().strip();
                    if (id.length() > 255) {
                        throw AwsException.of(S3Errors.INVALID_ARGUMENT, "ID length should not exceed allowed limit of 255");
                    }
                }
                case "Status" -> status = reader.getElementText().strip();
                case "Prefix" -> prefix = reader.getElementText();
                case "Key" -> tagKey = reader.getElementText();
                case "Value" -> {
                    if (tagKey == null) {
                        throw malformed();
                    }
                    if (tags.put(tagKey, reader.getElementText()) != null && strict) {
                        throw AwsException.of(S3Errors.INVALID_REQUEST, "Duplicate Tag Keys are not allowed.");
                    }
                }
                case "ObjectSizeGreaterThan" -> greater = number(reader.getElementText());
                case "ObjectSizeLessThan" -> less = number(reader.getElementText());
                case "Days" -> {
                    if ("Transition".equals(containers.peekLast())) {
                        transitionDays = notNegative(reader.getElementText(), "'Days' for Transition action must be a non-negative integer");
                    } else {
                        days = positive(reader.getElementText(), "'Days' for Expiration action must be a positive integer");
                    }
                }
                case "Date" -> {
                    if ("Transition".equals(containers.peekLast())) {
                        transitionDate = midnight(reader.getElementText().strip());
                    } else {
                        date = midnight(reader.getElementText().strip());
                    }
                }
                case "ExpiredObjectDeleteMarker" -> deleteMarker = Boolean.parseBoolean(reader.getElementText().strip());
                case "NoncurrentDays" -> {
                    if ("NoncurrentVersionTransition".equals(containers.peekLast())) {
                        transitionDays = notNegative(reader.getElementText(),
                                "'NoncurrentDays' for NoncurrentVersionTransition action must be a non-negative integer");
                    } else {
                        noncurrentDays = positive(reader.getElementText(),
                                "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
                    }
                }
                case "NewerNoncurrentVersions" -> {
                    int newer = positive(reader.getElementText(), "'NewerNoncurrentVersions' for " + containers.peekLast()
                            + " action must be a positive integer");
                    if (newer > MAX_NEWER_NONCURRENT_VERSIONS) {
                        throw AwsException.of(S3Errors.INVALID_ARGUMENT, "'NewerNoncurrentVersions' for %s action must not exceed %d",
                                containers.peekLast(), MAX_NEWER_NONCURRENT_VERSIONS);
                    }
                    if ("NoncurrentVersionTransition".equals(containers.peekLast())) {
                        transitionNewer = newer;
                    } else if ("NoncurrentVersionExpiration".equals(containers.peekLast())) {
                        newerVersions = newer;
                    } else {
                        throw malformed();
                    }
                }
                case "DaysAfterInitiation" -> abortDays = positive(reader.getElementText(),
                        "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
                default -> throw malformed();
            }
        }
        if (status == null || !(status.equals("Enabled") || status.equals("Disabled"))) {
            throw malformed();
        }
        if (!anyAction) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "At least one action needs to be specified in a rule");
        }
        int expirations = (days != null ? 1 : 0) + (date != null ? 1 : 0) + (deleteMarker ? 1 : 0);
        if (expirations > 1) {
            throw malformed();
        }
        if (abortDays != null && !tags.isEmpty()) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "AbortIncompleteMultipartUpload cannot be specified with Tags.");
        }
        return new Rule(id == null || id.isEmpty() ? io.stratus.core.Ids.lowerAlphanumeric(16) : id, status.equals("Enabled"), prefix, tags,
                greater, less, days, date, deleteMarker, noncurrentDays, newerVersions, abortDays, transitions, noncurrentTransitions);
    }

    /**
     * A transition as read: a storage class a rule may move objects to, and when — days or a date,
     * not both (a noncurrent one: days); {@code STANDARD_IA} and {@code ONEZONE_IA} no sooner than 30
     * days, as S3 requires.
     */
    private static Transition transition(Integer days, Instant date, String storageClass, Integer newer, boolean noncurrent) {
        if (storageClass == null || !TRANSITION_CLASSES.contains(storageClass) || (days == null) == (date == null)) {
            throw malformed();
        }
        if (days != null && days < 30 && (storageClass.equals("STANDARD_IA") || storageClass.equals("ONEZONE_IA"))) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, noncurrent
                    ? "'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass '%s'"
                    : "'Days' in Transition action must be greater than or equal to 30 for storageClass '%s'", storageClass);
        }
        return new Transition(days, date, storageClass, newer);
    }

    private static int notNegative(String text, String message) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Falls through to the error.
        }
        throw AwsException.of(S3Errors.INVALID_ARGUMENT, message);
    }

    private static Long number(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw malformed();
        }
    }

    private static int positive(String text, String message) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Falls through to the error.
        }
        throw AwsException.of(S3Errors.INVALID_ARGUMENT, message);
    }

    private static Instant midnight(String text) {
        try {
            Instant date = Instant.parse(text.length() == 10 ? text + "T00:00:00Z" : text);
            if (!date.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT)) {
                throw AwsException.of(S3Errors.INVALID_ARGUMENT, "'Date' must be at midnight GMT");
            }
            return date;
        } catch (DateTimeParseException e) {
            throw malformed();
        }
    }

    /** The actions a rule may hold, each with what says when it applies. */
    private static final Set<String> ACTIONS = Set.of("Expiration", "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload", "Transition",
            "NoncurrentVersionTransition");

    private static AwsException malformed() {
        return XmlDocuments.malformed();
    }
}
