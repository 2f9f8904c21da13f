package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import io.stratus.core.spi.Queues;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.StratusService;
import io.stratus.sqs.SqsModel.AddPermissionRequest;
import io.stratus.sqs.SqsModel.CancelMessageMoveTaskRequest;
import io.stratus.sqs.SqsModel.ChangeMessageVisibilityBatchRequest;
import io.stratus.sqs.SqsModel.ChangeMessageVisibilityRequest;
import io.stratus.sqs.SqsModel.CreateQueueRequest;
import io.stratus.sqs.SqsModel.DeleteMessageBatchRequest;
import io.stratus.sqs.SqsModel.DeleteMessageRequest;
import io.stratus.sqs.SqsModel.GetQueueAttributesRequest;
import io.stratus.sqs.SqsModel.GetQueueUrlRequest;
import io.stratus.sqs.SqsModel.ListDeadLetterSourceQueuesRequest;
import io.stratus.sqs.SqsModel.ListMessageMoveTasksRequest;
import io.stratus.sqs.SqsModel.ListQueuesRequest;
import io.stratus.sqs.SqsModel.QueueUrlRequest;
import io.stratus.sqs.SqsModel.ReceiveMessageRequest;
import io.stratus.sqs.SqsModel.RemovePermissionRequest;
import io.stratus.sqs.SqsModel.SendMessageBatchRequest;
import io.stratus.sqs.SqsModel.SendMessageRequest;
import io.stratus.sqs.SqsModel.SetQueueAttributesRequest;
import io.stratus.sqs.SqsModel.StartMessageMoveTaskRequest;
import io.stratus.sqs.SqsModel.TagQueueRequest;
import io.stratus.sqs.SqsModel.UntagQueueRequest;
import io.stratus.storage.Store;
import java.net.URI;
import java.time.Clock;

/**
 * Amazon Simple Queue Service: standard and FIFO queues kept in the store, served over awsJson1_0
 * (what current SDKs speak) and awsQuery (older SDKs, the CLI v1) from one declaration of each
 * operation. Queue URLs are {@code <baseUri>/<account>/<name>}. Operations not declared here answer
 * the protocol's unknown-operation error. Thread-safe.
 */
public final class SqsService implements StratusService {

    private final ServiceDefinition definition;
    private final MessageMoveTasks moveTasks;
    private final RetentionSweeper retention;
    private final Store store;
    private final Queues queuesSpi;

    /**
     * @param store where queues and messages live
     * @param clock the time of sends, receives, visibility and retention
     * @param baseUri where clients reach this server, the root of the queue URLs handed out
     */
    public SqsService(Store store, Clock clock, URI baseUri) {
        requireNonNull(store, "store is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(baseUri, "baseUri is null");
        this.store = store;
        QueueWaiters waiters = new QueueWaiters();
        MessageStore messageStore = new MessageStore(store);
        QueueOperations queues = new QueueOperations(new QueueStore(store), messageStore, waiters, clock, baseUri);
        MessageOperations messages = new MessageOperations(queues, messageStore, waiters, clock);
        Receiver receiver = new Receiver(queues, messageStore, waiters, clock);
        this.moveTasks = new MessageMoveTasks(store, queues, messageStore, waiters, clock);
        this.queuesSpi = new SqsQueues(queues, messages, receiver, clock, baseUri);
        this.retention = new RetentionSweeper(store, clock);
        this.definition = ServiceDefinition.builder("sqs")
                .protocol(Protocol.AWS_JSON_1_0)
                .protocol(Protocol.AWS_QUERY)
                .targetPrefix("AmazonSQS")
                .queryVersion("2012-11-05", "http://queue.amazonaws.com/doc/2012-11-05/")
                .queryCompatible()
                .addressedByPath("QueueUrl")
                .operation("CreateQueue", CreateQueueRequest.class, queues::createQueue)
                .operation("GetQueueUrl", GetQueueUrlRequest.class, queues::getQueueUrl)
                .operation("ListQueues", ListQueuesRequest.class, queues::listQueues)
                .operation("GetQueueAttributes", GetQueueAttributesRequest.class, queues::getQueueAttributes)
                .operation("SetQueueAttributes", SetQueueAttributesRequest.class, queues::setQueueAttributes)
                .operation("DeleteQueue", QueueUrlRequest.class, queues::deleteQueue)
                .operation("PurgeQueue", QueueUrlRequest.class, queues::purgeQueue)
                .operation("TagQueue", TagQueueRequest.class, queues::tagQueue)
                .operation("UntagQueue", UntagQueueRequest.class, queues::untagQueue)
                .operation("ListQueueTags", QueueUrlRequest.class, queues::listQueueTags)
                .operation("AddPermission", AddPermissionRequest.class, queues::addPermission)
                .operation("RemovePermission", RemovePermissionRequest.class, queues::removePermission)
                .operation("ListDeadLetterSourceQueues", ListDeadLetterSourceQueuesRequest.class, queues::listDeadLetterSourceQueues)
                .operation("SendMessage", SendMessageRequest.class, messages::sendMessage)
                .operation("SendMessageBatch", SendMessageBatchRequest.class, messages::sendMessageBatch)
                .operation("ReceiveMessage", ReceiveMessageRequest.class, receiver::receiveMessage)
                .operation("DeleteMessage", DeleteMessageRequest.class, messages::deleteMessage)
                .operation("DeleteMessageBatch", DeleteMessageBatchRequest.class, messages::deleteMessageBatch)
                .operation("ChangeMessageVisibility", ChangeMessageVisibilityRequest.class, messages::changeMessageVisibility)
                .operation("ChangeMessageVisibilityBatch", ChangeMessageVisibilityBatchRequest.class, messages::changeMessageVisibilityBatch)
                .operation("StartMessageMoveTask", StartMessageMoveTaskRequest.class, moveTasks::startMessageMoveTask)
                .operation("ListMessageMoveTasks", ListMessageMoveTasksRequest.class, moveTasks::listMessageMoveTasks)
                .operation("CancelMessageMoveTask", CancelMessageMoveTaskRequest.class, moveTasks::cancelMessageMoveTask)
                .build();
    }

    /** The queue operations other services call (deliveries to queues, Lambda's event source poller). */
    public Queues queues() {
        return queuesSpi;
    }

    @Override
    public void start() {
        for (Queue queue : new QueueStore(store).all()) {
            if (queue.fifo()) {
                FifoGroups.backfill(store, queue.address());
            }
        }
        moveTasks.start();
        retention.start();
    }

    @Override
    public void close() {
        retention.close();
        moveTasks.close();
    }

    @Override
    public ServiceDefinition definition() {
        return definition;
    }
}
