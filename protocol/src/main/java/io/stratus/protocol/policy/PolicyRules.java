package io.stratus.protocol.policy;

/**
 * What a service knows of its own actions and resources, so that it can check a resource policy
 * when it is put, as AWS does (see {@link PolicyDocument#check}). Implementations are immutable.
 */
public interface PolicyRules {

    /** Whether an action pattern ({@code s3:GetObject}, {@code s3:Get*}, {@code *}) names at least one of the service's actions. */
    boolean validAction(String action);

    /** Whether a resource pattern is one the policy may name (the resource it is attached to, or what is in it). */
    boolean validResource(String resource);

    /** Whether some action the pattern names applies to what the resource pattern names. */
    boolean applies(String action, String resource);
}
