package io.stratus.sqs;

import io.stratus.core.AwsException;
import io.stratus.sqs.SqsModel.BatchResultErrorEntry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The rules every SQS batch request follows: 1 to 10 entries, with distinct, well-formed ids. Stateless. */
final class Batches {

    static final int MAX_ENTRIES = 10;

    private static final Pattern ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private Batches() {}

    /**
     * Checks the entries of a batch as AWS does, before any entry runs.
     *
     * @param entryName the entry type in AWS's message, e.g. {@code SendMessageBatchRequestEntry}
     */
    static <E> void check(List<E> entries, Function<E, String> id, String entryName) {
        if (entries == null || entries.isEmpty()) {
            throw AwsException.of(SqsErrors.EMPTY_BATCH_REQUEST, "There should be at least one %s in the request.", entryName);
        }
        if (entries.size() > MAX_ENTRIES) {
            throw AwsException.of(SqsErrors.TOO_MANY_ENTRIES_IN_BATCH_REQUEST,
                    "Maximum number of entries per request are %d. You have sent %d.", MAX_ENTRIES, entries.size());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            E entry = entries.get(i);
            String entryId = entry == null ? null : id.apply(entry);
            if (entryId == null) {
                // An entry without an Id (or a JSON null in Entries).
                throw AwsException.of(SqsErrors.MISSING_PARAMETER, "The request must contain the parameter %s.%d.Id.", entryName, i + 1);
            }
            if (!ENTRY_ID.matcher(entryId).matches()) {
                throw AwsException.of(SqsErrors.INVALID_BATCH_ENTRY_ID,
                        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");
            }
            if (!seen.add(entryId)) {
                throw AwsException.of(SqsErrors.BATCH_ENTRY_IDS_NOT_DISTINCT, "Id %s repeated.", entryId);
            }
        }
    }

    /** One entry's failure, as AWS reports it: the awsQuery code, whose fault, and the message. */
    static BatchResultErrorEntry failure(String id, AwsException error) {
        return new BatchResultErrorEntry(id, error.errorCode().httpStatus() < 500, error.errorCode().queryCode(), error.getMessage());
    }
}
