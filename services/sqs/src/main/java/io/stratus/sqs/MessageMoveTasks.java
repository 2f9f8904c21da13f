package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import io.stratus.sqs.SqsModel.CancelMessageMoveTaskRequest;
import io.stratus.sqs.SqsModel.CancelMessageMoveTaskResponse;
import io.stratus.sqs.SqsModel.ListMessageMoveTasksRequest;
import io.stratus.sqs.SqsModel.ListMessageMoveTasksResponse;
import io.stratus.sqs.SqsModel.MessageMoveTaskEntry;
import io.stratus.sqs.SqsModel.StartMessageMoveTaskRequest;
import io.stratus.sqs.SqsModel.StartMessageMoveTaskResponse;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Message move tasks (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask): a
 * dead-letter queue's messages moved back to the queues they came from, or to a queue named, in
 * the background, at most at the rate asked. Each step moves a batch and records the progress in
 * one transaction, so a restart resumes a task where it stood and never moves a message twice.
 * Only messages the queue held when the task started move, and none that are in flight.
 * Thread-safe.
 */
final class MessageMoveTasks implements AutoCloseable {

    static final String TASKS = "sqs.movetasks";
    /** One key per source queue with a running task, so two starts conflict in the store. */
    static final String ACTIVE = "sqs.movetasks.active";

    private static final int MAX_RATE = 500;
    private static final int UNLIMITED_BATCH = 100;
    private static final int MAX_LIST_RESULTS = 10;

    private final Store store;
    private final QueueOperations queues;
    private final MessageStore messages;
    private final QueueWaiters waiters;
    private final Clock clock;
    private final Map<String, Thread> workers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    MessageMoveTasks(Store store, QueueOperations queues, MessageStore messages, QueueWaiters waiters, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.queues = requireNonNull(queues, "queues is null");
        this.messages = requireNonNull(messages, "messages is null");
        this.waiters = requireNonNull(waiters, "waiters is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Resumes the tasks a previous run left running or cancelling. */
    void start() {
        List<MoveTask> active = new ArrayList<>();
        try (Scan scan = store.scan(TASKS, KeyRange.all())) {
            while (scan.hasNext()) {
                MoveTask task = QueueStore.decode(scan.next().value(), MoveTask.class);
                if (task.active()) {
                    active.add(task);
                }
            }
        }
        active.forEach(this::launch);
    }

    @Override
    public void close() {
        closed = true;
        workers.values().forEach(Thread::interrupt);
        for (Thread worker : workers.values()) {
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    StartMessageMoveTaskResponse startMessageMoveTask(RequestContext context, StartMessageMoveTaskRequest request) {
        Queue source = requireQueue(context, request.sourceArn(), "SourceArn");
        Integer rate = request.maxNumberOfMessagesPerSecond();
        if (rate != null && (rate < 1 || rate > MAX_RATE)) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Value %d for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and %d.", rate, MAX_RATE);
        }
        if (!queues.isDeadLetterQueue(source)) {
            throw AwsException.of(SqsErrors.UNSUPPORTED_OPERATION, "Source queue must be configured as a Dead Letter Queue.");
        }
        if (request.destinationArn() != null) {
            Queue destination = requireQueue(context, request.destinationArn(), "DestinationArn");
            if (destination.fifo() != source.fifo()) {
                throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                        "Value %s for parameter DestinationArn is invalid. Reason: The destination must be the same type of queue as the source.",
                        request.destinationArn());
            }
        }
        long now = clock.millis();
        MoveTask task = store.transaction(txn -> {
            if (txn.get(ACTIVE, QueueStore.key(source.address())) != null) {
                throw AwsException.of(SqsErrors.UNSUPPORTED_OPERATION,
                        "There is already a task running. Only one active task is allowed for a source queue arn at a given time.");
            }
            long newest = MessageStore.newestSequence(txn, source.address());
            long count = queues.count(source).total();
            MoveTask created = new MoveTask(Ids.requestId(), source.address(), request.destinationArn(), rate, MoveTask.RUNNING, null,
                    now, count, 0, newest, 0);
            txn.put(ACTIVE, QueueStore.key(source.address()), created.taskId().getBytes(StandardCharsets.UTF_8));
            write(txn, created);
            return created;
        });
        launch(task);
        return new StartMessageMoveTaskResponse(task.handle());
    }

    CancelMessageMoveTaskResponse cancelMessageMoveTask(RequestContext context, CancelMessageMoveTaskRequest request) {
        if (request.taskHandle() == null) {
            throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter TaskHandle.");
        }
        MoveTask.Handle handle = MoveTask.Handle.parse(request.taskHandle());
        if (!handle.source().account().equals(context.accountId())) {
            throw MoveTask.notFound();
        }
        MoveTask cancelled = store.transaction(txn -> {
            MoveTask task = read(txn, handle);
            if (task == null) {
                throw MoveTask.notFound();
            }
            if (!task.status().equals(MoveTask.RUNNING)) {
                throw AwsException.of(SqsErrors.UNSUPPORTED_OPERATION, "Only active tasks can be cancelled; this one is %s.", task.status());
            }
            MoveTask cancelling = task.ended(MoveTask.CANCELLING, null);
            write(txn, cancelling);
            return cancelling;
        });
        Thread worker = workers.get(cancelled.taskId());
        if (worker != null) {
            LockSupport.unpark(worker);
        }
        return new CancelMessageMoveTaskResponse(cancelled.moved());
    }

    ListMessageMoveTasksResponse listMessageMoveTasks(RequestContext context, ListMessageMoveTasksRequest request) {
        Queue source = requireQueue(context, request.sourceArn(), "SourceArn");
        int max = request.maxResults() == null ? 1 : request.maxResults();
        if (max < 1 || max > MAX_LIST_RESULTS) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE,
                    "Value %d for parameter MaxResults is invalid. Reason: Must be between 1 and %d.", max, MAX_LIST_RESULTS);
        }
        List<MessageMoveTaskEntry> results = new ArrayList<>();
        try (Scan scan = store.scan(TASKS, KeyRange.prefix(QueueStore.key(source.address())), true)) {
            while (scan.hasNext() && results.size() < max) {
                results.add(QueueStore.decode(scan.next().value(), MoveTask.class).toEntry());
            }
        }
        return new ListMessageMoveTasksResponse(results);
    }

