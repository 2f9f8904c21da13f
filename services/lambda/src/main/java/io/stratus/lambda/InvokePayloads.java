package io.stratus.lambda;

import io.stratus.core.AwsException;

/** The checks of an Invoke's payload and client context, with AWS's errors. Stateless. */
final class InvokePayloads {

    /** AWS's limit on a synchronous Invoke payload. */
    static final int MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
    /** AWS's limit on an asynchronous ({@code Event}) Invoke payload. */
    static final int MAX_ASYNC_PAYLOAD = 1024 * 1024;

    private InvokePayloads() {}

    /** The client context as runtimes get it: the JSON the base64 header carries. */
    static String clientContext(String base64) {
        if (base64 == null) {
            return null;
        }
        try {
            String json = new String(java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
            if (!json.strip().startsWith("{")) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return json;
        } catch (IllegalArgumentException e) {
            throw AwsException.of(LambdaErrors.INVALID_REQUEST_CONTENT, "Client context must be a valid Base64-encoded JSON object.");
        }
    }

    /**
     * An Invoke's {@code InvocationType} (default {@code RequestResponse}), once it and the
     * {@code LogType} are values of their enums (else {@code ValidationException}, as AWS checks them).
     */
    static String invocationType(String invocationType, String logType) {
        String type = invocationType == null ? "RequestResponse" : invocationType;
        if (!java.util.List.of("Event", "RequestResponse", "DryRun").contains(type)) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]",
                    type);
        }
        if (logType != null && !java.util.List.of("None", "Tail").contains(logType)) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]",
                    logType);
        }
        return type;
    }

    /** An Invoke payload over its limit: AWS answers {@code RequestEntityTooLargeException} (not the {@code RequestTooLargeException} its API reference names). */
    static AwsException tooLarge(int size, int limit) {
        return AwsException.of(LambdaErrors.REQUEST_ENTITY_TOO_LARGE, "%d byte payload is too large for the %s invocation type (limit %d bytes)",
                size, limit == MAX_SYNC_PAYLOAD ? "RequestResponse" : "Event", limit);
    }

    /** AWS refuses an Invoke payload that is not JSON (an empty one is allowed). */
    static void requireJson(byte[] payload) {
        if (payload.length == 0) {
            return;
        }
        try (com.fasterxml.jackson.core.JsonParser parser = JSON_FACTORY.createParser(payload)) {
            if (parser.nextToken() == null) {
                return;
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new com.fasterxml.jackson.core.JsonParseException(parser, "Unexpected content after the JSON value");
            }
        } catch (java.io.IOException e) {
            String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw AwsException.of(LambdaErrors.INVALID_REQUEST_CONTENT, "Could not parse request body into json: Could not parse payload into json: %s", reason);
        }
    }

    private static final com.fasterxml.jackson.core.JsonFactory JSON_FACTORY = new com.fasterxml.jackson.core.JsonFactory();

}
