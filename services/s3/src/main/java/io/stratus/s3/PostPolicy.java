package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.AwsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The policy of a browser POST upload: a base64 JSON document with an {@code expiration} and
 * {@code conditions} that every form field must satisfy ({@code eq}, {@code starts-with}, and
 * {@code content-length-range} for the file's size). Immutable.
 *
 * @param conditions the field conditions, field names lower-cased without the {@code $}
 * @param lengthRange the file's allowed size, if the policy bounds it
 */
record PostPolicy(Instant expiration, List<Match> conditions, Optional<LengthRange> lengthRange) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields the policy need not name, as S3 exempts them. */
    private static final Set<String> UNCONDITIONED = Set.of("policy", "x-amz-signature", "file", "awsaccesskeyid", "signature");

    PostPolicy {
        requireNonNull(expiration, "expiration is null");
        conditions = List.copyOf(conditions);
        requireNonNull(lengthRange, "lengthRange is null");
    }

    /** An {@code eq} or {@code starts-with} condition on one field. */
    record Match(String operation, String field, String value) {

        boolean holds(String actual) {
            String given = actual == null ? "" : actual;
            return operation.equals("eq") ? given.equals(value) : given.startsWith(value);
        }

        /** As S3 quotes a failed condition. */
        String describe() {
            return "[\"" + operation + "\", \"$" + field + "\", \"" + value + "\"]";
        }
    }

    /** A {@code content-length-range}: the file's size in bytes, both ends included. */
    record LengthRange(long min, long max) {}

    /** Decodes and checks the form's {@code policy} field. */
    static PostPolicy parse(String base64) {
        JsonNode document;
        try {
            document = JSON.readTree(new String(Base64.getMimeDecoder().decode(base64.trim()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IOException e) {
            throw invalid("Invalid Policy: Invalid JSON.");
        }
        if (document == null || !document.isObject()) {
            throw invalid("Invalid Policy: Invalid JSON.");
        }
        JsonNode expirationNode = document.get("expiration");
        if (expirationNode == null) {
            throw invalid("Invalid Policy: Policy missing expiration.");
        }
        Instant expiration;
        try {
            expiration = Instant.parse(expirationNode.asText());
        } catch (DateTimeParseException e) {
            throw invalid("Invalid Policy: Invalid 'expiration' value: '" + expirationNode.asText() + "'");
        }
        JsonNode conditionsNode = document.get("conditions");
        if (conditionsNode == null) {
            throw invalid("Invalid Policy: Policy missing conditions.");
        }
        if (!conditionsNode.isArray()) {
            throw invalid("Invalid Policy: Invalid 'conditions' value.");
        }
        List<Match> matches = new ArrayList<>();
        Optional<LengthRange> range = Optional.empty();
        for (JsonNode condition : conditionsNode) {
            if (condition.isObject()) {
                if (condition.size() != 1) {
                    throw invalid("Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
                }
                Map.Entry<String, JsonNode> entry = condition.fields().next();
                if (!entry.getValue().isValueNode()) {
                    throw invalid("Invalid Policy: Invalid Simple-Condition: value must be a string.");
                }
                matches.add(new Match("eq", entry.getKey().toLowerCase(Locale.ROOT), entry.getValue().asText()));
            } else if (condition.isArray() && condition.size() > 0) {
                String operation = condition.get(0).asText().toLowerCase(Locale.ROOT);
                if (operation.equals("content-length-range")) {
                    if (condition.size() != 3 || !condition.get(1).canConvertToLong() || !condition.get(2).canConvertToLong()) {
                        throw invalid("Invalid Policy: Invalid content-length-range Condition: " + condition);
                    }
                    range = Optional.of(new LengthRange(condition.get(1).asLong(), condition.get(2).asLong()));
                } else if (operation.equals("eq") || operation.equals("starts-with")) {
                    if (condition.size() != 3 || !condition.get(1).asText().startsWith("$")) {
                        throw invalid("Invalid Policy: Invalid " + operation + " Condition: " + condition);
                    }
                    matches.add(new Match(operation, condition.get(1).asText().substring(1).toLowerCase(Locale.ROOT), condition.get(2).asText()));
                } else {
                    throw invalid("Invalid Policy: Invalid Condition: unknown operation '" + condition.get(0).asText() + "'.");
                }
            } else {
                throw invalid("Invalid Policy: Invalid Condition: " + condition);
            }
        }
        return new PostPolicy(expiration, matches, range);
    }

    /**
     * Checks the policy against the request, as S3 does: not expired, every condition met, and no
     * field the policy does not name.
     *
     * @param fields the form's fields before the file, names lower-cased
     * @param bucket the bucket the form was posted to
     */
    void check(Instant now, Map<String, String> fields, String bucket) {
        if (!now.isBefore(expiration)) {
            throw denied("Invalid according to Policy: Policy expired.");
        }
        for (Match condition : conditions) {
            String actual = condition.field().equals("bucket") ? bucket : fields.get(condition.field());
            if (!condition.holds(actual)) {
                throw denied("Invalid according to Policy: Policy Condition failed: " + condition.describe());
            }
        }
        List<String> extra = fields.keySet().stream()
                .filter(name -> !UNCONDITIONED.contains(name) && !name.startsWith("x-ignore-"))
                .filter(name -> conditions.stream().noneMatch(c -> c.field().equals(name)))
                .toList();
        if (!extra.isEmpty()) {
            throw denied("Invalid according to Policy: Extra input fields: " + String.join(", ", extra));
        }
    }

    private static AwsException invalid(String message) {
        return new AwsException(S3Errors.INVALID_POLICY_DOCUMENT, message);
    }

    private static AwsException denied(String message) {
        return new AwsException(S3Errors.ACCESS_DENIED, message);
    }
}
