package io.stratus.core;

import java.security.SecureRandom;
import java.util.UUID;

/** Identifiers in the forms AWS uses. Thread-safe. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] UPPER_ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private Ids() {}

    /** A request id: a random UUID, as most AWS services send in {@code x-amzn-RequestId}. */
    public static String requestId() {
        return UUID.randomUUID().toString();
    }

    /** A lower-case alphanumeric id such as API Gateway's {@code a1b2c3d4e5}. */
    public static String lowerAlphanumeric(int length) {
        return random(ALPHANUMERIC, length);
    }

    /** An upper-case alphanumeric id such as an access key's suffix. */
    public static String upperAlphanumeric(int length) {
        return random(UPPER_ALPHANUMERIC, length);
    }

    private static String random(char[] alphabet, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(chars);
    }
}
