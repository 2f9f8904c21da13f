package io.stratus.sqs;

import io.stratus.storage.Key;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * FIFO receive attempts ({@code ReceiveRequestAttemptId}): a receive that is retried with the
 * same attempt id within five minutes gets the messages and receipt handles of the first one
 * again, with their visibility timeout restarted, as long as none of them was deleted, received
 * again or had its visibility changed since; otherwise the retry is a receive of its own. One key
 * per attempt, written in the receive's transaction.
 */
final class ReceiveAttempts {

    static final String ATTEMPTS = "sqs.attempts";

    private static final long WINDOW_MILLIS = 5 * 60_000;

    /**
     * What an attempt received.
     *
     * @param sequences the messages, in the order returned
     * @param receipts the receipt token each had
     * @param visibleAt the visibility each was given, to tell whether anything changed it since
     * @param expiresAt the end of the attempt's five minutes, epoch millis
     */
    record Attempt(List<Long> sequences, List<String> receipts, List<Long> visibleAt, long expiresAt) {}

    private ReceiveAttempts() {}

    static void record(Transaction txn, QueueAddress queue, String attemptId, List<QueuedMessage> taken, long now) {
        Attempt attempt = new Attempt(taken.stream().map(QueuedMessage::sequence).toList(),
                taken.stream().map(QueuedMessage::receipt).toList(), taken.stream().map(QueuedMessage::visibleAt).toList(),
                now + WINDOW_MILLIS);
        txn.put(ATTEMPTS, key(queue, attemptId), QueueStore.encode(attempt));
    }

    /**
     * The messages of an earlier attempt, hidden again for {@code visibility} seconds from now; or
     * null when there was none within five minutes or any of its messages changed since.
     */
    static List<QueuedMessage> replay(Transaction txn, QueueAddress queue, String attemptId, long now, int visibility) {
        Attempt attempt = read(txn, queue, attemptId);
        if (attempt == null || attempt.expiresAt() <= now) {
            return null;
        }
        List<QueuedMessage> replayed = new ArrayList<>();
        for (int i = 0; i < attempt.sequences().size(); i++) {
            QueuedMessage message = MessageStore.get(txn, queue, attempt.sequences().get(i));
            if (message == null || !attempt.receipts().get(i).equals(message.receipt()) || message.visibleAt() != attempt.visibleAt().get(i)) {
                return null;
            }
            replayed.add(message);
        }
        List<QueuedMessage> rehidden = new ArrayList<>();
        for (QueuedMessage message : replayed) {
            QueuedMessage hidden = message.visibleAt(now + visibility * 1000L);
            MessageStore.update(txn, queue, message, hidden);
            rehidden.add(hidden);
        }
        Attempt renewed = new Attempt(attempt.sequences(), attempt.receipts(), rehidden.stream().map(QueuedMessage::visibleAt).toList(),
                attempt.expiresAt());
        txn.put(ATTEMPTS, key(queue, attemptId), QueueStore.encode(renewed));
        return rehidden;
    }

    private static Attempt read(StoreReader reader, QueueAddress queue, String attemptId) {
        byte[] value = reader.get(ATTEMPTS, key(queue, attemptId));
        return value == null ? null : QueueStore.decode(value, Attempt.class);
    }

    private static byte[] key(QueueAddress queue, String attemptId) {
        return Key.builder().add(queue.account()).add(queue.region()).add(queue.name()).add(attemptId).build();
    }
}