    private Queue requireQueue(RequestContext context, String arnText, String parameter) {
        if (arnText == null) {
            throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter %s.", parameter);
        }
        Arn arn;
        try {
            arn = Arn.parse(arnText);
        } catch (IllegalArgumentException e) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "Value %s for parameter %s is invalid. Reason: Invalid ARN.", arnText, parameter);
        }
        if (!arn.service().equals("sqs") || !arn.accountId().equals(context.accountId())) {
            throw AwsException.of(SqsErrors.INVALID_PARAMETER_VALUE, "Value %s for parameter %s is invalid. Reason: Invalid ARN.", arnText, parameter);
        }
        return queues.find(new QueueAddress(arn.accountId(), arn.region(), arn.resource())).orElseThrow(() -> AwsException.of(
                SqsErrors.RESOURCE_NOT_FOUND, "The resource that you specified for the %s parameter doesn't exist.", parameter));
    }

    private void launch(MoveTask task) {
        if (closed) {
            return;
        }
        Thread worker = Thread.ofVirtual().name("sqs-move-" + task.taskId()).unstarted(() -> run(task));
        workers.put(task.taskId(), worker);
        worker.start();
    }

    /** Moves batches until the task ends, is cancelled, or the service closes. */
    private void run(MoveTask started) {
        long runStart = System.nanoTime();
        long movedAtRunStart = started.moved();
        MoveTask.Handle handle = new MoveTask.Handle(started.source(), started.startedAt(), started.taskId());
        try {
            while (!closed) {
                List<QueueAddress> touched = new ArrayList<>();
                MoveTask task = store.transaction(txn -> {
                    touched.clear();
                    return step(txn, handle, touched);
                });
                touched.forEach(waiters::notify);
                if (task == null || !task.active()) {
                    return;
                }
                if (task.maxPerSecond() != null) {
                    // Paces the moves: n messages may take no less than n / rate seconds.
                    long due = runStart + (task.moved() - movedAtRunStart) * 1_000_000_000L / task.maxPerSecond();
                    LockSupport.parkNanos(due - System.nanoTime());
                }
            }
        } finally {
            workers.remove(started.taskId());
        }
    }

    /**
     * One transaction's worth of a task: a batch moved and the progress recorded, or the task
     * ended. Adds the queues it moved messages to to {@code touched}, to wake their receivers
     * once it has committed.
     */
    private MoveTask step(Transaction txn, MoveTask.Handle handle, List<QueueAddress> touched) {
        MoveTask task = read(txn, handle);
        if (task == null || !task.active()) {
            return task;
        }
        if (task.status().equals(MoveTask.CANCELLING)) {
            return end(txn, task, MoveTask.CANCELLED, null);
        }
        Queue source = QueueStore.read(txn, task.source());
        if (source == null) {
            return end(txn, task, MoveTask.FAILED, SqsErrors.QUEUE_DOES_NOT_EXIST.queryCode());
        }
        long now = clock.millis();
        int batch = task.maxPerSecond() == null ? UNLIMITED_BATCH : Math.min(task.maxPerSecond(), Batches.MAX_ENTRIES);
        List<QueuedMessage> candidates = MessageStore.between(txn, source.address(), task.cursor() + 1, task.lastSequence(), batch);
        Map<String, Queue> destinations = new HashMap<>();
        long moved = 0;
        long cursor = task.cursor();
        for (QueuedMessage message : candidates) {
            if (message.inFlight(now)) {
                cursor = message.sequence();
                continue;
            }
            String target = task.destinationArn() != null ? task.destinationArn() : message.deadLetterSourceArn();
            if (target == null) {
                return end(txn, task.progressed(moved, cursor), MoveTask.FAILED, "CouldNotDetermineMessageSource");
            }
            Queue destination = destinations.computeIfAbsent(target, arn -> QueueStore.read(txn, address(arn)));
            if (destination == null) {
                return end(txn, task.progressed(moved, cursor), MoveTask.FAILED, SqsErrors.QUEUE_DOES_NOT_EXIST.queryCode());
            }
            MessageStore.remove(txn, source.address(), message);
            long sequence = destination.fifo()
                    ? MessageStore.nextSequence(txn, destination.address(), now)
                    : messages.nextStandardSequence(destination.address(), now);
            MessageStore.put(txn, destination.address(), message.redriven(sequence, now));
            cursor = message.sequence();
            moved++;
        }
        MoveTask progressed = task.progressed(moved, cursor);
        destinations.values().forEach(queue -> touched.add(queue.address()));
        if (candidates.size() < batch) {
            return end(txn, progressed, MoveTask.COMPLETED, null);
        }
        write(txn, progressed);
        return progressed;
    }

    private static MoveTask end(Transaction txn, MoveTask task, String status, String reason) {
        MoveTask ended = task.ended(status, reason);
        txn.delete(ACTIVE, QueueStore.key(task.source()));
        write(txn, ended);
        return ended;
    }

    private static QueueAddress address(String arnText) {
        Arn arn = Arn.parse(arnText);
        return new QueueAddress(arn.accountId(), arn.region(), arn.resource());
    }

    private static MoveTask read(StoreReader reader, MoveTask.Handle handle) {
        byte[] value = reader.get(TASKS, key(handle.source(), handle.startedAt(), handle.taskId()));
        return value == null ? null : QueueStore.decode(value, MoveTask.class);
    }

    private static void write(Transaction txn, MoveTask task) {
        txn.put(TASKS, key(task.source(), task.startedAt(), task.taskId()), QueueStore.encode(task));
    }

    private static byte[] key(QueueAddress source, long startedAt, String taskId) {
        return Key.builder().add(source.account()).add(source.region()).add(source.name()).add(startedAt).add(taskId).build();
    }
}
