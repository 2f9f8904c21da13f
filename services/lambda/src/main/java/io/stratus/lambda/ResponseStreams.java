package io.stratus.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import io.stratus.lambda.LambdaModel.InvokeResponse;
import io.stratus.lambda.LambdaModel.InvokeWithResponseStreamResponse;
import io.stratus.protocol.codec.EventStreamWriter;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * InvokeWithResponseStream's answer: the function's response as {@code PayloadChunk} events, then an
 * {@code InvokeComplete} event with the error that ended it (its {@code ErrorCode} the error's
 * type, its {@code ErrorDetails} the message) and the log's tail, in AWS's event stream encoding.
 * The HTTP {@code Content-Type} is the content type the function streamed with
 * ({@code application/json} for a function that does not stream). Stratus runs the invocation to
 * its end and then sends the events, so they arrive together rather than as the function writes
 * them. Stateless.
 */
final class ResponseStreams {

    /** The most one {@code PayloadChunk} carries. */
    static final int CHUNK_BYTES = 32 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An invocation's answer as Invoke gives it, with the response the function streamed (null when it did not). */
    record Invoked(InvokeResponse response, RuntimeApiServer.Stream stream) {}

    private ResponseStreams() {}

    /** InvokeWithResponseStream's invocation type: RequestResponse (the default) or DryRun, AWS's enum for it. */
    static String invocationType(String invocationType) {
        String type = invocationType == null ? "RequestResponse" : invocationType;
        if (!List.of("RequestResponse", "DryRun").contains(type)) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]",
                    type);
        }
        return type;
    }

    static InvokeWithResponseStreamResponse response(Invoked invoked) {
        InvokeResponse response = invoked.response();
        if (response.statusCode() == 204) {
            return new InvokeWithResponseStreamResponse(204, null, null, new byte[0]);
        }
        RuntimeApiServer.Stream stream = invoked.stream();
        boolean failed = response.functionError() != null;
        byte[] body = stream != null ? stream.body() : failed || response.payload() == null ? new byte[0] : response.payload();
        EventStreamWriter events = new EventStreamWriter();
        for (int offset = 0; offset < body.length; offset += CHUNK_BYTES) {
            events.event("PayloadChunk", "application/octet-stream", Arrays.copyOfRange(body, offset, Math.min(body.length, offset + CHUNK_BYTES)));
        }
        ObjectNode complete = JSON.createObjectNode();
        if (failed) {
            JsonNode error = errorDocument(response.payload());
            complete.put("ErrorCode", error.path("errorType").asText("Unhandled"));
            complete.put("ErrorDetails", error.path("errorMessage").asText(""));
        }
        if (response.logResult() != null) {
            complete.put("LogResult", response.logResult());
        }
        events.event("InvokeComplete", "application/json", complete.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new InvokeWithResponseStreamResponse(200, response.executedVersion(), stream != null ? stream.contentType() : "application/json",
                events.toByteArray());
    }

    private static JsonNode errorDocument(byte[] payload) {
        try {
            JsonNode document = payload == null || payload.length == 0 ? null : JSON.readTree(payload);
            return document != null && document.isObject() ? document : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
