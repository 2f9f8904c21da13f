package io.stratus.sns;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import java.util.regex.Pattern;

/** AWS's rules for topic names and topic ARNs. Pure. */
final class TopicNames {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Pattern FIFO_NAME = Pattern.compile("[A-Za-z0-9_-]{1,251}\\.fifo");

    private TopicNames() {}

    static void check(String name, boolean fifo) {
        if (name == null) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Topic Name");
        }
        if (fifo) {
            if (!FIFO_NAME.matcher(name).matches()) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                        "Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, "
                                + "numbers, underscores, and hyphens, and must be between 1 and 256 characters long.");
            }
        } else if (!NAME.matcher(name).matches()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Topic Name");
        }
    }

    /** The topic ARN a request names, checked for its form; {@code parameter} names it in the error. */
    static Arn parse(String text, String parameter) {
        if (text == null || text.isEmpty()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: %s", parameter);
        }
        try {
            Arn arn = Arn.parse(text);
            if (arn.service().equals("sns") && !arn.resource().isEmpty() && !arn.resource().contains(":") && !arn.accountId().isEmpty()) {
                return arn;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: %s", parameter);
    }
}
