package io.stratus.protocol.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.OperationDefinition;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.QueryString;
import io.stratus.protocol.ServiceDefinition;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * awsQuery: form parameters in (query string or {@code application/x-www-form-urlencoded} body),
 * {@code <ActionResponse><ActionResult>…} XML out; errors as {@code <ErrorResponse>}.
 */
final class AwsQueryCodec implements ProtocolCodec {

    static final AwsQueryCodec INSTANCE = new AwsQueryCodec();

    private AwsQueryCodec() {}

    @Override
    public Protocol protocol() {
        return Protocol.AWS_QUERY;
    }

    /** The awsQuery parameters of a request: the query string, then a form body. */
    static Map<String, List<String>> parameters(HttpRequest request, long maxBytes) {
        Map<String, List<String>> params = new LinkedHashMap<>(request.query().asMap());
        if (request.method().equals("POST") && request.mediaType().equals("application/x-www-form-urlencoded")) {
            String body = new String(request.bodyBytes(maxBytes), StandardCharsets.UTF_8);
            QueryString.parse(body).asMap().forEach(params::putIfAbsent);
        }
        return params;
    }

    @Override
    public DecodedRequest decode(ServiceDefinition service, HttpRequest request) {
        Map<String, List<String>> params = parameters(request, service.maxRequestBytes());
        if (service.pathAddressMember() != null && !request.path().equals("/")) {
            params.putIfAbsent(service.pathAddressMember(), List.of("http://" + request.header("host").orElse("localhost") + request.rawPath()));
        }
        List<String> actions = params.get("Action");
        if (actions == null || actions.getFirst().isEmpty()) {
            throw AwsException.of(CommonErrors.MISSING_ACTION, "Missing Action");
        }
        String action = actions.getFirst();
        OperationDefinition<?, ?> operation = service.operation(action).orElseThrow(() -> AwsException.of(
                CommonErrors.INVALID_ACTION, "Could not find operation %s for version %s",
                action, params.getOrDefault("Version", List.of(service.queryVersion())).getFirst()));
        ObjectNode tree = new QueryDecoder(params, service.naming()).decode(operation.inputType());
        ObjectMapper mapper = JsonMappers.of(service.naming());
        try {
            return new DecodedRequest(operation, mapper.treeToValue(tree, operation.inputType()));
        } catch (JsonProcessingException e) {
            throw new AwsException(CommonErrors.INVALID_PARAMETER_VALUE, AwsJsonCodec.describe(e), e);
        } catch (IllegalArgumentException e) {
            throw new AwsException(CommonErrors.INVALID_PARAMETER_VALUE, e.getMessage(), e);
        }
    }

    @Override
    public HttpResponse encode(ServiceDefinition service, OperationDefinition<?, ?> operation, Object output, String requestId) {
        XmlWriter xml = new XmlWriter();
        String name = operation.name();
        xml.start(name + "Response", service.xmlNamespace());
        if (output.getClass().getRecordComponents().length > 0) {
            xml.start(name + "Result");
            new XmlEncoder(service.naming()).writeMembers(xml, output);
            xml.end(name + "Result");
        }
        xml.start("ResponseMetadata").element("RequestId", requestId).end("ResponseMetadata");
        xml.end(name + "Response");
        return new HttpResponse(200, xml.toBytes())
                .header("Content-Type", "text/xml")
                .header("x-amzn-RequestId", requestId);
    }

    @Override
    public HttpResponse encodeError(ServiceDefinition service, AwsException error, String requestId) {
        XmlWriter xml = new XmlWriter();
        xml.start("ErrorResponse", service == null ? null : service.xmlNamespace());
        xml.start("Error")
                .element("Type", error.errorCode().fault().wireName())
                .element("Code", error.errorCode().queryCode())
                .element("Message", error.getMessage());
        error.details().forEach(xml::element);
        xml.end("Error");
        xml.element("RequestId", requestId);
        xml.end("ErrorResponse");
        return new HttpResponse(error.errorCode().httpStatus(), xml.toBytes())
                .header("Content-Type", "text/xml")
                .header("x-amzn-RequestId", requestId);
    }
}
