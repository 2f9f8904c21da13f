package io.stratus.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which source queues may name a queue as their dead-letter queue: {@code allowAll} (the default),
 * {@code denyAll}, or {@code byQueue} with up to 10 source queue ARNs. Immutable.
 */
record RedriveAllowPolicy(String redrivePermission, List<String> sourceQueueArns) {

    RedriveAllowPolicy {
        sourceQueueArns = List.copyOf(sourceQueueArns);
    }

    static RedriveAllowPolicy parse(String text) {
        JsonNode node = RedrivePolicy.readObject(text, "RedriveAllowPolicy", "Amazon SQS can't create the redrive allow policy, as it's in an unsupported format.");
        String permission = node.path("redrivePermission").asText("");
        if (!permission.equals("allowAll") && !permission.equals("denyAll") && !permission.equals("byQueue")) {
            throw invalid(text, "Amazon SQS can't create the redrive allow policy, as it's in an unsupported format.");
        }
        List<String> sources = new ArrayList<>();
        JsonNode arns = node.get("sourceQueueArns");
        if (arns != null) {
            if (!arns.isArray() || !permission.equals("byQueue")) {
                throw invalid(text, "Amazon SQS can't create the redrive allow policy, as it's in an unsupported format.");
            }
            arns.forEach(arn -> sources.add(arn.asText()));
        }
        if (permission.equals("byQueue") && (sources.isEmpty() || sources.size() > 10)) {
            throw invalid(text, "Amazon SQS can't create the redrive allow policy, as it's in an unsupported format.");
        }
        return new RedriveAllowPolicy(permission, sources);
    }

    boolean allows(String sourceQueueArn) {
        return switch (redrivePermission) {
            case "allowAll" -> true;
            case "denyAll" -> false;
            default -> sourceQueueArns.contains(sourceQueueArn);
        };
    }

    String toJson() {
        ObjectNode node = RedrivePolicy.JSON.createObjectNode();
        node.put("redrivePermission", redrivePermission);
        if (!sourceQueueArns.isEmpty()) {
            sourceQueueArns.forEach(node.putArray("sourceQueueArns")::add);
        }
        return node.toString();
    }

    private static AwsException invalid(String text, String reason) {
        return AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "Value %s for parameter RedriveAllowPolicy is invalid. Reason: %s", text, reason);
    }
}
