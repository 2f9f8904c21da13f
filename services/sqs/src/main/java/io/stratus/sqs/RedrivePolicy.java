package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import java.io.IOException;

/**
 * A queue's dead-letter settings: after {@code maxReceiveCount} receives, the next receive moves
 * the message to {@code deadLetterTargetArn} instead. Immutable.
 */
record RedrivePolicy(String deadLetterTargetArn, int maxReceiveCount) {

    static final ObjectMapper JSON = new ObjectMapper();

    RedrivePolicy {
        requireNonNull(deadLetterTargetArn, "deadLetterTargetArn is null");
    }

    /** Reads the RedrivePolicy attribute; {@code maxReceiveCount} may be a number or a string, as AWS accepts. */
    static RedrivePolicy parse(String text) {
        JsonNode node = readObject(text, "RedrivePolicy", "Redrive policy is not a valid JSON map.");
        JsonNode target = node.get("deadLetterTargetArn");
        if (target == null || !target.isTextual()) {
            throw invalid(text, "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
        }
        JsonNode count = node.get("maxReceiveCount");
        if (count == null) {
            throw invalid(text, "Redrive policy does not contain mandatory attribute: maxReceiveCount.");
        }
        int maxReceiveCount;
        try {
            maxReceiveCount = count.isNumber() ? count.intValue() : Integer.parseInt(count.asText().trim());
        } catch (NumberFormatException e) {
            throw invalid(text, "Invalid value for maxReceiveCount: " + count.asText() + ", valid values are from 1 to 1000 both inclusive.");
        }
        if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
            throw invalid(text, "Invalid value for maxReceiveCount: " + maxReceiveCount + ", valid values are from 1 to 1000 both inclusive.");
        }
        try {
            Arn arn = Arn.parse(target.asText());
            if (!arn.service().equals("sqs")) {
                throw invalid(text, "Invalid deadLetterTargetArn.");
            }
        } catch (IllegalArgumentException e) {
            throw invalid(text, "Invalid deadLetterTargetArn.");
        }
        return new RedrivePolicy(target.asText(), maxReceiveCount);
    }

    Arn target() {
        return Arn.parse(deadLetterTargetArn);
    }

    String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("deadLetterTargetArn", deadLetterTargetArn);
        node.put("maxReceiveCount", maxReceiveCount);
        return node.toString();
    }

    static JsonNode readObject(String text, String parameter, String reason) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // Falls through to the error below.
        }
        throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "Value %s for parameter %s is invalid. Reason: %s", text, parameter, reason);
    }

    static AwsException invalid(String text, String reason) {
        return AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "Value %s for parameter RedrivePolicy is invalid. Reason: %s", text, reason);
    }
}
