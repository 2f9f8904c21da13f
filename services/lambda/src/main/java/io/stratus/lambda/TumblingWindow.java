package io.stratus.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One tumbling window of a stream mapping ({@code TumblingWindowInSeconds}): the stretch of time
 * its records were written in, and the state the function has returned for it so far, which the
 * next invocation in the window gets. Windows are aligned to multiples of their length since the
 * epoch, so a record's time alone says which window it belongs to.
 *
 * @param start when the window opens (inclusive)
 * @param seconds its length
 * @param state the state so far, as JSON text; {@code {}} for a window nothing was aggregated in yet
 */
record TumblingWindow(Instant start, int seconds, String state) {

    /** The most state a window keeps (per shard); a function returning more ends its window early. */
    static final int MAX_STATE_BYTES = 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NO_STATE = "{}";

    /** The window, with no state yet, that a record written at {@code time} belongs to. */
    static TumblingWindow of(Instant time, int seconds) {
        long length = seconds * 1000L;
        return new TumblingWindow(Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), length) * length), seconds, NO_STATE);
    }

    Instant end() {
        return start.plusSeconds(seconds);
    }

    boolean contains(Instant time) {
        return !time.isBefore(start) && time.isBefore(end());
    }

    /** Whether records written from {@code now} on belong to later windows. */
    boolean over(Instant now) {
        return !now.isBefore(end());
    }

    TumblingWindow withState(String newState) {
        return new TumblingWindow(start, seconds, newState);
    }

    /** The same window starting over, as after it was ended early. */
    TumblingWindow fresh() {
        return withState(NO_STATE);
    }

    boolean stateTooLarge() {
        return state.getBytes(StandardCharsets.UTF_8).length > MAX_STATE_BYTES;
    }

    /**
     * Adds what an invocation in this window carries besides its {@code Records}: {@code window},
     * {@code state}, {@code shardId}, {@code eventSourceARN}, {@code isFinalInvokeForWindow} and
     * {@code isWindowTerminatedEarly}.
     */
    ObjectNode decorate(ObjectNode event, String shardId, String eventSourceArn, boolean finalInvoke, boolean terminatedEarly) {
        event.putObject("window").put("start", start.toString()).put("end", end().toString());
        try {
            event.set("state", JSON.readTree(state));
        } catch (IOException e) {
            throw new IllegalStateException("A tumbling window's stored state is not JSON", e);
        }
        event.put("shardId", shardId);
        event.put("eventSourceARN", eventSourceArn);
        event.put("isFinalInvokeForWindow", finalInvoke);
        event.put("isWindowTerminatedEarly", terminatedEarly);
        return event;
    }

    /**
     * The {@code state} a function's response returns, as JSON text, or null when the response
     * has none: with tumbling windows Lambda counts such an invocation as failed.
     */
    static String stateOf(byte[] payload) {
        try {
            JsonNode response = payload.length == 0 ? null : JSON.readTree(payload);
            JsonNode state = response == null || !response.isObject() ? null : response.get("state");
            return state == null ? null : JSON.writeValueAsString(state);
        } catch (IOException e) {
            return null;
        }
    }
}
