package io.stratus.sqs;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A receipt handle: names one receive of one message. It carries the queue, the message's
 * sequence and the token of that receive, so a handle from an earlier receive of the same message
 * no longer matches once the message is received again. Immutable.
 */
record ReceiptHandle(QueueAddress queue, long sequence, String token) {

    private static final String VERSION = "1";

    ReceiptHandle {
        requireNonNull(queue, "queue is null");
        requireNonNull(token, "token is null");
    }

    String encode() {
        String text = String.join("\n", VERSION, queue.account(), queue.region(), queue.name(), Long.toString(sequence), token);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a handle the client sent for {@code queue}; a handle of another queue is as invalid as garbage. */
    static ReceiptHandle decode(String handle, QueueAddress queue) {
        if (handle == null || handle.isEmpty()) {
            throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter ReceiptHandle.");
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(handle), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length == 6 && parts[0].equals(VERSION)) {
                QueueAddress address = new QueueAddress(parts[1], parts[2], parts[3]);
                if (address.equals(queue)) {
                    return new ReceiptHandle(address, Long.parseLong(parts[4]), parts[5]);
                }
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the error below.
        }
        throw invalid(handle);
    }

    static AwsException invalid(String handle) {
        return AwsException.of(SqsErrors.RECEIPT_HANDLE_IS_INVALID, "The input receipt handle \"%s\" is not a valid receipt handle.", handle);
    }
}
