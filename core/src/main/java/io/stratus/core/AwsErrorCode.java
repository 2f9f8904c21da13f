package io.stratus.core;

/**
 * One AWS error code: what the client sees in {@code __type} / {@code <Code>}, with its HTTP status.
 *
 * <p>Each service declares its codes as an enum implementing this interface ({@code SqsErrors},
 * {@code DynamoDbErrors}, …); codes are never free strings at call sites.
 */
public interface AwsErrorCode {

    /** The error code as the JSON and REST protocols name it, e.g. {@code ResourceNotFoundException}. */
    String code();

    /** The HTTP status AWS answers with. */
    int httpStatus();

    /** Whether the client or the service is at fault; AWS derives it from the status. */
    default Fault fault() {
        return httpStatus() < 500 ? Fault.SENDER : Fault.RECEIVER;
    }

    /**
     * The code the awsQuery protocol uses, where it differs from {@link #code()}
     * (SQS: {@code AWS.SimpleQueueService.NonExistentQueue} for {@code QueueDoesNotExist}).
     */
    default String queryCode() {
        return code();
    }

    enum Fault {
        SENDER("Sender"),
        RECEIVER("Receiver");

        private final String wireName;

        Fault(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}
