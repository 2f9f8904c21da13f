package io.stratus.sqs;

import io.stratus.core.AwsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The queue attributes AWS defines: which exist, which a caller may set, their ranges and
 * defaults, and how {@code CreateQueue} and {@code SetQueueAttributes} values are checked and
 * normalized. Pure logic; stateless.
 */
final class QueueAttributes {

    static final String ALL = "All";
    static final String DELAY_SECONDS = "DelaySeconds";
    static final String MAXIMUM_MESSAGE_SIZE = "MaximumMessageSize";
    static final String MESSAGE_RETENTION_PERIOD = "MessageRetentionPeriod";
    static final String POLICY = "Policy";
    static final String RECEIVE_MESSAGE_WAIT_TIME_SECONDS = "ReceiveMessageWaitTimeSeconds";
    static final String VISIBILITY_TIMEOUT = "VisibilityTimeout";
    static final String REDRIVE_POLICY = "RedrivePolicy";
    static final String REDRIVE_ALLOW_POLICY = "RedriveAllowPolicy";
    static final String KMS_MASTER_KEY_ID = "KmsMasterKeyId";
    static final String KMS_DATA_KEY_REUSE_PERIOD_SECONDS = "KmsDataKeyReusePeriodSeconds";
    static final String SQS_MANAGED_SSE_ENABLED = "SqsManagedSseEnabled";
    static final String FIFO_QUEUE = "FifoQueue";
    static final String CONTENT_BASED_DEDUPLICATION = "ContentBasedDeduplication";
    static final String DEDUPLICATION_SCOPE = "DeduplicationScope";
    static final String FIFO_THROUGHPUT_LIMIT = "FifoThroughputLimit";

    static final String APPROXIMATE_NUMBER_OF_MESSAGES = "ApproximateNumberOfMessages";
    static final String APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE = "ApproximateNumberOfMessagesNotVisible";
    static final String APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED = "ApproximateNumberOfMessagesDelayed";
    static final String CREATED_TIMESTAMP = "CreatedTimestamp";
    static final String LAST_MODIFIED_TIMESTAMP = "LastModifiedTimestamp";
    static final String QUEUE_ARN = "QueueArn";

    /** The largest message AWS accepts, and so the largest MaximumMessageSize (1 MiB since 2025). */
    static final int MAX_MESSAGE_SIZE = 1_048_576;

    /** Attributes a caller may remove by setting them to the empty string. */
    static final Set<String> CLEARABLE = Set.of(POLICY, REDRIVE_POLICY, REDRIVE_ALLOW_POLICY, KMS_MASTER_KEY_ID);

    private static final Set<String> FIFO_ONLY = Set.of(FIFO_QUEUE, CONTENT_BASED_DEDUPLICATION, DEDUPLICATION_SCOPE, FIFO_THROUGHPUT_LIMIT);

    private static final Set<String> READ_ONLY = Set.of(APPROXIMATE_NUMBER_OF_MESSAGES, APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, CREATED_TIMESTAMP, LAST_MODIFIED_TIMESTAMP, QUEUE_ARN);

    private static final Set<String> SETTABLE = Set.of(DELAY_SECONDS, MAXIMUM_MESSAGE_SIZE, MESSAGE_RETENTION_PERIOD, POLICY,
            RECEIVE_MESSAGE_WAIT_TIME_SECONDS, VISIBILITY_TIMEOUT, REDRIVE_POLICY, REDRIVE_ALLOW_POLICY, KMS_MASTER_KEY_ID,
            KMS_DATA_KEY_REUSE_PERIOD_SECONDS, SQS_MANAGED_SSE_ENABLED, FIFO_QUEUE, CONTENT_BASED_DEDUPLICATION,
            DEDUPLICATION_SCOPE, FIFO_THROUGHPUT_LIMIT);

    /** Every attribute GetQueueAttributes knows, in the order {@code All} lists them. */
    static final List<String> READABLE = List.of(QUEUE_ARN, APPROXIMATE_NUMBER_OF_MESSAGES, APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, CREATED_TIMESTAMP, LAST_MODIFIED_TIMESTAMP, VISIBILITY_TIMEOUT,
            MAXIMUM_MESSAGE_SIZE, MESSAGE_RETENTION_PERIOD, DELAY_SECONDS, RECEIVE_MESSAGE_WAIT_TIME_SECONDS, POLICY,
            REDRIVE_POLICY, REDRIVE_ALLOW_POLICY, KMS_MASTER_KEY_ID, KMS_DATA_KEY_REUSE_PERIOD_SECONDS, SQS_MANAGED_SSE_ENABLED,
            FIFO_QUEUE, CONTENT_BASED_DEDUPLICATION, DEDUPLICATION_SCOPE, FIFO_THROUGHPUT_LIMIT);

    private QueueAttributes() {}

