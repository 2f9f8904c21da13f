package io.stratus.protocol.policy;

import io.stratus.core.Principal;
import java.util.List;
import java.util.Map;

/**
 * One statement of a policy. A missing {@code Principal} or {@code Resource} matches everyone or
 * everything (identity-policy style); the {@code Not…} forms match what their list does not.
 * Immutable.
 *
 * @param sid the statement's id, or null
 * @param effect {@link Decision#ALLOW} or {@link Decision#DENY}
 * @param principals principal type ({@code AWS}, {@code Service}, …) to the values named; null when absent
 * @param notPrincipal whether {@code principals} came from {@code NotPrincipal}
 * @param actions the action patterns
 * @param notAction whether {@code actions} came from {@code NotAction}
 * @param resources the resource patterns; null when absent
 * @param notResource whether {@code resources} came from {@code NotResource}
 * @param conditions tests that must all pass
 * @param variables whether {@code resources} may hold {@link PolicyVariables policy variables}
 */
record Statement(String sid, Decision effect, Map<String, List<String>> principals, boolean notPrincipal, List<String> actions, boolean notAction,
        List<String> resources, boolean notResource, List<Condition> conditions, boolean variables) {

    static final String ANY_PRINCIPAL = "*";

    boolean applies(AccessRequest request) {
        if (principals != null && notPrincipal == namesPrincipal(request.caller())) {
            return false;
        }
        return actionMatches(request.action()) && resourceMatches(request) && conditions.stream().allMatch(c -> c.test(request));
    }

    boolean grantsPublicAccess() {
        if (effect != Decision.ALLOW) {
            return false;
        }
        boolean everyone = principals == null || notPrincipal
                || principals.getOrDefault("AWS", List.of()).contains(ANY_PRINCIPAL);
        return everyone && conditions.stream().noneMatch(Condition::narrowsCallers);
    }

    private boolean actionMatches(String action) {
        return notAction != actions.stream().anyMatch(pattern -> Wildcards.matches(pattern, action, true));
    }

    private boolean resourceMatches(AccessRequest request) {
        return resources == null || notResource != resources.stream().anyMatch(pattern -> namesResource(pattern, request));
    }

    /** Whether a resource pattern names the request's resource; one whose variable stays unresolved names none. */
    private boolean namesResource(String pattern, AccessRequest request) {
        if (variables && PolicyVariables.present(pattern)) {
            PolicyVariables.Resolved resolved = PolicyVariables.resolve(pattern, request);
            return resolved != null && resolved.like(request.resource());
        }
        return Wildcards.matches(pattern, request.resource(), false);
    }

    private boolean namesPrincipal(Caller caller) {
        for (Map.Entry<String, List<String>> entry : principals.entrySet()) {
            for (String value : entry.getValue()) {
                if (names(entry.getKey(), value, caller)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean names(String type, String value, Caller caller) {
        if (type.equals("AWS") && value.equals(ANY_PRINCIPAL)) {
            return true; // "Principal": "*" and {"AWS": "*"}: everyone, anonymous callers and services included
        }
        return switch (caller) {
            case Caller.Aws aws -> type.equals("AWS") && namesAwsPrincipal(value, aws.principal());
            case Caller.Service service -> type.equals("Service") && service.isNamedBy(value);
            case Caller.Anonymous anonymous -> false;
        };
    }

    /**
     * An account id or its root ARN names every principal of the account; a role ARN names the
     * role's sessions ({@code arn:aws:sts::<account>:assumed-role/<role>/<session>}); anything else
     * must be the principal's own ARN.
     */
    private static boolean namesAwsPrincipal(String value, Principal principal) {
        String account = principal.accountId();
        if (value.equals(account) || value.equals("arn:aws:iam::" + account + ":root")) {
            return true;
        }
        String rolePrefix = "arn:aws:iam::" + account + ":role/";
        String sessionPrefix = "arn:aws:sts::" + account + ":assumed-role/";
        if (value.startsWith(rolePrefix) && principal.arn().startsWith(sessionPrefix)) {
            String roleName = value.substring(value.lastIndexOf('/') + 1);
            String session = principal.arn().substring(sessionPrefix.length());
            return session.startsWith(roleName + "/");
        }
        return value.equals(principal.arn());
    }
}
