/**
 * The IAM policy language for resource-based policies: {@link io.stratus.protocol.policy.PolicyDocument}
 * parses a policy once and evaluates {@link io.stratus.protocol.policy.AccessRequest}s against it;
 * {@link io.stratus.protocol.policy.PolicyDocument#permits} applies AWS's rule for a resource owner's
 * account versus everyone else. Pure logic: services decide which action and resource a request is.
 */
package io.stratus.protocol.policy;
