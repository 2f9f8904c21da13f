package io.stratus.core;

/**
 * Maps access keys to accounts. Stratus has no IAM users: the account is derived from the key,
 * so several accounts can live side by side in one server.
 */
public final class Accounts {

    /** The account of any access key that does not name one, as LocalStack and moto use. */
    public static final String DEFAULT_ACCOUNT = "000000000000";

    private Accounts() {}

    /**
     * A 12-digit access key selects that account; every other key (including none) acts in
     * {@link #DEFAULT_ACCOUNT}.
     */
    public static String accountFor(String accessKeyId) {
        if (accessKeyId != null && accessKeyId.length() == 12 && accessKeyId.chars().allMatch(Character::isDigit)) {
            return accessKeyId;
        }
        return DEFAULT_ACCOUNT;
    }
}
