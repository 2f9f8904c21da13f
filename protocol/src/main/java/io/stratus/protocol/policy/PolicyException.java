package io.stratus.protocol.policy;

/**
 * A policy document that is not valid JSON or not a valid policy. Services turn it into their own
 * error ({@code MalformedPolicy}, {@code InvalidAttributeValue}, …) with this message.
 */
public final class PolicyException extends IllegalArgumentException {

    PolicyException(String message) {
        super(message);
    }
}
