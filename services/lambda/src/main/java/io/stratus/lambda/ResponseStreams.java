package io.stratus.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import io.stratus.lambda.LambdaModel.InvokeResponse;
import io.stratus.lambda.LambdaModel.InvokeWithResponseStreamResponse;
import io.stratus.protocol.codec.EventStreamWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * InvokeWithResponseStream's answer: the function's response as {@code PayloadChunk} events, then an
 * {@code InvokeComplete} event with the error that ended it (its {@code ErrorCode} the error's
 * type, its {@code ErrorDetails} the message) and the log's tail, in AWS's event stream encoding.
 * The HTTP {@code Content-Type} is the content type the function streamed with
 * ({@code application/json} for a function that does not stream). A function that streams is
 * answered as soon as it begins to: each {@code PayloadChunk} carries what it wrote since the last
 * one, as it writes it; one that does not is answered when it is done. Stateless.
 */
final class ResponseStreams {

    /** The most one {@code PayloadChunk} carries. */
    static final int CHUNK_BYTES = 32 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An invocation's answer as Invoke gives it, with the response the function streamed (null when it did not). */
    record Invoked(InvokeResponse response, StreamedResponse stream) {}

    /** An invocation whose function began to stream its response: the stream, and the version that runs. */
    record Started(StreamedResponse stream, String executedVersion) {}

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

    /**
     * Runs an invocation and answers as soon as its function begins to stream, else once it ended.
     *
     * @param run starts the invocation, telling the consumer it is given when the function begins to stream
     */
    static CompletionStage<InvokeWithResponseStreamResponse> answer(Function<Consumer<Started>, CompletionStage<Invoked>> run) {
        CompletableFuture<Invoked> ended = new CompletableFuture<>();
        CompletableFuture<InvokeWithResponseStreamResponse> answer = new CompletableFuture<>();
        run.apply(started -> answer.complete(response(started, ended))).whenComplete((invoked, failure) -> {
            if (failure != null) {
                ended.completeExceptionally(failure);
                answer.completeExceptionally(failure);
            } else {
                ended.complete(invoked);
                if (!answer.isDone()) {
                    answer.complete(response(invoked));
                }
            }
        });
        return answer;
    }

    /** The answer to an invocation that ended without streaming (or not at all: a DryRun). */
    static InvokeWithResponseStreamResponse response(Invoked invoked) {
        InvokeResponse response = invoked.response();
        if (response.statusCode() == 204) {
            return new InvokeWithResponseStreamResponse(204, null, null, null);
        }
        byte[] body = response.functionError() != null || response.payload() == null ? new byte[0] : response.payload();
        ByteArrayOutputStream events = new ByteArrayOutputStream();
        for (int offset = 0; offset < body.length; offset += CHUNK_BYTES) {
            events.writeBytes(payloadChunk(body, offset, Math.min(body.length - offset, CHUNK_BYTES)));
        }
        events.writeBytes(invokeComplete(response));
        return new InvokeWithResponseStreamResponse(200, response.executedVersion(), "application/json",
                new java.io.ByteArrayInputStream(events.toByteArray()));
    }

    /**
     * The answer to an invocation whose function began to stream: its events follow the stream as
     * it grows, and end with {@code InvokeComplete} once the invocation ended.
     */
    static InvokeWithResponseStreamResponse response(Started started, CompletionStage<Invoked> ended) {
        return new InvokeWithResponseStreamResponse(200, started.executedVersion(), started.stream().contentType(),
                new Events(started.stream().reader(), ended.toCompletableFuture()));
    }

    private static byte[] payloadChunk(byte[] bytes, int offset, int length) {
        return new EventStreamWriter().event("PayloadChunk", "application/octet-stream", Arrays.copyOfRange(bytes, offset, offset + length))
                .toByteArray();
    }

    private static byte[] invokeComplete(InvokeResponse response) {
        ObjectNode complete = JSON.createObjectNode();
        if (response.functionError() != null) {
            JsonNode error = errorDocument(response.payload());
            complete.put("ErrorCode", error.path("errorType").asText("Unhandled"));
            complete.put("ErrorDetails", error.path("errorMessage").asText(""));
        }
        if (response.logResult() != null) {
            complete.put("LogResult", response.logResult());
        }
        return new EventStreamWriter().event("InvokeComplete", "application/json", complete.toString().getBytes(StandardCharsets.UTF_8))
                .toByteArray();
    }

    /**
     * The events of a streaming invocation, encoded as they are read: each read of the function's
     * stream (what it wrote since the last) becomes a {@code PayloadChunk}; at the stream's end,
     * once the invocation ended, the {@code InvokeComplete}.
     */
    private static final class Events extends InputStream {
        private final InputStream stream;
        private final CompletableFuture<Invoked> ended;
        private final byte[] chunk = new byte[CHUNK_BYTES];
        private byte[] pending = new byte[0];
        private int position;
        private boolean complete;

        Events(InputStream stream, CompletableFuture<Invoked> ended) {
            this.stream = stream;
            this.ended = ended;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, target.length);
            if (length == 0) {
                return 0;
            }
            if (position == pending.length && !next()) {
                return -1;
            }
            int n = Math.min(length, pending.length - position);
            System.arraycopy(pending, position, target, offset, n);
            position += n;
            return n;
        }

        /** Encodes the next event; false after the last. */
        private boolean next() throws IOException {
            if (complete) {
                return false;
            }
            int read = stream.read(chunk, 0, chunk.length);
            if (read > 0) {
                pending = payloadChunk(chunk, 0, read);
            } else {
                complete = true;
                try {
                    pending = invokeComplete(ended.get().response());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("Interrupted while waiting for the invocation's end");
                } catch (ExecutionException e) {
                    // The invocation failed in Stratus itself: the stream ends without its completion.
                    throw new IOException("The invocation failed", e.getCause());
                }
            }
            position = 0;
            return true;
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
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
