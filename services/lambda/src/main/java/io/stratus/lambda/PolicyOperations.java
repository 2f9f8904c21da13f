package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.protocol.policy.AccessRequest;
import io.stratus.protocol.policy.Caller;
import io.stratus.protocol.policy.Decision;
import io.stratus.protocol.policy.PolicyDocument;
import io.stratus.lambda.ControlModel.AddPermissionRequest;
import io.stratus.lambda.ControlModel.AddPermissionResponse;
import io.stratus.lambda.ControlModel.Empty;
import io.stratus.lambda.ControlModel.GetPolicyRequest;
import io.stratus.lambda.ControlModel.GetPolicyResponse;
import io.stratus.lambda.ControlModel.RemovePermissionRequest;
import io.stratus.lambda.FunctionRules.FunctionReference;
import io.stratus.lambda.FunctionStore.Attachment;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resource-based policies: AddPermission, RemovePermission, GetPolicy. Statements are stored (one
 * attachment per function and qualifier), returned as AWS's policy JSON, and enforced for
 * cross-account Invoke, AWS services' deliveries and function URL calls. Thread-safe: all state is
 * in the store.
 */
final class PolicyOperations {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATEMENT_ID_PATTERN = "([a-zA-Z0-9-_.]+)";
    private static final Pattern STATEMENT_ID = Pattern.compile(STATEMENT_ID_PATTERN);
    private static final String ACTION_PATTERN = "(lambda:[*]|lambda:[a-zA-Z]+|[*])";
    private static final Pattern ACTION = Pattern.compile(ACTION_PATTERN);
    private static final Pattern PRINCIPAL = Pattern.compile("[^\\s]+");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    /** A policy as stored: its statements as JSON objects, in the order they were added. */
    record Policy(List<String> statements) {
        Policy {
            statements = statements == null ? List.of() : List.copyOf(statements);
        }
    }

    private final FunctionStore functions;
    private final VersionOperations versions;
    private final VersionOperations.Lookup lookup;