    /** The attributes of a new queue with nothing given. */
    static Map<String, String> defaults(boolean fifo) {
        Map<String, String> defaults = new TreeMap<>();
        defaults.put(DELAY_SECONDS, "0");
        defaults.put(MAXIMUM_MESSAGE_SIZE, "262144");
        defaults.put(MESSAGE_RETENTION_PERIOD, "345600");
        defaults.put(RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "0");
        defaults.put(VISIBILITY_TIMEOUT, "30");
        defaults.put(SQS_MANAGED_SSE_ENABLED, "true");
        if (fifo) {
            defaults.put(FIFO_QUEUE, "true");
            defaults.put(CONTENT_BASED_DEDUPLICATION, "false");
            defaults.put(DEDUPLICATION_SCOPE, "queue");
            defaults.put(FIFO_THROUGHPUT_LIMIT, "perQueue");
        }
        return defaults;
    }

    /**
     * Checks attributes given to CreateQueue or SetQueueAttributes and returns them in their
     * normalized text form. RedrivePolicy is checked for form only; whether its target exists is
     * the caller's to check.
     */
    static Map<String, String> validate(Map<String, String> given, boolean fifo, boolean creating) {
        Map<String, String> normalized = new LinkedHashMap<>();
        if (given == null) {
            return normalized;
        }
        for (Map.Entry<String, String> entry : given.entrySet()) {
            String name = entry.getKey();
            String value = entry.getValue() == null ? "" : entry.getValue();
            if (!SETTABLE.contains(name) || (FIFO_ONLY.contains(name) && !fifo && !(name.equals(FIFO_QUEUE) && creating))) {
                throw unknown(name);
            }
            normalized.put(name, normalize(name, value, fifo, creating));
        }
        return normalized;
    }

    /** Checks the combination of attributes a queue would have after a change. */
    static void validateCombination(Map<String, String> attributes) {
        if ("perMessageGroupId".equals(attributes.get(FIFO_THROUGHPUT_LIMIT)) && !"messageGroup".equals(attributes.get(DEDUPLICATION_SCOPE))) {
            throw AwsException.of(SqsErrors.INVALID_ATTRIBUTE_VALUE,
                    "Invalid value for the parameter FifoThroughputLimit. Reason: perMessageGroupId is allowed only when DeduplicationScope is messageGroup.");
        }
    }

    /** Checks the names GetQueueAttributes asks for; {@code All} stands for every one. */
    static List<String> requested(List<String> names) {
        if (names == null || names.isEmpty()) {
            return List.of();
        }
        for (String name : names) {
            if (name == null) {
                throw unknown("null");
            }
            if (!name.equals(ALL) && !READABLE.contains(name)) {
                throw unknown(name);
            }
        }
        return names.contains(ALL) ? READABLE : names;
    }

    static AwsException unknown(String name) {
        return AwsException.of(SqsErrors.INVALID_ATTRIBUTE_NAME, "Unknown Attribute %s.", name);
    }

    static boolean readOnly(String name) {
        return READ_ONLY.contains(name);
    }

    private static String normalize(String name, String value, boolean fifo, boolean creating) {
        return switch (name) {
            case DELAY_SECONDS -> integer(name, value, 0, 900);
            case MAXIMUM_MESSAGE_SIZE -> integer(name, value, 1024, MAX_MESSAGE_SIZE);
            case MESSAGE_RETENTION_PERIOD -> integer(name, value, 60, 1_209_600);
            case RECEIVE_MESSAGE_WAIT_TIME_SECONDS -> integer(name, value, 0, 20);
            case VISIBILITY_TIMEOUT -> integer(name, value, 0, 43_200);
            case KMS_DATA_KEY_REUSE_PERIOD_SECONDS -> integer(name, value, 60, 86_400);
            case SQS_MANAGED_SSE_ENABLED, CONTENT_BASED_DEDUPLICATION -> bool(name, value);
            case FIFO_QUEUE -> {
                if (!creating) {
                    throw AwsException.of(SqsErrors.INVALID_ATTRIBUTE_VALUE,
                            "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.");
                }
                String flag = bool(name, value);
                if (flag.equals("true") != fifo) {
                    throw invalid(name);
                }
                yield flag;
            }
            case DEDUPLICATION_SCOPE -> oneOf(name, value, "messageGroup", "queue");
            case FIFO_THROUGHPUT_LIMIT -> oneOf(name, value, "perQueue", "perMessageGroupId");
            case POLICY -> value.isEmpty() ? value : QueueAccess.validate(value);
            case REDRIVE_POLICY -> value.isEmpty() ? value : RedrivePolicy.parse(value).toJson();
            case REDRIVE_ALLOW_POLICY -> value.isEmpty() ? value : RedriveAllowPolicy.parse(value).toJson();
            default -> value;
        };
    }

    private static String integer(String name, String value, int min, int max) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return Integer.toString(number);
            }
        } catch (NumberFormatException e) {
            // Falls through to the error below.
        }
        throw invalid(name);
    }

    private static String bool(String name, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> "true";
            case "false" -> "false";
            default -> throw invalid(name);
        };
    }

    private static String oneOf(String name, String value, String... allowed) {
        for (String candidate : allowed) {
            if (candidate.equals(value)) {
                return value;
            }
        }
        throw invalid(name);
    }

    static AwsException invalid(String name) {
        return AwsException.of(SqsErrors.INVALID_ATTRIBUTE_VALUE, "Invalid value for the parameter %s.", name);
    }
}
