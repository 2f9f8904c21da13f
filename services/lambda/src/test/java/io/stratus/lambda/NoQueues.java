package io.stratus.lambda;

import io.stratus.core.Arn;
import io.stratus.core.spi.Queues;
import io.stratus.core.spi.ServiceCaller;
import java.time.Duration;
import java.util.List;

/** Lambda without SQS, for tests that make no event source mappings. */
final class NoQueues implements Queues {
    @Override
    public QueueInfo describe(Arn queue) {
        throw new UnsupportedOperationException("no queues here");
    }

    @Override
    public SentMessage send(Arn queue, OutgoingMessage message) {
        throw new UnsupportedOperationException("no queues here");
    }

    @Override
    public SentMessage send(Arn queue, OutgoingMessage message, ServiceCaller caller) {
        throw new UnsupportedOperationException("no queues here");
    }

    @Override
    public boolean allows(Arn queue, ServiceCaller caller) {
        return false;
    }

    @Override
    public List<ReceivedMessage> receive(Arn queue, int max, Duration wait, Duration visibilityTimeout) {
        throw new UnsupportedOperationException("no queues here");
    }

    @Override
    public void delete(Arn queue, String receiptHandle) {
        throw new UnsupportedOperationException("no queues here");
    }

    @Override
    public void changeVisibility(Arn queue, String receiptHandle, Duration visibilityTimeout) {
        throw new UnsupportedOperationException("no queues here");
    }
}
