package io.stratus.protocol.codec;

import io.stratus.core.AwsException;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.OperationDefinition;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;

/**
 * One AWS wire protocol: finds the operation a request names, decodes its input, and encodes
 * results and errors exactly as AWS shapes them. Implementations are stateless and shared by all
 * request threads.
 */
public interface ProtocolCodec {

    Protocol protocol();

    /**
     * Finds the operation and decodes its input.
     *
     * @throws AwsException for an unknown operation or a malformed request
     */
    DecodedRequest decode(ServiceDefinition service, HttpRequest request);

    /** Encodes an operation's result. */
    HttpResponse encode(ServiceDefinition service, OperationDefinition<?, ?> operation, Object output, String requestId);

    /** Encodes an error in this protocol's shape, with the request id every AWS response carries. */
    HttpResponse encodeError(ServiceDefinition service, AwsException error, String requestId);

    static ProtocolCodec of(Protocol protocol) {
        return switch (protocol) {
            case AWS_JSON_1_0 -> AwsJsonCodec.V1_0;
            case AWS_JSON_1_1 -> AwsJsonCodec.V1_1;
            case AWS_CBOR_1_1 -> AwsJsonCodec.CBOR_1_1;
            case AWS_QUERY -> AwsQueryCodec.INSTANCE;
            case REST_JSON_1 -> RestJsonCodec.INSTANCE;
            case REST_XML -> RestXmlCodec.INSTANCE;
        };
    }
}
