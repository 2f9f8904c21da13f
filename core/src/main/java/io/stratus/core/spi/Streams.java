package io.stratus.core.spi;

import io.stratus.core.Arn;

/**
 * Kinesis data streams as a destination: what {@link Targets} puts a record into for EventBridge
 * rules and CloudWatch Logs subscription filters. Implemented by the Kinesis service.
 *
 * <p>Thread safety: callable from any number of threads at once; {@link #put} blocks until the
 * record is stored durably.
 */
public interface Streams {

    /** Whether the stream exists. */
    boolean exists(Arn stream);

    /**
     * Puts one record, as PutRecord would.
     *
     * @throws io.stratus.core.AwsException {@code ResourceNotFoundException} for a missing stream,
     *     {@code InvalidArgumentException} for a record over Kinesis's limits
     */
    void put(Arn stream, String partitionKey, byte[] data);
}
