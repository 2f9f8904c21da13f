package io.stratus.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@code ReportBatchItemFailures} response ({@code {"batchItemFailures":[{"itemIdentifier":…}]}})
 * as Lambda reads it for every event source that takes one: an empty or null list, or no response,
 * means every item succeeded; a response Lambda cannot read, or one naming an item that is not in
 * the batch, fails the whole batch.
 */
final class BatchItemFailures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BatchItemFailures() {}

    /** The identifiers of the batch's items ({@code ids}) that the response names as failed. */
    static Set<String> named(byte[] payload, List<String> ids) {
        Set<String> all = new HashSet<>(ids);
        JsonNode response;
        try {
            response = payload.length == 0 ? null : JSON.readTree(payload);
        } catch (IOException e) {
            return all;
        }
        if (response == null || response.isNull()) {
            return Set.of();
        }
        if (!response.isObject()) {
            return all;
        }
        JsonNode items = response.get("batchItemFailures");
        if (items == null || items.isNull()) {
            return Set.of();
        }
        if (!items.isArray()) {
            return all;
        }
        Set<String> failed = new HashSet<>();
        for (JsonNode item : items) {
            JsonNode id = item.get("itemIdentifier");
            if (id == null || !id.isTextual() || id.asText().isEmpty() || !all.contains(id.asText())) {
                return all;
            }
            failed.add(id.asText());
        }
        return failed;
    }
}
