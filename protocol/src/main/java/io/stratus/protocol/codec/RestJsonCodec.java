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
import io.stratus.protocol.shape.Binding;
import io.stratus.protocol.shape.MemberShape;
import io.stratus.protocol.shape.StructureShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * restJson1: the operation is chosen by method and URI template; members travel in labels, the
 * query string, headers or a JSON body. Errors carry {@code x-amzn-ErrorType} and a JSON body.
 */
final class RestJsonCodec implements ProtocolCodec {

    static final RestJsonCodec INSTANCE = new RestJsonCodec();

    private RestJsonCodec() {}

    @Override
    public Protocol protocol() {
        return Protocol.REST_JSON_1;
    }

    @Override
    public DecodedRequest decode(ServiceDefinition service, HttpRequest request) {
        RestBindings.Match match = RestBindings.resolve(service, request);
        OperationDefinition<?, ?> operation = match.operation();
        ObjectMapper mapper = JsonMappers.of(service.naming());
        StructureShape shape = StructureShape.of(operation.inputType(), service.naming());
        JsonNode body = RestBindings.hasBodyMembers(shape) ? readBody(mapper, service, request) : null;
        ObjectMapper bodyMapper = JsonMappers.withoutNullElements(service.naming());
        Object input = RestBindings.construct(shape, member -> switch (member.binding()) {
            case BODY -> RestBindings.bodyValue(bodyMapper, member, body == null ? null : body.get(member.jsonName()));
            case PAYLOAD -> payload(service, mapper, member, request);
            case LABEL, QUERY, HEADER, PREFIX_HEADERS -> RestBindings.boundValue(mapper, member, request, match.labels());
            case RESPONSE_CODE -> null;
        });
        return new DecodedRequest(operation, input);
    }

    private static JsonNode readBody(ObjectMapper mapper, ServiceDefinition service, HttpRequest request) {
        byte[] bytes = request.bodyBytes(service.maxRequestBytes());
        if (bytes.length == 0) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(bytes);
            if (!(node instanceof ObjectNode)) {
                throw AwsException.of(CommonErrors.SERIALIZATION, "The request body must be a JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new AwsException(CommonErrors.SERIALIZATION, AwsJsonCodec.describe(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object payload(ServiceDefinition service, ObjectMapper mapper, MemberShape member, HttpRequest request) {
        Object raw = RestBindings.rawPayload(service, member, request);
        if (raw != null || member.rawType() == java.io.InputStream.class) {
            return raw;
        }
        return RestBindings.bodyValue(mapper, member, readBody(mapper, service, request));
    }

    @Override
    public HttpResponse encode(ServiceDefinition service, OperationDefinition<?, ?> operation, Object output, String requestId) {
        ObjectMapper mapper = JsonMappers.of(service.naming());
        StructureShape shape = StructureShape.of(output.getClass(), service.naming());
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("x-amzn-RequestId", requestId));
        Integer status = RestBindings.writeOutputBindings(shape, output, headers, service);
        int code = status != null ? status : operation.http().successCode();
        Object payload = shape.member(Binding.PAYLOAD).map(member -> member.get(output)).orElse(null);
        if (payload instanceof java.io.InputStream stream) {
            // An event stream (Lambda's InvokeWithResponseStream): sent as it is written, its length unknown.
            HttpResponse response = HttpResponse.streaming(code, stream);
            headers.forEach(header -> response.header(header.getKey(), header.getValue()));
            return response;
        }
        byte[] body = shape.member(Binding.PAYLOAD).isPresent() ? payloadBytes(mapper, payload, headers) : bodyBytes(mapper, shape, output, headers);
        return RestBindings.response(code, body, headers);
    }

    private static byte[] payloadBytes(ObjectMapper mapper, Object value, List<Map.Entry<String, String>> headers) {
        if (value == null) {
            return new byte[0];
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        headers.add(Map.entry("Content-Type", "application/json"));
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode " + value.getClass().getName(), e);
        }
    }

    private static byte[] bodyBytes(ObjectMapper mapper, StructureShape shape, Object output, List<Map.Entry<String, String>> headers) {
        if (!RestBindings.hasBodyMembers(shape)) {
            return new byte[0];
        }
        ObjectNode body = mapper.createObjectNode();
        for (MemberShape member : shape.members(Binding.BODY)) {
            Object value = member.get(output);
            if (value != null) {
                body.set(member.jsonName(), mapper.valueToTree(value));
            }
        }
        headers.add(Map.entry("Content-Type", "application/json"));
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode " + output.getClass().getName(), e);
        }
    }

    @Override
    public HttpResponse encodeError(ServiceDefinition service, AwsException error, String requestId) {
        return AwsJsonCodec.jsonError(service, error, requestId, "application/json", false);
    }
}
