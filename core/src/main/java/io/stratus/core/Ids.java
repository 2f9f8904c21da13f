package io.stratus.core;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Identifiers in the forms AWS uses. Thread-safe. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] UPPER_ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private Ids() {}

    /**
     * A request id: a random (version 4) UUID, as most AWS services send in
     * {@code x-amzn-RequestId}. Not for secrets: it draws from a fast, non-cryptographic source,
     * because {@link UUID#randomUUID()} serializes every request on one SecureRandom.
     */
    public static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
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
