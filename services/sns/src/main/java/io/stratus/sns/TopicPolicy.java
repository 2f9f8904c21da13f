package io.stratus.sns;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.protocol.policy.AccessRequest;
import io.stratus.protocol.policy.Caller;
import io.stratus.protocol.policy.PolicyCache;
import io.stratus.protocol.policy.PolicyDocument;
import io.stratus.protocol.policy.PolicyStatements;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A topic's access policy: the default one AWS writes (everything for the owner account, through
 * an {@code AWS:SourceOwner} condition that no other account or service meets), the statements
 * AddPermission and RemovePermission write, and the check of a caller against it. The owner's
 * principals may do anything the policy does not explicitly deny; other accounts and AWS services
 * need an allow. Thread-safe.
 */
final class TopicPolicy {

    /** What AddPermission may grant, as AWS lists the topic actions. */
    static final Set<String> GRANTABLE_ACTIONS = Set.of("*", "AddPermission", "DeleteTopic", "GetDataProtectionPolicy", "GetTopicAttributes",
            "ListSubscriptionsByTopic", "ListTagsForResource", "Publish", "PutDataProtectionPolicy", "RemovePermission", "SetTopicAttributes",
            "Subscribe");

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private final PolicyCache policies = new PolicyCache(256);

    /** The policy a topic has until one is set: AWS's default. */
    static String defaultPolicy(Topic topic) {
        ObjectNode policy = SnsStore.JSON.createObjectNode();
        policy.put("Version", "2008-10-17");
        policy.put("Id", "__default_policy_ID");
        ObjectNode statement = policy.putArray("Statement").addObject();
        statement.put("Sid", "__default_statement_ID");
        statement.put("Effect", "Allow");
        statement.putObject("Principal").put("AWS", "*");
        ArrayNode actions = statement.putArray("Action");
        for (String action : List.of("GetTopicAttributes", "SetTopicAttributes", "AddPermission", "RemovePermission", "DeleteTopic", "Subscribe",
                "ListSubscriptionsByTopic", "Publish")) {
            actions.add("SNS:" + action);
        }
        statement.put("Resource", topic.arn().toString());
        statement.putObject("Condition").putObject("StringEquals").put("AWS:SourceOwner", topic.account());
        return policy.toString();
    }

    private String policyText(Topic topic) {
        return topic.attributes().getOrDefault(TopicAttributes.POLICY, defaultPolicy(topic));
    }

    /** Checks that the caller may perform {@code action} on {@code topic}, else AuthorizationError as AWS words it. */
    void check(RequestContext context, Topic topic, String action) {
        boolean owner = context.accountId().equals(topic.account());
        if (owner && !topic.attributes().containsKey(TopicAttributes.POLICY)) {
            return; // the default policy denies the owner nothing
        }
        AccessRequest request = AccessRequest.of(context, "sns:" + action, topic.arn().toString(), Map.of());
        if (!PolicyDocument.permits(policies.get(policyText(topic)), topic.account(), request)) {
            throw AwsException.of(SnsErrors.AUTHORIZATION_ERROR,
                    "User: %s is not authorized to perform: SNS:%s on resource: %s because no resource-based policy allows the SNS:%s action",
                    context.principal().arn(), action, topic.arn(), action);
        }
    }

    /** Whether an AWS service, acting for one of its resources, may publish to the topic: it needs the policy's allow. */
    boolean allowsPublish(Topic topic, ServiceCaller caller) {
        Map<String, List<String>> keys = Map.of(
                "aws:SourceArn", List.of(caller.sourceArn()),
                "aws:SourceAccount", List.of(caller.sourceAccount()),
                // AWS's services deliver over TLS.
                "aws:SecureTransport", List.of("true"));
        AccessRequest request = new AccessRequest(new Caller.Service(caller.principal()), "sns:Publish", topic.arn().toString(), keys);
        return PolicyDocument.permits(policies.get(policyText(topic)), topic.account(), request);
    }

    /** The policy text with statement {@code label} added, granting the accounts the actions. */
    static String addStatement(Topic topic, String label, List<String> accounts, List<String> actions) {
        checkLabel(label);
        if (accounts == null || accounts.isEmpty()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: AWSAccountId");
        }
        if (actions == null || actions.isEmpty()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: ActionName");
        }
        for (String account : accounts) {
            if (account == null || !ACCOUNT.matcher(account).matches()) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: PrincipalId");
            }
        }
        for (String action : actions) {
            if (!GRANTABLE_ACTIONS.contains(action)) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Policy statement action out of service scope!");
            }
        }
        ObjectNode policy = (ObjectNode) TopicAttributes.readJson(topic.attributes().getOrDefault(TopicAttributes.POLICY, defaultPolicy(topic)));
        ArrayNode statements = PolicyStatements.of(policy);
        if (PolicyStatements.indexOf(statements, label) >= 0) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Statement already exists");
        }
        ObjectNode statement = statements.addObject();
        statement.put("Sid", label);
        statement.put("Effect", "Allow");
        statement.putObject("Principal").set("AWS", PolicyStatements.oneOrMany(accounts.stream().map(a -> "arn:aws:iam::" + a + ":root").toList()));
        statement.set("Action", PolicyStatements.oneOrMany(actions.stream().map(a -> "SNS:" + a).toList()));
        statement.put("Resource", topic.arn().toString());
        return policy.toString();
    }

    /** The policy text without statement {@code label}. */
    static String removeStatement(Topic topic, String label) {
        checkLabel(label);
        ObjectNode policy = (ObjectNode) TopicAttributes.readJson(topic.attributes().getOrDefault(TopicAttributes.POLICY, defaultPolicy(topic)));
        ArrayNode statements = PolicyStatements.of(policy);
        int index = PolicyStatements.indexOf(statements, label);
        if (index < 0) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Statement with the specified label does not exist");
        }
        statements.remove(index);
        return policy.toString();
    }

    private static void checkLabel(String label) {
        if (label == null || !LABEL.matcher(label).matches()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Label");
        }
    }
}
