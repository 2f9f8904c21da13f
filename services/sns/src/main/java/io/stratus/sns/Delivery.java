package io.stratus.sns;

import java.util.Map;

/**
 * One message on its way to one subscription, as the outbox keeps it until it is delivered: the
 * endpoint and its payload (made at publish time), what an SQS endpoint needs besides (raw
 * delivery's attributes, the FIFO group and deduplication id), where it goes if it fails for good
 * (the subscription's dead-letter queue, with the payload it gets there), and how the attempts went.
 *
 * @param subscriptionArn the subscription
 * @param endpoint the ARN it goes to (a queue or function; the dead-letter queue once redriven)
 * @param payload what the endpoint gets
 * @param attributes the message attributes for an SQS endpoint (raw delivery), with their types; else empty
 * @param groupId the FIFO message group, else null
 * @param deduplicationId the FIFO deduplication id, else null
 * @param topicArn the topic it was published to (the source ARN SNS delivers on behalf of)
 * @param topicAccount the topic's account
 * @param deadLetterTarget the dead-letter queue's ARN, or null
 * @param deadLetterPayload what the dead-letter queue gets
 * @param attempts how many attempts failed
 * @param notBefore when the next attempt may be made, epoch millis
 * @param publishedAt when the message was published, epoch millis
 * @param traceHeader the X-Ray trace header the publish came with, which the delivery carries on; null for none
 */
record Delivery(String subscriptionArn, String endpoint, String payload, Map<String, PublishedAttribute> attributes, String groupId, String deduplicationId,
        String topicArn, String topicAccount, String deadLetterTarget, String deadLetterPayload, int attempts, long notBefore, long publishedAt,
        String traceHeader) {

    Delivery {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    Delivery failed(long next) {
        return new Delivery(subscriptionArn, endpoint, payload, attributes, groupId, deduplicationId, topicArn, topicAccount, deadLetterTarget,
                deadLetterPayload, attempts + 1, next, publishedAt, traceHeader);
    }

    /** The same message on its way to the dead-letter queue instead, with no further redrive. */
    Delivery redriven(long now, Map<String, PublishedAttribute> errorAttributes) {
        return new Delivery(subscriptionArn, deadLetterTarget, deadLetterPayload, errorAttributes, groupId, deduplicationId, topicArn,
                topicAccount, null, null, 0, now, now, traceHeader);
    }

    /** Whether a group's deliveries must go in order, one after the other (FIFO). */
    boolean ordered() {
        return groupId != null;
    }
}
