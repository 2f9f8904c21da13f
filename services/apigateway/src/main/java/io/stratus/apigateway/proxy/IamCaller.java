package io.stratus.apigateway.proxy;

import static java.util.Objects.requireNonNull;

import io.stratus.core.RequestContext;
import java.util.Optional;

/**
 * The signed caller of a route or method with {@code AWS_IAM} authorization, as a Lambda proxy
 * event's {@code requestContext.identity} (format 1.0) or {@code authorizer.iam} (format 2.0)
 * reports it.
 *
 * @param accessKey the access key the request was signed with
 * @param accountId the caller's account
 * @param callerId the principal's unique id ({@code AROA…:session} for a role session)
 * @param userArn the principal's ARN
 */
public record IamCaller(String accessKey, String accountId, String callerId, String userArn) {

    public IamCaller {
        requireNonNull(accessKey, "accessKey is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(callerId, "callerId is null");
        requireNonNull(userArn, "userArn is null");
    }

    /** The caller of a signed request; empty for an unsigned one. */
    public static Optional<IamCaller> of(RequestContext context) {
        if (context.accessKeyId() == null) {
            return Optional.empty();
        }
        return Optional.of(new IamCaller(context.accessKeyId(), context.principal().accountId(), context.principal().userId(),
                context.principal().arn()));
    }
}
