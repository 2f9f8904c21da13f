package io.stratus.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.protocol.policy.PolicyStatements;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The statements AddPermission and RemovePermission write into a queue's {@code Policy}
 * attribute, in the form AWS generates: one statement per label ({@code Sid}), allowing the named
 * accounts' roots the named {@code SQS:} actions on the queue. Statements written by hand with
 * SetQueueAttributes are kept as they are. Pure functions over the policy text.
 */
final class QueuePolicy {

    /** What AddPermission may grant; everything else is the queue owner's alone. */
    static final Set<String> GRANTABLE_ACTIONS = Set.of("*", "ChangeMessageVisibility", "DeleteMessage", "GetQueueAttributes",
            "GetQueueUrl", "ListDeadLetterSourceQueues", "ListQueueTags", "PurgeQueue", "ReceiveMessage", "SendMessage");

    static final int MAX_ACTIONS = 7;
    static final int MAX_STATEMENTS = 20;

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private QueuePolicy() {}

    /** The policy text with a statement {@code label} added, from {@code current} (null when the queue has none). */
    static String addStatement(String current, Arn queue, String label, List<String> accounts, List<String> actions) {
        checkLabel(label);
        if (accounts == null || accounts.isEmpty()) {
            throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter AWSAccountIds.");
        }
        if (actions == null || actions.isEmpty()) {
            throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter Actions.");
        }
        if (actions.size() > MAX_ACTIONS) {
            throw AwsException.of(SqsErrors.OVER_LIMIT, "%d Actions were found, maximum allowed is %d.", actions.size(), MAX_ACTIONS);
        }
        for (String account : accounts) {
            if (account == null || !QueueAddress.validAccount(account)) {
                throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                        "Value %s for parameter PrincipalId is invalid. Reason: Unable to verify.", account);
            }
        }
        for (String action : actions) {
            if (!GRANTABLE_ACTIONS.contains(action)) {
                throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                        "Value SQS:%s for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.", action);
            }
        }
        ObjectNode policy = current == null ? newPolicy(queue) : read(current);
        ArrayNode statements = PolicyStatements.of(policy);
        if (PolicyStatements.indexOf(statements, label) >= 0) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "Value %s for parameter Label is invalid. Reason: Already exists.", label);
        }
        if (statements.size() >= MAX_STATEMENTS) {
            throw AwsException.of(SqsErrors.OVER_LIMIT, "%d statements were found, maximum allowed is %d.", statements.size() + 1, MAX_STATEMENTS);
        }
        ObjectNode statement = statements.addObject();
        statement.put("Sid", label);
        statement.put("Effect", "Allow");
        statement.putObject("Principal").set("AWS", PolicyStatements.oneOrMany(accounts.stream().map(a -> "arn:aws:iam::" + a + ":root").toList()));
        statement.set("Action", PolicyStatements.oneOrMany(actions.stream().map(a -> "SQS:" + a).toList()));
        statement.put("Resource", queue.toString());
        return policy.toString();
    }

    /** The policy text without statement {@code label}, or null when no statement is left. */
    static String removeStatement(String current, String label) {
        checkLabel(label);
        ObjectNode policy = current == null ? null : read(current);
        ArrayNode statements = policy == null ? null : PolicyStatements.of(policy);
        int index = statements == null ? -1 : PolicyStatements.indexOf(statements, label);
        if (index < 0) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Value %s for parameter Label is invalid. Reason: can't find label on existing policy.", label);
        }
        statements.remove(index);
        return statements.isEmpty() ? null : policy.toString();
    }

    private static void checkLabel(String label) {
        if (label == null) {
            throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter Label.");
        }
        if (!LABEL.matcher(label).matches()) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Value %s for parameter Label is invalid. Reason: Must match ^[a-zA-Z0-9_-]{1,80}$.", label);
        }
    }

    private static ObjectNode newPolicy(Arn queue) {
        ObjectNode policy = RedrivePolicy.JSON.createObjectNode();
        policy.put("Version", "2012-10-17");
        policy.put("Id", queue + "/SQSDefaultPolicy");
        policy.putArray("Statement");
        return policy;
    }

    private static ObjectNode read(String text) {
        JsonNode node = RedrivePolicy.readObject(text, "Policy", "The queue's policy is not a valid JSON map.");
        return (ObjectNode) node.deepCopy();
    }
}
