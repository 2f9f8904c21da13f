package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.Queues;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.sqs.SqsModel.ChangeMessageVisibilityRequest;
import io.stratus.sqs.SqsModel.DeleteMessageRequest;
import io.stratus.sqs.SqsModel.Message;
import io.stratus.sqs.SqsModel.MessageAttributeValue;
import io.stratus.sqs.SqsModel.ReceiveMessageRequest;
import io.stratus.sqs.SqsModel.SendMessageRequest;
import io.stratus.sqs.SqsModel.SendMessageResponse;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue operations other services call, as the {@link Queues} SPI: each one is the API
 * operation itself, called in the queue owner's name, so validation, limits and errors are the
 * ones SQS clients get. Thread-safe.
 */
final class SqsQueues implements Queues {

    private static final int MAX_WAIT_SECONDS = 20;
    private static final List<String> ALL = List.of("All");

    private final QueueOperations queues;
    private final MessageOperations messages;
    private final Receiver receiver;
    private final Clock clock;
    private final URI baseUri;

    SqsQueues(QueueOperations queues, MessageOperations messages, Receiver receiver, Clock clock, URI baseUri) {
        this.queues = requireNonNull(queues, "queues is null");
        this.messages = requireNonNull(messages, "messages is null");
        this.receiver = requireNonNull(receiver, "receiver is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.baseUri = requireNonNull(baseUri, "baseUri is null");
    }

    @Override
    public QueueInfo describe(Arn queue) {
        Queue found = queues.require(context(queue), url(queue), "GetQueueAttributes");
        return new QueueInfo(found.fifo(), Duration.ofSeconds(found.visibilityTimeout()));
    }

    @Override
    public SentMessage send(Arn queue, OutgoingMessage message) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        message.attributes().forEach((name, value) -> attributes.put(name,
                new MessageAttributeValue(value.stringValue(), value.binaryValue(), null, null, value.dataType())));
        // A delivery's trace header becomes the message's AWSTraceHeader, as a client request's does.
        SendMessageResponse response = messages.sendMessage(context(queue).withTraceHeader(message.traceHeader()), new SendMessageRequest(url(queue), message.body(), null,
                attributes.isEmpty() ? null : attributes, null, message.deduplicationId(), message.groupId()));
        return new SentMessage(response.messageId(), response.sequenceNumber());
    }

    @Override
    public SentMessage send(Arn queue, OutgoingMessage message, ServiceCaller caller) {
        queues.require(address(queue), caller, "SendMessage");
        return send(queue, message);
    }

    @Override
    public boolean allows(Arn queue, ServiceCaller caller) {
        return queue.service().equals("sqs") && queues.allows(address(queue), caller, "SendMessage");
    }

    @Override
    public List<ReceivedMessage> receive(Arn queue, int max, Duration wait, Duration visibilityTimeout) {
        int waitSeconds = (int) Math.min(MAX_WAIT_SECONDS, Math.max(0, wait.toSeconds()));
        Integer visibility = visibilityTimeout == null ? null : Math.toIntExact(visibilityTimeout.toSeconds());
        List<Message> received = receiver.receiveMessage(context(queue),
                new ReceiveMessageRequest(url(queue), null, ALL, ALL, max, visibility, waitSeconds, null)).messages();
        return received.stream().map(SqsQueues::toReceived).toList();
    }

    @Override
    public void delete(Arn queue, String receiptHandle) {
        messages.deleteMessage(context(queue), new DeleteMessageRequest(url(queue), receiptHandle));
    }

    @Override
    public void changeVisibility(Arn queue, String receiptHandle, Duration visibilityTimeout) {
        messages.changeMessageVisibility(context(queue),
                new ChangeMessageVisibilityRequest(url(queue), receiptHandle, Math.toIntExact(visibilityTimeout.toSeconds())));
    }

    private String url(Arn queue) {
        return address(queue).url(baseUri);
    }

    private static QueueAddress address(Arn queue) {
        if (!queue.service().equals("sqs")) {
            throw AwsException.of(SqsErrors.INVALID_ADDRESS, "%s is not a queue.", queue);
        }
        return new QueueAddress(queue.accountId(), queue.region(), queue.resource());
    }

    private RequestContext context(Arn queue) {
        return new RequestContext(Ids.requestId(), queue.accountId(), queue.region(), "internal", Principal.root(queue.accountId()),
                clock.instant());
    }

    private static ReceivedMessage toReceived(Message message) {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        if (message.messageAttributes() != null) {
            message.messageAttributes().forEach((name, value) -> attributes.put(name,
                    new MessageAttribute(value.dataType(), value.stringValue(), value.binaryValue())));
        }
        return new ReceivedMessage(message.messageId(), message.receiptHandle(), message.body(), message.md5OfBody(),
                message.attributes() == null ? Map.of() : message.attributes(), attributes, message.md5OfMessageAttributes());
    }
}
