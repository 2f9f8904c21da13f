package io.stratus.protocol.policy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resource-based IAM policy (a queue's {@code Policy}, a bucket policy, a function's policy),
 * parsed once and evaluated for each request: an explicit deny wins, then an allow, else
 * {@link Decision#NONE}. Immutable and safe to share between threads.
 *
 * <p>Supported: {@code Effect}, {@code Principal}/{@code NotPrincipal} ({@code *}, {@code AWS} as
 * account ids, root, role and session ARNs; {@code Service}), {@code Action}/{@code NotAction} and
 * {@code Resource}/{@code NotResource} with {@code *} and {@code ?} wildcards, and every condition
 * operator of IAM's reference with {@code IfExists} and the {@code ForAnyValue:}/{@code ForAllValues:}
 * qualifiers, and (in a policy of version {@code 2012-10-17}, as IAM has them) {@link PolicyVariables
 * policy variables} in {@code Resource} and in string and ARN conditions.
 */
public final class PolicyDocument {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Statement> statements;

    private PolicyDocument(List<Statement> statements) {
        this.statements = List.copyOf(statements);
    }

    /** Reads a policy; {@link PolicyException} names what is wrong with it. */
    public static PolicyDocument parse(String text) {
        requireNonNull(text, "text is null");
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new PolicyException("Policies must be valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new PolicyException("Policies must be valid JSON and the first byte must be '{'");
        }
        JsonNode version = root.get("Version");
        if (version != null && !(version.asText().equals("2012-10-17") || version.asText().equals("2008-10-17"))) {
            throw new PolicyException("Invalid policy version: " + version.asText());
        }
        // Policy variables exist from version 2012-10-17 on; in older policies "${" is plain text.
        boolean variables = version != null && version.asText().equals("2012-10-17");
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null || !(statementNode.isObject() || statementNode.isArray()) || statementNode.isEmpty()) {
            throw new PolicyException("Missing required field Statement");
        }
        List<Statement> statements = new ArrayList<>();
        for (JsonNode node : statementNode.isArray() ? statementNode : List.of(statementNode)) {
            statements.add(statement(node, variables));
        }
        return new PolicyDocument(statements);
    }

    /** What this policy says about {@code request}. */
    public Decision evaluate(AccessRequest request) {
        boolean allowed = false;
        for (Statement statement : statements) {
            if (statement.applies(request)) {
                if (statement.effect() == Decision.DENY) {
                    return Decision.DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOW : Decision.NONE;
    }

    /**
     * Whether a condition of this policy tests a key beginning with {@code prefix} (ignoring case), so
     * a service need not look up keys that cost a read when no statement asks for them.
     */
    public boolean testsKey(String prefix) {
        return statements.stream().flatMap(statement -> statement.conditions().stream())
                .anyMatch(condition -> condition.key().regionMatches(true, 0, prefix, 0, prefix.length()));
    }

    /**
     * Whether this policy grants access to everyone, as S3's Block Public Access judges it: an
     * allow for {@code "*"} (or through {@code NotPrincipal}) that no condition ties to fixed
     * values of a key that narrows the callers ({@code aws:SourceArn}, {@code aws:SourceAccount},
     * {@code aws:SourceIp}, {@code aws:PrincipalAccount}, {@code aws:PrincipalOrgID}, …).
     */
    public boolean isPublic() {
        return statements.stream().anyMatch(Statement::grantsPublicAccess);
    }

    /**
     * Refuses a policy that names an action or resource the service does not know, or a statement
     * with an action that applies to none of its resources, in AWS's words ({@code Policy has
     * invalid action}, {@code Policy has invalid resource}, {@code Action does not apply to any
     * resource(s) in statement}). {@code NotAction} and {@code NotResource} are not matched against
     * each other.
     */
    public PolicyDocument check(PolicyRules rules) {
        for (Statement statement : statements) {
            if (!statement.notAction() && !statement.actions().stream().allMatch(rules::validAction)) {
                throw new PolicyException("Policy has invalid action");
            }
            if (statement.resources() != null && !statement.resources().stream().allMatch(rules::validResource)) {
                throw new PolicyException("Policy has invalid resource");
            }
        }
        for (Statement statement : statements) {
            if (statement.notAction() || statement.resources() == null || statement.notResource()) {
                continue;
            }
            for (String action : statement.actions()) {
                if (statement.resources().stream().noneMatch(resource -> rules.applies(action, resource))) {
                    throw new PolicyException("Action does not apply to any resource(s) in statement");
                }
            }
        }
        return this;
    }

    /** Refuses a policy with a statement that names no principal, as resource policies must. */
    public PolicyDocument requirePrincipals() {
        if (statements.stream().anyMatch(statement -> statement.principals() == null)) {
            throw new PolicyException("Missing required field Principal");
        }
        return this;
    }

    /**
     * Whether a resource's owner lets {@code request} through, given the resource's policy (null
     * when it has none). Stratus has no IAM identity policies — every principal may do anything in
     * its own account — so, as AWS decides with an identity policy that allows everything: an
     * explicit deny refuses anyone; a principal of the owning account needs nothing more; anyone
     * else (another account, a service, an anonymous caller) needs the policy's allow.
     */
    public static boolean permits(PolicyDocument policy, String ownerAccount, AccessRequest request) {
        Decision decision = policy == null ? Decision.NONE : policy.evaluate(request);
        if (decision == Decision.DENY) {
            return false;
        }
        return decision == Decision.ALLOW || request.caller() instanceof Caller.Aws aws && aws.principal().accountId().equals(ownerAccount);
    }

    private static Statement statement(JsonNode node, boolean variables) {
        if (!node.isObject()) {
            throw new PolicyException("Statement must be an object");
        }
        String sid = node.hasNonNull("Sid") ? node.get("Sid").asText() : null;
        Decision effect = switch (node.path("Effect").asText("")) {
            case "Allow" -> Decision.ALLOW;
            case "Deny" -> Decision.DENY;
            default -> throw new PolicyException("Invalid effect: " + node.path("Effect").asText("") + (sid == null ? "" : " in statement " + sid));
        };
        boolean notPrincipal = exclusive(node, "Principal", "NotPrincipal", false);
        JsonNode principalNode = node.get(notPrincipal ? "NotPrincipal" : "Principal");
        Map<String, List<String>> principals = principalNode == null ? null : principals(principalNode);
        boolean notAction = exclusive(node, "Action", "NotAction", true);
        List<String> actions = strings(node.get(notAction ? "NotAction" : "Action"), "Action");
        boolean notResource = exclusive(node, "Resource", "NotResource", false);
        JsonNode resourceNode = node.get(notResource ? "NotResource" : "Resource");
        List<String> resources = resourceNode == null ? null : strings(resourceNode, "Resource");
        return new Statement(sid, effect, principals, notPrincipal, actions, notAction, resources, notResource,
                conditions(node.get("Condition"), variables), variables);
    }

    /** Whether the statement uses the {@code Not} form of an element; both forms at once, or neither when {@code required}, is invalid. */
    private static boolean exclusive(JsonNode statement, String element, String negated, boolean required) {
        boolean plain = statement.has(element);
        boolean not = statement.has(negated);
        if (plain && not) {
            throw new PolicyException("Statement cannot have both " + element + " and " + negated);
        }
        if (required && !plain && !not) {
            throw new PolicyException("Missing required field " + element);
        }
        return not;
    }

    private static Map<String, List<String>> principals(JsonNode node) {
        Map<String, List<String>> principals = new LinkedHashMap<>();
        if (node.isTextual()) {
            if (!node.asText().equals(Statement.ANY_PRINCIPAL)) {
                throw new PolicyException("Invalid principal in policy: " + node.asText());
            }
            principals.put("AWS", List.of(Statement.ANY_PRINCIPAL));
            return principals;
        }
        if (!node.isObject() || node.isEmpty()) {
            throw new PolicyException("Invalid principal in policy");
        }
        node.fields().forEachRemaining(field -> principals.put(field.getKey(), strings(field.getValue(), "Principal")));
        return principals;
    }

    private static List<Condition> conditions(JsonNode node, boolean variables) {
        if (node == null) {
            return List.of();
        }
        if (!node.isObject()) {
            throw new PolicyException("Condition must be an object");
        }
        List<Condition> conditions = new ArrayList<>();
        node.fields().forEachRemaining(operator -> {
            if (!operator.getValue().isObject()) {
                throw new PolicyException("Invalid Condition block for " + operator.getKey());
            }
            operator.getValue().fields().forEachRemaining(key -> {
                Condition condition = Condition.of(operator.getKey(), key.getKey(), strings(key.getValue(), "Condition"), variables);
                if (condition == null) {
                    throw new PolicyException("Invalid Condition type : " + operator.getKey());
                }
                conditions.add(condition);
            });
        });
        return conditions;
    }

    /** A string, or an array of strings (numbers and booleans read as their text). */
    private static List<String> strings(JsonNode node, String element) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isValueNode() && !node.isNull()) {
            values.add(node.asText());
        } else if (node != null && node.isArray() && !node.isEmpty()) {
            for (JsonNode item : node) {
                if (!item.isValueNode() || item.isNull()) {
                    throw new PolicyException("Invalid " + element + " value in policy");
                }
                values.add(item.asText());
            }
        } else {
            throw new PolicyException("Invalid " + element + " value in policy");
        }
        return values;
    }
}
