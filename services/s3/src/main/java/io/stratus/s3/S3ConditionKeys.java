package io.stratus.s3;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.protocol.shape.Binding;
import io.stratus.protocol.shape.MemberNaming;
import io.stratus.protocol.shape.MemberShape;
import io.stratus.protocol.shape.StructureShape;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * S3's own condition keys of a request, for bucket policies: the request headers S3 names as keys
 * ({@code s3:x-amz-acl}, {@code s3:x-amz-server-side-encryption}, {@code s3:x-amz-copy-source}, …,
 * each {@code s3:} and the header's name), a listing's {@code s3:prefix}, {@code s3:delimiter} and
 * {@code s3:max-keys}, {@code s3:VersionId}, and how a signed request was signed ({@code s3:authType}
 * {@code REST-HEADER}, {@code REST-QUERY-STRING} or {@code POST}, {@code s3:signatureversion},
 * {@code s3:signatureAge} in milliseconds), the Object Lock a write or retention asks for
 * ({@code s3:object-lock-mode}, {@code -retain-until-date}, {@code -remaining-retention-days},
 * {@code -legal-hold}), the TLS version of a request over HTTPS
 * ({@code s3:TlsVersion}, {@code 1.2} or {@code 1.3}), and the tags a request sets on an object
 * ({@code s3:RequestObjectTag/<key>}, {@code s3:RequestObjectTagKeys}: from {@code x-amz-tagging},
 * PutObjectTagging's tag set, a form's {@code tagging}); each present when the request has it (an
 * empty {@code prefix=} included, as the console and the CLI send it to list a bucket's top). Read
 * from the operation's input through its bindings, so every operation that takes the header has the
 * key. Stateless.
 */
final class S3ConditionKeys {

    /** The headers whose values are condition keys of their own. */
    private static final Set<String> HEADERS = Set.of("x-amz-acl", "x-amz-copy-source", "x-amz-metadata-directive",
            "x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id", "x-amz-storage-class",
            "x-amz-website-redirect-location", "x-amz-content-sha256", "x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp",
            "x-amz-grant-write-acp", "x-amz-grant-full-control");
    private static final String TAGGING_HEADER = "x-amz-tagging";
    private static final String LOCK_HEADER = "x-amz-object-lock-";
    private static final Map<String, String> QUERY = Map.of("prefix", "s3:prefix", "delimiter", "s3:delimiter", "max-keys", "s3:max-keys",
            "versionId", "s3:VersionId");

    /** The prefix of the keys that name an object's own tags. */
    static final String EXISTING_TAG = "s3:ExistingObjectTag/";

    private S3ConditionKeys() {}

    static Map<String, List<String>> of(RequestContext context, Object input) {
        Map<String, List<String>> keys = new HashMap<>();
        RequestContext.Signing signing = context.signing();
        if (signing != null) {
            keys.put("s3:authType", List.of(switch (signing.form()) {
                case HEADER -> "REST-HEADER";
                case QUERY -> "REST-QUERY-STRING";
                case FORM -> "POST";
            }));
            keys.put("s3:signatureversion", List.of(signing.algorithm()));
            keys.put("s3:signatureAge", List.of(Long.toString(Math.max(0, Duration.between(signing.signedAt(), context.receivedAt()).toMillis()))));
        }
        String tls = context.connection().tlsVersion();
        if (tls != null) {
            keys.put("s3:TlsVersion", List.of(tls.startsWith("TLSv") ? tls.substring(4) : tls));
        }
        if (input instanceof TaggingOperations.ObjectTaggingRequest tagging && tagging.tagging() != null) {
            requestTags(keys, () -> ObjectKeys.tagMap(tagging.tagging().tagSet(), true));
        }
        if (input instanceof ObjectLockOperations.RetentionRequest retention && retention.retention() != null) {
            lock(keys, "s3:object-lock-mode", retention.retention().mode());
            lock(keys, "s3:object-lock-retain-until-date", retention.retention().retainUntilDate());
        }
        if (input instanceof ObjectLockOperations.LegalHoldRequest hold && hold.legalHold() != null) {
            lock(keys, "s3:object-lock-legal-hold", hold.legalHold().status());
        }
        if (input == null || !StructureShape.isStructure(input.getClass())) {
            return keys;
        }
        for (MemberShape member : StructureShape.of(input.getClass(), MemberNaming.PASCAL_CASE).members()) {
            if (member.binding() == Binding.HEADER || member.binding() == Binding.QUERY || member.binding() == Binding.PREFIX_HEADERS) {
                add(keys, member, member.get(input));
            }
        }
        remainingDays(keys, context);
        return keys;
    }

    /**
     * The keys of a browser form's upload: how it was signed, and its fields named as the headers
     * S3 names as keys ({@code acl} as {@code x-amz-acl}).
     */
    static Map<String, List<String>> ofForm(RequestContext context, Map<String, String> fields) {
        Map<String, List<String>> keys = of(context, null);
        fields.forEach((name, value) -> {
            String header = name.equals("acl") ? "x-amz-acl" : name;
            if (HEADERS.contains(header)) {
                keys.put("s3:" + header, List.of(value));
            }
        });
        if (fields.containsKey("tagging")) {
            requestTags(keys, () -> PostForms.tags(fields.get("tagging")));
        }
        return keys;
    }

    /** {@code s3:ExistingObjectTag/<key>} of each tag an object has. */
    static Map<String, List<String>> existingTags(Map<String, String> tags) {
        Map<String, List<String>> keys = new HashMap<>();
        tags.forEach((key, value) -> keys.put(EXISTING_TAG + key, List.of(value)));
        return keys;
    }

    /**
     * Adds an Object Lock key a request sets: {@code s3:object-lock-mode}, {@code -legal-hold},
     * {@code -retain-until-date} (and from it, once all keys are in, {@code s3:object-lock-remaining-retention-days}).
     */
    private static void lock(Map<String, List<String>> keys, String key, String value) {
        if (value != null) {
            keys.put(key, List.of(value));
        }
    }

    /** {@code s3:object-lock-remaining-retention-days}: whole days from the request's arrival to its retain-until date, rounded up. */
    private static void remainingDays(Map<String, List<String>> keys, RequestContext context) {
        List<String> until = keys.get("s3:object-lock-retain-until-date");
        if (until == null) {
            return;
        }
        try {
            long millis = java.time.Instant.parse(until.getFirst().trim()).toEpochMilli() - context.receivedAt().toEpochMilli();
            long days = Math.max(0, Math.ceilDiv(millis, Duration.ofDays(1).toMillis()));
            keys.put("s3:object-lock-remaining-retention-days", List.of(Long.toString(days)));
        } catch (java.time.format.DateTimeParseException e) {
            // Not a date: the operation answers it.
        }
    }

    /**
     * Adds the tags a request sets: {@code s3:RequestObjectTag/<key>} for each, and their keys as
     * {@code s3:RequestObjectTagKeys}. Tags S3 would refuse add nothing: the operation answers them.
     */
    private static void requestTags(Map<String, List<String>> keys, Supplier<Map<String, String>> tags) {
        Map<String, String> requested;
        try {
            requested = tags.get();
        } catch (AwsException e) {
            return;
        }
        requested.forEach((key, value) -> keys.put("s3:RequestObjectTag/" + key, List.of(value)));
        if (!requested.isEmpty()) {
            keys.put("s3:RequestObjectTagKeys", List.copyOf(requested.keySet()));
        }
    }

    private static void add(Map<String, List<String>> keys, MemberShape member, Object value) {
        if (value == null) {
            return;
        }
        String name = member.bindingName();
        switch (member.binding()) {
            case HEADER -> {
                String header = name.toLowerCase(Locale.ROOT);
                if (HEADERS.contains(header)) {
                    keys.put("s3:" + header, List.of(value.toString()));
                } else if (header.equals(TAGGING_HEADER)) {
                    requestTags(keys, () -> ObjectKeys.tagsFromHeader(value.toString()));
                } else if (header.startsWith(LOCK_HEADER)) {
                    lock(keys, "s3:object-lock-" + header.substring(LOCK_HEADER.length()), value.toString());
                }
            }
            case QUERY -> {
                String key = QUERY.get(name);
                if (key != null) {
                    keys.put(key, List.of(value.toString()));
                }
            }
            case PREFIX_HEADERS -> {
                if (value instanceof Map<?, ?> headers) {
                    headers.forEach((suffix, text) -> {
                        String header = (name + suffix).toLowerCase(Locale.ROOT);
                        if (HEADERS.contains(header) && text != null) {
                            keys.put("s3:" + header, List.of(text.toString()));
                        }
                    });
                }
            }
            default -> {
                // Not a key.
            }
        }
    }
}
