package io.stratus.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.events.EventsModel.Condition;
import io.stratus.protocol.policy.AccessRequest;
import io.stratus.protocol.policy.Caller;
import io.stratus.protocol.policy.PolicyCache;
import io.stratus.protocol.policy.PolicyDocument;
import io.stratus.protocol.policy.PolicyException;
import io.stratus.protocol.policy.PolicyStatements;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A bus's resource policy: the statements PutPermission and RemovePermission write (in the form
 * AWS generates them), and who may put events on the bus. The bus's own account always may;
 * another account needs an allow of {@code events:PutEvents}. Thread-safe.
 */
final class BusPolicy {

    static final int MAX_LENGTH = 10_240;
    private static final Pattern STATEMENT_ID = Pattern.compile("[a-zA-Z0-9-_]{1,64}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private final PolicyCache policies = new PolicyCache(256);

    /** Whether the caller of {@code context} may put events on {@code bus} of {@code owner}'s account. */
    boolean allows(RequestContext context, Bus bus, Arn busArn) {
        if (context.accountId().equals(busArn.accountId()) && bus.policy() == null) {
            return true;
        }
        AccessRequest request = AccessRequest.of(context, "events:PutEvents", busArn.toString(), Map.of());
        return PolicyDocument.permits(policies.get(bus.policy()), busArn.accountId(), request);
    }

    /**
     * Whether a service acting for a resource of {@code caller}'s source account may put events on
     * the bus: its own account's buses always, another's when the policy allows that account (or
     * the service).
     */
    boolean allows(ServiceCaller caller, Bus bus, Arn busArn) {
        if (caller.sourceAccount().equals(busArn.accountId())) {
            return true;
        }
        if (bus.policy() == null) {
            return false;
        }
        Map<String, List<String>> keys = Map.of(
                "aws:SourceArn", List.of(caller.sourceArn()),
                "aws:SourceAccount", List.of(caller.sourceAccount()),
                "aws:PrincipalAccount", List.of(caller.sourceAccount()));
        PolicyDocument policy = policies.get(bus.policy());
        AccessRequest asAccount = new AccessRequest(new Caller.Aws(Principal.root(caller.sourceAccount())), "events:PutEvents",
                busArn.toString(), keys);
        AccessRequest asService = new AccessRequest(new Caller.Service(caller.principal()), "events:PutEvents", busArn.toString(), keys);
        return PolicyDocument.permits(policy, busArn.accountId(), asAccount) || PolicyDocument.permits(policy, busArn.accountId(), asService);
    }

    /** Checks a whole policy as PutPermission's {@code Policy} takes it. */
    static String validate(String text) {
        if (text.length() > MAX_LENGTH) {
            throw AwsException.of(EventsErrors.POLICY_LENGTH_EXCEEDED, "Policy length exceeds the maximum allowed length.");
        }
        try {
            PolicyDocument.parse(text);
            return text;
        } catch (PolicyException e) {
            throw EventsErrors.validation("Policy is not valid. Reason: %s", e.getMessage());
        }
    }

    /** The policy text with a statement added, from {@code current} (null when the bus has none). */
    static String addStatement(String current, Arn bus, String statementId, String action, String principal, Condition condition) {
        if (statementId == null || !STATEMENT_ID.matcher(statementId).matches()) {
            throw EventsErrors.constraint("statementId", statementId, "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+");
        }
        if (action == null || !action.equals("events:PutEvents")) {
            throw EventsErrors.validation("Provided value in parameter 'action' is not supported.");
        }
        if (principal == null || !(principal.equals("*") || ACCOUNT.matcher(principal).matches())) {
            throw EventsErrors.validation("Parameter Principal is not valid. Reason: Principal must be a 12-digit account id or *.");
        }
        ObjectNode policy = current == null ? newPolicy() : read(current);
        ArrayNode statements = PolicyStatements.of(policy);
        if (PolicyStatements.indexOf(statements, statementId) >= 0) {
            throw AwsException.of(EventsErrors.RESOURCE_ALREADY_EXISTS, "Statement with the provided id already exists.");
        }
        ObjectNode statement = statements.addObject();
        statement.put("Sid", statementId);
        statement.put("Effect", "Allow");
        if (principal.equals("*")) {
            statement.put("Principal", "*");
        } else {
            statement.putObject("Principal").put("AWS", "arn:aws:iam::" + principal + ":root");
        }
        statement.put("Action", action);
        statement.put("Resource", bus.toString());
        if (condition != null) {
            if (condition.type() == null || condition.key() == null || condition.value() == null) {
                throw EventsErrors.validation("Parameter Condition is not valid. Reason: Type, Key and Value are required.");
            }
            statement.putObject("Condition").putObject(condition.type()).put(condition.key(), condition.value());
        }
        String text = policy.toString();
        if (text.length() > MAX_LENGTH) {
            throw AwsException.of(EventsErrors.POLICY_LENGTH_EXCEEDED, "Policy length exceeds the maximum allowed length.");
        }
        return text;
    }

    /** The policy text without statement {@code statementId}, or null when no statement is left. */
    static String removeStatement(String current, String statementId) {
        if (current == null) {
            throw AwsException.of(EventsErrors.RESOURCE_NOT_FOUND, "EventBus does not have a policy.");
        }
        ObjectNode policy = read(current);
        ArrayNode statements = PolicyStatements.of(policy);
        int index = PolicyStatements.indexOf(statements, statementId);
        if (index < 0) {
            throw AwsException.of(EventsErrors.RESOURCE_NOT_FOUND, "Statement with the provided id does not exist.");
        }
        statements.remove(index);
        return statements.isEmpty() ? null : policy.toString();
    }

    private static ObjectNode newPolicy() {
        ObjectNode policy = EventStore.JSON.createObjectNode();
        policy.put("Version", "2012-10-17");
        policy.putArray("Statement");
        return policy;
    }

    private static ObjectNode read(String text) {
        try {
            JsonNode node = EventStore.JSON.readTree(text);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // falls through
        }
        throw EventsErrors.validation("The event bus's policy is not valid JSON.");
    }
}
