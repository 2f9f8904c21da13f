package io.stratus.core.spi;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;

/**
 * The single way a service sends something to another service's resource named by an ARN: an
 * SQS queue gets a message, a Lambda function an asynchronous invocation. S3 notifications use
 * it now; SNS subscriptions, EventBridge rules, Lambda destinations and Step Functions tasks will.
 * Implemented by the server over the services' own SPIs ({@link Queues}, {@link FunctionInvoker}).
 *
 * <p>Thread safety: callable from any number of threads at once. {@link #deliver} makes one
 * attempt and blocks until the target has accepted the payload (a queue stored the message,
 * Lambda queued the event); callers that must not wait call it from a thread of their own and
 * decide about retries.
 */
public interface Targets {

    /**
     * What a delivery carries besides its payload.
     *
     * @param messageGroupId for a FIFO queue, the message group; else null
     * @param deduplicationId for a FIFO queue, the deduplication id; else null
     */
    record Options(String messageGroupId, String deduplicationId) {
        public static final Options NONE = new Options(null, null);
    }

    /** Whether deliveries to {@code target} could be made now: the queue or function exists. */
    boolean exists(Arn target);

    /**
     * Delivers {@code payload} (JSON, UTF-8) to {@code target}.
     *
     * @throws io.stratus.core.AwsException as the target's service answers: the queue or function
     *     does not exist, the payload is too large, the target's kind is not served
     */
    void deliver(Arn target, byte[] payload, Options options);

    /** Checks arguments the same way for every implementation. */
    static void check(Arn target, byte[] payload, Options options) {
        requireNonNull(target, "target is null");
        requireNonNull(payload, "payload is null");
        requireNonNull(options, "options is null");
    }
}
