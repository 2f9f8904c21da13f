package io.stratus.protocol.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.OperationDefinition;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;

/**
 * awsJson1_0 and awsJson1_1: {@code POST /} with {@code X-Amz-Target: Prefix.Operation} and a JSON
 * body; errors as {@code {"__type": …, "message": …}}. Also awsJson1_1 in CBOR: the same shapes in
 * CBOR bodies.
 */
final class AwsJsonCodec implements ProtocolCodec {

    static final AwsJsonCodec V1_0 = new AwsJsonCodec(Protocol.AWS_JSON_1_0);
    static final AwsJsonCodec V1_1 = new AwsJsonCodec(Protocol.AWS_JSON_1_1);
    static final AwsJsonCodec CBOR_1_1 = new AwsJsonCodec(Protocol.AWS_CBOR_1_1);

    private final Protocol protocol;

    private AwsJsonCodec(Protocol protocol) {
        this.protocol = protocol;
    }

    private ObjectMapper mapper(io.stratus.protocol.shape.MemberNaming naming) {
        return protocol == Protocol.AWS_CBOR_1_1 ? JsonMappers.cbor(naming) : JsonMappers.of(naming);
    }

    @Override
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public DecodedRequest decode(ServiceDefinition service, HttpRequest request) {
        String target = request.header("x-amz-target").orElse("");
        int dot = target.lastIndexOf('.');
        String prefix = dot < 0 ? "" : target.substring(0, dot);
        String name = target.substring(dot + 1);
        OperationDefinition<?, ?> operation = service.operation(name)
                .filter(op -> prefix.equals(service.targetPrefix()) && request.method().equals("POST"))
                .orElseThrow(() -> AwsException.of(CommonErrors.UNKNOWN_OPERATION, "Operation %s is not supported by %s.",
                        target.isEmpty() ? "(none)" : target, service.name()));
        String mediaType = request.mediaType();
        boolean accepted = protocol == Protocol.AWS_CBOR_1_1 ? mediaType.startsWith("application/x-amz-cbor")
                : mediaType.isEmpty() || mediaType.startsWith("application/x-amz-json") || mediaType.equals("application/json");
        if (!accepted) {
            throw AwsException.of(CommonErrors.UNKNOWN_OPERATION, "Content-Type %s is not supported; send %s.", mediaType, protocol.contentType());
        }
        byte[] body = request.bodyBytes(service.maxRequestBytes());
        return new DecodedRequest(operation, readInput(mapper(service.naming()), body, operation.inputType()));
    }

    static <T> T readInput(ObjectMapper mapper, byte[] body, Class<T> type) {
        try {
            if (body.length == 0) {
                return mapper.treeToValue(mapper.createObjectNode(), type);
            }
            JsonNode tree = mapper.readTree(body);
            if (!(tree instanceof ObjectNode)) {
                throw new AwsException(CommonErrors.SERIALIZATION, "The request body must be a JSON object.");
            }
            return mapper.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            // A service's own deserializer may refuse a value with its error (DynamoDB refuses an
            // AttributeValue with two types as a ValidationException); Jackson wraps it.
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof AwsException refused) {
                    throw refused;
                }
            }
            throw new AwsException(CommonErrors.SERIALIZATION, describe(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Jackson's message without its source excerpt and Java class names, which AWS would not show. */
    static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            return "Malformed request body";
        }
        message = message.replaceAll("`[a-z0-9_.$]+\\.([A-Za-z0-9_$]+)`", "$1").replaceAll("\\s*\\(for [^)]*\\)", "");
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public HttpResponse encode(ServiceDefinition service, OperationDefinition<?, ?> operation, Object output, String requestId) {
        try {
            byte[] body = mapper(service.naming()).writeValueAsBytes(output);
            return withCrc32(service, new HttpResponse(200, body)
                    .header("Content-Type", protocol.contentType())
                    .header("x-amzn-RequestId", requestId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode " + output.getClass().getName(), e);
        }
    }

    @Override
    public HttpResponse encodeError(ServiceDefinition service, AwsException error, String requestId) {
        ObjectMapper mapper = mapper(service == null ? io.stratus.protocol.shape.MemberNaming.PASCAL_CASE : service.naming());
        return jsonError(mapper, service, error, requestId, protocol.contentType(), true);
    }

    static HttpResponse jsonError(ServiceDefinition service, AwsException error, String requestId, String contentType, boolean withType) {
        return jsonError(JsonMappers.of(service == null ? io.stratus.protocol.shape.MemberNaming.PASCAL_CASE : service.naming()), service, error,
                requestId, contentType, withType);
    }

    private static HttpResponse jsonError(ObjectMapper mapper, ServiceDefinition service, AwsException error, String requestId, String contentType,
            boolean withType) {
        ObjectNode body = mapper.createObjectNode();
        String code = error.errorCode().code();
        if (withType) {
            String namespace = service == null ? null : service.errorNamespace();
            body.put("__type", namespace == null ? code : namespace + "#" + code);
        }
        body.put("message", error.getMessage());
        error.details().forEach(body::put);
        error.structuredDetails().forEach((name, value) -> body.set(name, mapper.valueToTree(value)));
        try {
            HttpResponse response = new HttpResponse(error.errorCode().httpStatus(), mapper.writeValueAsBytes(body))
                    .header("Content-Type", contentType)
                    .header("x-amzn-RequestId", requestId)
                    .header("x-amzn-ErrorType", code);
            if (service != null && service.queryCompatible()) {
                response.header("x-amzn-query-error", error.errorCode().queryCode() + ";" + error.errorCode().fault().wireName());
            }
            return withCrc32(service, response);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode an error body", e);
        }
    }

    /** DynamoDB's SDKs check the body against {@code x-amz-crc32} when the service sends it. */
    private static HttpResponse withCrc32(ServiceDefinition service, HttpResponse response) {
        if (service != null && service.crc32Header()) {
            CRC32 crc = new CRC32();
            crc.update(response.body());
            response.header("x-amz-crc32", Long.toString(crc.getValue()));
        }
        return response;
    }
}
