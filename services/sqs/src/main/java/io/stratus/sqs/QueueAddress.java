package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.Arn;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * Which queue a request means: its account, region and name, the key of everything the queue
 * holds. Immutable.
 *
 * @param account the 12-digit account that owns the queue
 * @param region the queue's region
 * @param name the queue's name, with {@code .fifo} for FIFO queues
 */
record QueueAddress(String account, String region, String name) {

    private static final Pattern STANDARD_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern FIFO_NAME = Pattern.compile("[A-Za-z0-9_-]{1,75}\\.fifo");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    QueueAddress {
        requireNonNull(account, "account is null");
        requireNonNull(region, "region is null");
        requireNonNull(name, "name is null");
    }

    boolean fifo() {
        return name.endsWith(".fifo");
    }

    Arn arn() {
        return Arn.of("sqs", region, account, name);
    }

    /** The queue's URL under {@code base}, e.g. {@code http://localhost:4566/000000000000/orders}. */
    String url(URI base) {
        String root = base.toString();
        return (root.endsWith("/") ? root : root + "/") + account + "/" + name;
    }

    /**
     * Reads a queue URL: {@code http://<any host>/<account>/<name>}, which covers the URLs Stratus
     * hands out, AWS's {@code https://sqs.<region>.amazonaws.com/…} and the
     * {@code sqs.<region>.localhost…} form. A region in an {@code sqs.<region>.} host wins over the
     * request's, as on AWS, where the endpoint decides the region.
     */
    static QueueAddress fromUrl(String queueUrl, String requestRegion) {
        if (queueUrl == null || queueUrl.isEmpty()) {
            throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter QueueUrl.");
        }
        URI uri;
        try {
            uri = URI.create(queueUrl);
        } catch (IllegalArgumentException e) {
            throw invalidAddress(queueUrl);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String[] parts = path.startsWith("/") ? path.substring(1).split("/", -1) : path.split("/", -1);
        if (parts.length != 2 || !ACCOUNT.matcher(parts[0]).matches() || parts[1].isEmpty()) {
            throw invalidAddress(queueUrl);
        }
        if (!validName(parts[1])) {
            // No queue can have this name (and some such names, lone surrogates, cannot even be keys).
            throw QueueOperations.doesNotExist();
        }
        String region = requestRegion;
        String host = uri.getHost();
        if (host != null && host.startsWith("sqs.")) {
            String[] labels = host.split("\\.");
            if (labels.length >= 3 && labels[1].matches("[a-z]{2}(-[a-z]+)+-\\d")) {
                region = labels[1];
            }
        }
        return new QueueAddress(parts[0], region, parts[1]);
    }

    private static AwsException invalidAddress(String queueUrl) {
        return AwsException.of(SqsErrors.INVALID_ADDRESS, "The address %s is not valid for this endpoint.", queueUrl);
    }

    /** Whether a queue could have this name: AWS's rules for a standard or a FIFO queue. */
    static boolean validName(String name) {
        return STANDARD_NAME.matcher(name).matches() || FIFO_NAME.matcher(name).matches();
    }

    /** Whether an account id has AWS's form, twelve digits. */
    static boolean validAccount(String account) {
        return ACCOUNT.matcher(account).matches();
    }

    /** Whether a prefix of queue names can match any queue: only the characters names may hold. */
    static boolean validNamePrefix(String prefix) {
        return prefix.chars().allMatch(c -> (c < 128 && Character.isLetterOrDigit(c)) || c == '_' || c == '-' || c == '.');
    }

    /** Checks a new queue's name against AWS's rules; {@code fifo} is the FifoQueue attribute. */
    static void validateName(String name, boolean fifo) {
        if (fifo) {
            if (!FIFO_NAME.matcher(name).matches()) {
                throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                        "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, "
                                + "must end with .fifo suffix and be 1 to 80 in length.");
            }
        } else if (!STANDARD_NAME.matcher(name).matches()) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
    }
}
