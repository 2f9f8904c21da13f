package io.stratus.protocol.policy;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request to authorize against a policy: who, which action ({@code sqs:SendMessage}), on which
 * resource (an ARN), and the request's condition keys. Keys compare case-insensitively, as IAM's
 * do; a key may have several values (multivalued keys such as {@code aws:TagKeys}).
 *
 * @param caller who asks
 * @param action the action as {@code service:Action}
 * @param resource the ARN of the resource acted on
 * @param context condition keys and their values
 */
public record AccessRequest(Caller caller, String action, String resource, Map<String, List<String>> context) {

    public AccessRequest {
        requireNonNull(caller, "caller is null");
        requireNonNull(action, "action is null");
        requireNonNull(resource, "resource is null");
        TreeMap<String, List<String>> keys = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        context.forEach((key, values) -> keys.put(key, List.copyOf(values)));
        context = Collections.unmodifiableMap(keys);
    }

    /**
     * A request by the caller of {@code context}, with the global condition keys every request has:
     * {@code aws:CurrentTime}, {@code aws:EpochTime}, {@code aws:SecureTransport} (whether the request came
     * over TLS; true for what Stratus does itself), {@code aws:PrincipalAccount}, {@code aws:PrincipalArn},
     * {@code aws:PrincipalType}, {@code aws:userid}, and {@code aws:SourceIp} where the request came
     * from an address; {@code keys} adds the service's own.
     */
    public static AccessRequest of(RequestContext context, String action, String resource, Map<String, List<String>> keys) {
        Principal principal = context.principal();
        if (principal.anonymous()) {
            return anonymous(context, action, resource, keys);
        }
        Map<String, List<String>> all = requestKeys(context, keys);
        all.put("aws:PrincipalAccount", List.of(principal.accountId()));
        all.put("aws:PrincipalArn", List.of(principal.arn()));
        all.put("aws:PrincipalType", List.of(principal.arn().contains(":assumed-role/") ? "AssumedRole" : "Account"));
        all.put("aws:userid", List.of(principal.userId()));
        return new AccessRequest(Caller.of(principal), action, resource, all);
    }

    /**
     * The request of {@code context} by nobody (an S3 website endpoint's reader): the global keys
     * that do not describe a principal ({@code aws:CurrentTime}, {@code aws:EpochTime},
     * {@code aws:SecureTransport}, {@code aws:SourceIp}) and {@code keys}.
     */
    public static AccessRequest anonymous(RequestContext context, String action, String resource, Map<String, List<String>> keys) {
        return new AccessRequest(new Caller.Anonymous(), action, resource, requestKeys(context, keys));
    }

    private static Map<String, List<String>> requestKeys(RequestContext context, Map<String, List<String>> keys) {
        Instant now = context.receivedAt();
        Map<String, List<String>> all = new HashMap<>(keys);
        all.put("aws:CurrentTime", List.of(now.toString()));
        all.put("aws:EpochTime", List.of(Long.toString(now.getEpochSecond())));
        all.put("aws:SecureTransport", List.of(Boolean.toString(context.secureTransport())));
        if (context.sourceIp() != null) {
            all.put("aws:SourceIp", List.of(context.sourceIp()));
        }
        return all;
    }

    /** The values of a condition key, or {@code null} when the request does not have it. */
    List<String> values(String key) {
        return context.get(key);
    }
}
