package io.stratus.sqs;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.protocol.policy.AccessRequest;
import io.stratus.protocol.policy.Caller;
import io.stratus.protocol.policy.PolicyCache;
import io.stratus.protocol.policy.PolicyDocument;
import io.stratus.protocol.policy.PolicyException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may act on a queue: AWS's rule for a queue's {@code Policy} attribute with no IAM identity
 * policies in the picture. The queue owner's principals may do anything the policy does not
 * explicitly deny; other accounts need the policy's allow; and the actions AWS keeps to the owner
 * (CreateQueue, DeleteQueue, SetQueueAttributes, permissions, tags, move tasks) no policy grants
 * to another account, nor denies to the owner. Safe for concurrent use.
 */
final class QueueAccess {

    /** The actions that "cross-account permissions don't apply to", in AWS's words. */
    private static final Set<String> OWNER_ONLY = Set.of("AddPermission", "CancelMessageMoveTask", "CreateQueue", "DeleteQueue",
            "ListMessageMoveTasks", "ListQueues", "ListQueueTags", "RemovePermission", "SetQueueAttributes", "StartMessageMoveTask",
            "TagQueue", "UntagQueue");

    private final PolicyCache policies = new PolicyCache(256);
    private final URI baseUri;

    QueueAccess(URI baseUri) {
        this.baseUri = baseUri;
    }

    /** Checks that the caller may perform {@code action} (an SQS action name) on {@code queue}, else AccessDenied. */
    void check(RequestContext context, Queue queue, String action) {
        boolean owner = context.accountId().equals(queue.address().account());
        if (OWNER_ONLY.contains(action)) {
            if (!owner) {
                throw denied(queue);
            }
            return;
        }
        String policyText = queue.attributes().get(QueueAttributes.POLICY);
        if (owner && policyText == null) {
            return; // the common case: the owner, and nothing that could deny it
        }
        AccessRequest request = AccessRequest.of(context, "sqs:" + action, queue.address().arn().toString(), Map.of());
        if (!PolicyDocument.permits(policies.get(policyText), queue.address().account(), request)) {
            throw denied(queue);
        }
    }

    /**
     * Whether the queue's policy allows an AWS service, delivering on behalf of one of its
     * resources, to perform {@code action}: a service is never the owner, so it needs an allow.
     */
    boolean allows(Queue queue, ServiceCaller caller, String action) {
        Map<String, List<String>> keys = Map.of(
                "aws:SourceArn", List.of(caller.sourceArn()),
                "aws:SourceAccount", List.of(caller.sourceAccount()),
                // AWS's services deliver over TLS.
                "aws:SecureTransport", List.of("true"));
        AccessRequest request = new AccessRequest(new Caller.Service(caller.principal()), "sqs:" + action, queue.address().arn().toString(), keys);
        return PolicyDocument.permits(policies.get(queue.attributes().get(QueueAttributes.POLICY)), queue.address().account(), request);
    }

    /** Checks a policy's text as SetQueueAttributes and CreateQueue take it. */
    static String validate(String text) {
        try {
            PolicyDocument.parse(text);
            return text;
        } catch (PolicyException e) {
            throw AwsException.of(SqsErrors.INVALID_ATTRIBUTE_VALUE, "Invalid value for the parameter Policy.");
        }
    }

    AwsException denied(Queue queue) {
        return AwsException.of(SqsErrors.ACCESS_DENIED, "Access to the resource %s is denied.", queue.address().url(baseUri));
    }
}
