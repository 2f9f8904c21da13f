package io.stratus.core;

import static java.util.Objects.requireNonNull;

/**
 * The identity behind an access key, as STS GetCallerIdentity reports it.
 *
 * @param accountId the account the principal belongs to
 * @param userId the unique id: the account id for the root user, {@code AROA…:session} for a role session
 * @param arn the principal's ARN
 */
public record Principal(String accountId, String userId, String arn) {

    public Principal {
        requireNonNull(accountId, "accountId is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(arn, "arn is null");
    }

    /**
     * Nobody: the caller of an unsigned request where one counts as anonymous (S3's, with
     * {@code --auth sigv4}), which only a resource's policy or ACL lets in. Its account is S3's
     * {@code anonymous}, which no resource belongs to.
     */
    public static final Principal ANONYMOUS = new Principal("anonymous", "anonymous", "*");

    /** Whether this is {@link #ANONYMOUS} (not a bean getter: stored principals stay three fields). */
    public boolean anonymous() {
        return this.equals(ANONYMOUS);
    }

    /** The account's root user: what every access key STS did not issue acts as. */
    public static Principal root(String accountId) {
        return new Principal(accountId, accountId, "arn:aws:iam::" + accountId + ":root");
    }
}