    PolicyOperations(FunctionStore functions, VersionOperations versions, VersionOperations.Lookup lookup) {
        this.functions = requireNonNull(functions, "functions is null");
        this.versions = requireNonNull(versions, "versions is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
    }

    AddPermissionResponse addPermission(RequestContext context, AddPermissionRequest request) {
        String sid = required(request.statementId(), "statementId", 100, STATEMENT_ID_PATTERN, STATEMENT_ID);
        String action = required(request.action(), "action", Integer.MAX_VALUE, ACTION_PATTERN, ACTION);
        String principal = required(request.principal(), "principal", Integer.MAX_VALUE, "[^\\s]+", PRINCIPAL);
        if (request.functionUrlAuthType() != null && !action.equals("lambda:InvokeFunctionUrl")) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "FunctionUrlAuthType is only supported for lambda:InvokeFunctionUrl action");
        }
        if (Boolean.TRUE.equals(request.invokedViaFunctionUrl()) && !action.equals("lambda:InvokeFunction")) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "InvokedViaFunctionUrl is only supported for lambda:InvokeFunction action");
        }
        Target target = changeableTarget(context, request.functionName(), request.qualifier());
        FunctionRules.checkRevision(target.function(), request.revisionId());
        String statement = statement(sid, action, principal, target.resource(), request);
        functions.changeAttachment(Attachment.POLICY, target.latest().accountId(), target.latest().region(), target.latest().name(),
                target.qualifier(), Policy.class, current -> {
                    List<String> statements = new ArrayList<>(current == null ? List.of() : current.statements());
                    if (statements.stream().anyMatch(s -> sid.equals(sid(s)))) {
                        throw AwsException.of(LambdaErrors.RESOURCE_CONFLICT,
                                "The statement id (%s) provided already exists. Please provide a new statement id, or remove the existing statement.", sid);
                    }
                    statements.add(statement);
                    return new Policy(statements);
                }).orElseThrow(() -> notFound(target.latest()));
        return new AddPermissionResponse(statement);
    }

    Empty removePermission(RequestContext context, RemovePermissionRequest request) {
        String sid = required(request.statementId(), "statementId", 100, STATEMENT_ID_PATTERN, STATEMENT_ID);
        Target target = changeableTarget(context, request.functionName(), request.qualifier());
        FunctionRules.checkRevision(target.function(), request.revisionId());
        functions.changeAttachment(Attachment.POLICY, target.latest().accountId(), target.latest().region(), target.latest().name(),
                target.qualifier(), Policy.class, current -> {
                    List<String> statements = new ArrayList<>(current == null ? List.of() : current.statements());
                    if (!statements.removeIf(s -> sid.equals(sid(s)))) {
                        throw new AwsException(LambdaErrors.RESOURCE_NOT_FOUND, "Statement " + sid + " is not found in resource policy.",
                                Map.of("Type", "User"), null);
                    }
                    return statements.isEmpty() ? null : new Policy(statements);
                }).orElseThrow(() -> notFound(target.latest()));
        return new Empty();
    }

    GetPolicyResponse getPolicy(RequestContext context, GetPolicyRequest request) {
        Target target = target(context, request.functionName(), request.qualifier());
        Policy policy = functions.attachment(Attachment.POLICY, target.latest().accountId(), target.latest().region(), target.latest().name(),
                target.qualifier(), Policy.class).orElseThrow(() -> new AwsException(LambdaErrors.RESOURCE_NOT_FOUND,
                        "The resource you requested does not exist.", Map.of("Type", "User"), null));
        ObjectNode document = JSON.createObjectNode();
        document.put("Version", "2012-10-17");
        document.put("Id", "default");
        ArrayNode statements = document.putArray("Statement");
        for (String statement : policy.statements()) {
            statements.add(read(statement));
        }
        return new GetPolicyResponse(document.toString(), target.function().revisionId());
    }

    /**
     * Whether the resource policy of the function, version or alias {@code reference} names lets
     * an AWS service, acting for one of its resources, invoke it ({@code lambda:InvokeFunction});
     * false when it has no policy, {@code ResourceNotFoundException} when there is no such function.
     */
    boolean allows(String accountId, String region, FunctionReference reference, ServiceCaller caller) {
        FunctionRecord latest = lookup.latest(accountId, region, reference);
        AccessRequest request = new AccessRequest(new Caller.Service(caller.principal(), region), "lambda:InvokeFunction", invokedArn(latest, reference),
                Map.of("aws:SourceArn", List.of(caller.sourceArn()), "aws:SourceAccount", List.of(caller.sourceAccount())));
        PolicyDocument policy = policy(latest, reference);
        return policy != null && policy.evaluate(request) == Decision.ALLOW;
    }

    /**
     * Whether the function's resource policy lets the caller of {@code context}, a principal of
     * another account, invoke the function, version or alias {@code reference} names.
     */
    boolean allows(String accountId, String region, FunctionReference reference, RequestContext context) {
        FunctionRecord latest = lookup.latest(accountId, region, reference);
        AccessRequest request = AccessRequest.of(context, "lambda:InvokeFunction", invokedArn(latest, reference), Map.of());
        return PolicyDocument.permits(policy(latest, reference), accountId, request);
    }

    /**
     * Whether a call to a function URL of {@code authType} may run the function, version or alias
     * {@code reference} names, as AWS decides for URLs created since October 2025: the caller needs
     * both {@code lambda:InvokeFunctionUrl} (with the request key {@code lambda:FunctionUrlAuthType})
     * and {@code lambda:InvokeFunction} (with {@code lambda:InvokedViaFunctionUrl} true) on the
     * invoked ARN. {@code context} is the signed caller of an {@code AWS_IAM} URL, judged by
     * {@link PolicyDocument#permits} (its own account needs nothing more, as with an identity policy
     * that allows everything); null for a {@code NONE} URL, whose callers are anonymous and need a
     * statement for {@code "*"}. {@code ResourceNotFoundException} when the function is gone.
     */
    boolean allowsUrlCall(String accountId, String region, FunctionReference reference, String authType, RequestContext context) {
        FunctionRecord latest = lookup.latest(accountId, region, reference);
        PolicyDocument policy = policy(latest, reference);
        String resource = invokedArn(latest, reference);
        return allowsUrlAction(policy, accountId, context, "lambda:InvokeFunctionUrl", resource,
                Map.of("lambda:FunctionUrlAuthType", List.of(authType)))
                && allowsUrlAction(policy, accountId, context, "lambda:InvokeFunction", resource,
                        Map.of("lambda:InvokedViaFunctionUrl", List.of("true")));
    }

    private static boolean allowsUrlAction(PolicyDocument policy, String owner, RequestContext context, String action, String resource,
            Map<String, List<String>> keys) {
        if (context != null) {
            return PolicyDocument.permits(policy, owner, AccessRequest.of(context, action, resource, keys));
        }
        return policy != null && policy.evaluate(new AccessRequest(new Caller.Anonymous(), action, resource, keys)) == Decision.ALLOW;
    }

    /**
     * The account whose function an Invoke runs: the caller's own, or — for a function ARN of
     * another account — that account, when the function's resource policy lets the caller invoke it
     * (AddPermission with the caller's account or role as principal); else AccessDeniedException.
     */
    String invokedAccount(RequestContext context, FunctionReference reference) {
        String owner = reference.accountId();
        if (owner == null || owner.equals(context.accountId())) {
            return context.accountId();
        }
        boolean allowed;
        try {
            allowed = allows(owner, context.region(), reference, context);
        } catch (AwsException e) {
            if (e.errorCode() != LambdaErrors.RESOURCE_NOT_FOUND) {
                throw e;
            }
            allowed = false; // another account's missing function looks like one that is not shared
        }
        if (!allowed) {
            throw notAuthorized(context.principal().arn(), context.region(), reference);
        }
        return owner;
    }

    static AwsException notAuthorized(String principal, String region, FunctionReference reference) {
        return AwsException.of(LambdaErrors.ACCESS_DENIED,
                "User: %s is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:%s:%s:function:%s because no resource-based policy allows the lambda:InvokeFunction action",
                principal, region, reference.accountId(), reference.name());
    }

    private static String invokedArn(FunctionRecord latest, FunctionReference reference) {
        return reference.qualifier() == null ? latest.arn() : latest.arn() + ":" + reference.qualifier();
    }

    /** The policy attached where {@code reference} points (the function, or one version or alias), or null. */
    private PolicyDocument policy(FunctionRecord latest, FunctionReference reference) {
        String qualifier = attachedTo(reference.qualifier());
        List<String> statements = functions.attachment(Attachment.POLICY, latest.accountId(), latest.region(), latest.name(), qualifier, Policy.class)
                .map(Policy::statements).orElse(List.of());
        if (statements.isEmpty()) {
            return null;
        }
        ObjectNode document = JSON.createObjectNode();
        ArrayNode array = document.putArray("Statement");
        statements.forEach(statement -> array.add(read(statement)));
        return PolicyDocument.parse(document.toString());
    }

    /** The function (version or alias) a policy call is about, and the ARN its statements name. */
    private record Target(FunctionRecord latest, FunctionRecord function, String qualifier, String resource) {}

    /** A target whose policy may change: {@code $LATEST} has none of its own (AWS refuses it). */
    private Target changeableTarget(RequestContext context, String functionName, String qualifier) {
        Target target = target(context, functionName, qualifier);
        if (FunctionRecord.LATEST.equals(FunctionRules.reference(functionName, qualifier).qualifier())) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "We currently do not support adding policies for $LATEST.");
        }
        return target;
    }

    /** The qualifier a policy is attached under: none for the function itself, which {@code $LATEST} is. */
    private static String attachedTo(String qualifier) {
        return qualifier == null || qualifier.equals(FunctionRecord.LATEST) ? "" : qualifier;
    }

    private Target target(RequestContext context, String functionName, String qualifier) {
        FunctionReference reference = FunctionRules.reference(functionName, qualifier);
        FunctionRecord latest = lookup.latest(context.accountId(), context.region(), reference);
        String q = attachedTo(reference.qualifier());
        FunctionRecord function = versions.qualified(latest, reference.qualifier(), false);
        return new Target(latest, function, q, q.isEmpty() ? latest.arn() : latest.arn() + ":" + q);
    }

    private static String statement(String sid, String action, String principal, String resource, AddPermissionRequest request) {
        ObjectNode statement = JSON.createObjectNode();
        statement.put("Sid", sid);
        statement.put("Effect", "Allow");
        if (principal.equals("*")) {
            statement.put("Principal", "*");
        } else if (ACCOUNT.matcher(principal).matches()) {
            statement.putObject("Principal").put("AWS", "arn:aws:iam::" + principal + ":root");
        } else if (principal.startsWith("arn:")) {
            statement.putObject("Principal").put("AWS", principal);
        } else {
            statement.putObject("Principal").put("Service", principal);
        }
        statement.put("Action", action);
        statement.put("Resource", resource);
        ObjectNode condition = JSON.createObjectNode();
        if (request.sourceAccount() != null) {
            condition.with("StringEquals").put("AWS:SourceAccount", request.sourceAccount());
        }
        if (request.principalOrgID() != null) {
            condition.with("StringEquals").put("aws:PrincipalOrgID", request.principalOrgID());
        }
        if (request.eventSourceToken() != null) {
            condition.with("StringEquals").put("lambda:EventSourceToken", request.eventSourceToken());
        }
        if (request.functionUrlAuthType() != null) {
            condition.with("StringEquals").put("lambda:FunctionUrlAuthType", request.functionUrlAuthType());
        }
        if (Boolean.TRUE.equals(request.invokedViaFunctionUrl())) {
            condition.with("Bool").put("lambda:InvokedViaFunctionUrl", "true");
        }
        if (request.sourceArn() != null) {
            condition.with("ArnLike").put("AWS:SourceArn", request.sourceArn());
        }
        if (!condition.isEmpty()) {
            statement.set("Condition", condition);
        }
        return statement.toString();
    }

    private static String sid(String statement) {
        return read(statement).path("Sid").asText();
    }

    private static ObjectNode read(String statement) {
        try {
            return (ObjectNode) JSON.readTree(statement);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("A stored policy statement is not JSON", e);
        }
    }


    private static String required(String value, String member, int maxLength, String patternText, Pattern pattern) {
        if (value == null) {
            throw FunctionRules.notNull(member);
        }
        if (value.length() > maxLength) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d",
                    value, member, maxLength);
        }
        if (!pattern.matcher(value).matches()) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s",
                    value, member, patternText);
        }
        return value;
    }

    private static AwsException notFound(FunctionRecord latest) {
        return LambdaService.notFound(latest.accountId(), latest.region(), latest.name());
    }
}
