package io.stratus.core.spi;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The single way a service sends something to another service's resource named by an ARN: an
 * SQS queue gets a message, a Lambda function an asynchronous invocation, an SNS topic a
 * publish, an EventBridge bus an event, an S3 bucket an object, a Kinesis stream a record. S3
 * notifications, Lambda's asynchronous-invocation destinations and dead-letter queues, SNS
 * subscriptions, EventBridge rules and CloudWatch Logs subscription filters use it; Step Functions
 * tasks will. Implemented by the server over the services' own SPIs ({@link Queues},
 * {@link FunctionInvoker}, {@link Topics}, {@link EventBus}, {@link Buckets}, {@link Streams}).
 *
 * <p>Thread safety: callable from any number of threads at once. {@link #deliver} makes one
 * attempt and blocks until the target has accepted the payload (a queue stored the message,
 * Lambda queued the event); callers that must not wait call it from a thread of their own and
 * decide about retries.
 */
public interface Targets {

    /**
     * What a delivery carries besides its payload, and on whose behalf it goes.
     *
     * @param messageGroupId for a FIFO queue or topic, the message group; for a Kinesis stream, the
     *     partition key (a random one when null); else null
     * @param deduplicationId for a FIFO queue or topic, the deduplication id; else null
     * @param attributes message attributes to send along where the target has them (an SQS
     *     queue's or SNS topic's: the {@code RequestID}, {@code ErrorCode} and {@code ErrorMessage}
     *     of a Lambda dead-letter message, an SNS raw delivery's typed attributes); ignored by
     *     targets without them
     * @param caller the service delivering on behalf of a resource, which the target's resource
     *     policy must allow; null for a delivery made as the target's own account (a function's
     *     destinations, which its execution role sends to)
     * @param subject for an SNS topic, the message's subject (S3's {@code Amazon S3 Notification}); else null
     * @param event for an EventBridge bus, the event the payload is the detail of; null when the
     *     payload is a whole EventBridge event being forwarded from another bus
     * @param objectKey for an S3 bucket, the key of the object the payload becomes (required there); else null
     * @param traceHeader the X-Ray trace header of the request the delivery comes from (an SNS publish, an
     *     S3 upload), which an SQS message keeps as {@code AWSTraceHeader} and a function's invocation
     *     continues (Lambda's recursive loop detection follows it); null for none
     */
    record Options(String messageGroupId, String deduplicationId, Map<String, Queues.MessageAttribute> attributes, ServiceCaller caller, String subject,
            EventHeader event, String objectKey, String traceHeader) {
        public static final Options NONE = new Options(null, null);

        public Options {
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        public Options(String messageGroupId, String deduplicationId, Map<String, Queues.MessageAttribute> attributes, ServiceCaller caller,
                String subject, EventHeader event, String objectKey) {
            this(messageGroupId, deduplicationId, attributes, caller, subject, event, objectKey, null);
        }

        public Options(String messageGroupId, String deduplicationId) {
            this(messageGroupId, deduplicationId, Map.of(), null, null, null, null);
        }

        /** Options for a FIFO target (group and deduplication id) with attributes, on behalf of {@code caller} (may be null). */
        public Options(String messageGroupId, String deduplicationId, Map<String, Queues.MessageAttribute> attributes, ServiceCaller caller) {
            this(messageGroupId, deduplicationId, attributes, caller, null, null, null);
        }

        /** Options with String attributes of the given values. */
        public static Options attributes(Map<String, String> attributes) {
            return new Options(null, null, Queues.MessageAttribute.strings(attributes), null, null, null, null);
        }

        /** A delivery by {@code caller}, checked against the target's resource policy. */
        public static Options on(ServiceCaller caller) {
            return new Options(null, null, Map.of(), requireNonNull(caller, "caller is null"), null, null, null);
        }

        public Options withSubject(String subject) {
            return new Options(messageGroupId, deduplicationId, attributes, caller, subject, event, objectKey, traceHeader);
        }

        public Options withEvent(EventHeader event) {
            return new Options(messageGroupId, deduplicationId, attributes, caller, subject, event, objectKey, traceHeader);
        }

        public Options withObjectKey(String objectKey) {
            return new Options(messageGroupId, deduplicationId, attributes, caller, subject, event, objectKey, traceHeader);
        }

        public Options withTraceHeader(String traceHeader) {
            return new Options(messageGroupId, deduplicationId, attributes, caller, subject, event, objectKey, traceHeader);
        }
    }

    /**
     * What makes a payload an EventBridge event when it goes to a bus: the event's source,
     * detail type and resources (Lambda's {@code lambda}, {@code Lambda Function Invocation Result - Success}
     * and the function's ARN), and when it happened (null: now); the payload is the {@code detail}.
     */
    record EventHeader(String source, String detailType, List<String> resources, Instant time) {

        public EventHeader {
            requireNonNull(source, "source is null");
            requireNonNull(detailType, "detailType is null");
            resources = resources == null ? List.of() : List.copyOf(resources);
        }
    }

    /** Whether deliveries to {@code target} could be made now: the queue or function exists. */
    boolean exists(Arn target);

    /**
     * Whether {@code target}'s resource policy lets {@code caller} deliver to it (a queue's
     * {@code Policy} allowing {@code sqs:SendMessage}, a function's policy allowing
     * {@code lambda:InvokeFunction}); false for a target that does not exist.
     */
    boolean allows(Arn target, ServiceCaller caller);

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
