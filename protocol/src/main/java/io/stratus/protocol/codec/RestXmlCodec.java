package io.stratus.protocol.codec;

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
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * restXml (S3): the operation is chosen by method and URI template; members travel in labels, the
 * query string, headers, a raw payload or an XML body. Errors as S3's {@code <Error>} with
 * {@code x-amz-request-id}.
 */
final class RestXmlCodec implements ProtocolCodec {

    static final RestXmlCodec INSTANCE = new RestXmlCodec();

    private RestXmlCodec() {}

    @Override
    public Protocol protocol() {
        return Protocol.REST_XML;
    }

    @Override
    public DecodedRequest decode(ServiceDefinition service, HttpRequest request) {
        RestBindings.Match match;
        try {
            match = RestBindings.resolve(service, request);
        } catch (AwsException e) {
            if (RestBindings.matchesAnotherMethod(service, request)) {
                // S3 answers a method its resource does not support with 405, not "unknown operation".
                throw new AwsException(CommonErrors.METHOD_NOT_ALLOWED, "The specified method is not allowed against this resource.",
                        Map.of("Method", request.method(), "ResourceType", request.rawPath().indexOf('/', 1) > 0 ? "OBJECT" : "BUCKET"), null);
            }
            throw e;
        }
        OperationDefinition<?, ?> operation = match.operation();
        ObjectMapper mapper = JsonMappers.of(service.naming());
        XmlDecoder decoder = new XmlDecoder(service.naming());
        StructureShape shape = StructureShape.of(operation.inputType(), service.naming());
        ObjectNode body = RestBindings.hasBodyMembers(shape) ? readBody(service, decoder, shape.type(), request) : null;
        Object input = RestBindings.construct(shape, member -> switch (member.binding()) {
            case BODY -> RestBindings.bodyValue(mapper, member, body == null ? null : body.get(member.jsonName()));
            case PAYLOAD -> payload(service, mapper, decoder, member, request);
            case LABEL, QUERY, HEADER, PREFIX_HEADERS -> bound(mapper, member, request, match.labels());
            case RESPONSE_CODE -> null;
        });
        return new DecodedRequest(operation, input);
    }

    /** A header or query value of the wrong type is S3's {@code InvalidArgument}, not a JSON service's serialization error. */
    private static Object bound(ObjectMapper mapper, MemberShape member, HttpRequest request, Map<String, String> labels) {
        try {
            return RestBindings.boundValue(mapper, member, request, labels);
        } catch (AwsException e) {
            if (e.errorCode() == CommonErrors.SERIALIZATION) {
                throw new AwsException(CommonErrors.INVALID_ARGUMENT, e.getMessage(), Map.of("ArgumentName", member.bindingName()), e);
            }
            throw e;
        }
    }

    private static ObjectNode readBody(ServiceDefinition service, XmlDecoder decoder, Class<?> type, HttpRequest request) {
        byte[] bytes = request.bodyBytes(service.maxRequestBytes());
        return bytes.length == 0 ? null : decoder.structure(XmlDecoder.parse(bytes), type);
    }

    private static Object payload(ServiceDefinition service, ObjectMapper mapper, XmlDecoder decoder, MemberShape member, HttpRequest request) {
        Object raw = RestBindings.rawPayload(service, member, request);
        if (raw != null || member.rawType() == InputStream.class || !member.rawType().isRecord()) {
            return raw;
        }
        return RestBindings.bodyValue(mapper, member, readBody(service, decoder, member.rawType(), request));
    }

    @Override
    public HttpResponse encode(ServiceDefinition service, OperationDefinition<?, ?> operation, Object output, String requestId) {
        StructureShape shape = StructureShape.of(output.getClass(), service.naming());
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        Integer status = RestBindings.writeOutputBindings(shape, output, headers, service);
        byte[] body;
        Optional<MemberShape> payload = shape.member(Binding.PAYLOAD);
        int successCode = status != null ? status : operation.http().successCode();
        if (payload.isPresent() && payload.get().get(output) instanceof InputStream stream) {
            return withRequestIds(streaming(successCode, stream, headers), requestId);
        }
        if (payload.isPresent()) {
            Object value = payload.get().get(output);
            body = switch (value) {
                case null -> new byte[0];
                case byte[] bytes -> bytes;
                case String text -> text.getBytes(StandardCharsets.UTF_8);
                default -> document(service, value, StructureShape.of(value.getClass(), service.naming()).xmlName(), headers);
            };
        } else if (RestBindings.hasBodyMembers(shape)) {
            body = document(service, output, shape.xmlName(), headers);
        } else {
            body = new byte[0];
        }
        return withRequestIds(RestBindings.response(successCode, body, headers), requestId);
    }

    /** A streamed payload (an S3 object): its length is the output's {@code Content-Length} header, which must be bound. */
    private static HttpResponse streaming(int status, InputStream stream, List<Map.Entry<String, String>> headers) {
        long length = -1;
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(header.getValue());
                break;
            }
        }
        if (length < 0) {
            throw new IllegalStateException("A streamed payload needs a Content-Length header member");
        }
        HttpResponse response = HttpResponse.streaming(status, stream, length);
        headers.forEach(header -> response.header(header.getKey(), header.getValue()));
        return response;
    }

    private static byte[] document(ServiceDefinition service, Object value, String rootName, List<Map.Entry<String, String>> headers) {
        XmlWriter xml = new XmlWriter();
        xml.start(rootName, service.xmlNamespace());
        new XmlEncoder(service.naming()).writeMembers(xml, value);
        xml.end(rootName);
        headers.add(Map.entry("Content-Type", "application/xml"));
        return xml.toBytes();
    }

    @Override
    public HttpResponse encodeError(ServiceDefinition service, AwsException error, String requestId) {
        XmlWriter xml = new XmlWriter();
        xml.start("Error")
                .element("Code", error.errorCode().queryCode())
                .element("Message", error.getMessage());
        error.details().forEach(xml::element);
        xml.element("RequestId", requestId);
        xml.element("HostId", hostId(requestId));
        xml.end("Error");
        HttpResponse response = new HttpResponse(error.errorCode().httpStatus(), xml.toBytes()).header("Content-Type", "application/xml");
        error.headers().forEach(response::header);
        return withRequestIds(response, requestId);
    }

    private static HttpResponse withRequestIds(HttpResponse response, String requestId) {
        return response.header("x-amz-request-id", requestId).header("x-amz-id-2", hostId(requestId));
    }

    /** S3's extended request id; Stratus has one host, so any stable token serves. */
    private static String hostId(String requestId) {
        return java.util.Base64.getEncoder().encodeToString(requestId.getBytes(StandardCharsets.UTF_8));
    }

}
