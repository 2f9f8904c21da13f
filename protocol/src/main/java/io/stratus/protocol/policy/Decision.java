package io.stratus.protocol.policy;

/** What a policy says about a request: an explicit deny wins over an allow, and silence is neither. */
public enum Decision {
    /** A statement with {@code "Effect": "Deny"} matched. */
    DENY,
    /** No deny matched and a statement with {@code "Effect": "Allow"} did. */
    ALLOW,
    /** No statement matched: an implicit deny unless something else allows. */
    NONE
}
