package io.stratus.protocol;

import io.stratus.core.RequestContext;

/**
 * Decides, once per request and before the operation runs, whether the caller may perform it —
 * the place a service checks resource policies (and headers that speak for the caller, such as
 * S3's {@code x-amz-expected-bucket-owner}) for all its operations at once. Called by the request
 * pipeline on the request's virtual thread with the decoded input; may block (read a policy from
 * the store).
 */
@FunctionalInterface
public interface OperationGuard {

    /**
     * Checks a call of {@code operation}.
     *
     * @param request the request as the service saw it, for its headers
     * @return the context the operation runs with: {@code context} itself, or one acting in the
     *     resource owner's account when a resource policy lets another account in
     * @throws io.stratus.core.AwsException the service's access-denied error when the caller may not
     */
    RequestContext check(String operation, RequestContext context, Object input, HttpRequest request);
}
