package io.stratus.server;

import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.Protocol;

/**
 * Which protocol's error shape to answer a request in when no service has claimed it yet, from
 * the clues its head carries. Stateless.
 */
final class ErrorShapes {

    private ErrorShapes() {}

    static Protocol guess(HttpRequest request) {
        if (request == null) {
            return Protocol.REST_JSON_1;
        }
        if (request.header("x-amz-target").isPresent()) {
            return request.mediaType().startsWith("application/x-amz-cbor") ? Protocol.AWS_CBOR_1_1 : Protocol.AWS_JSON_1_1;
        }
        if (request.mediaType().equals("application/x-www-form-urlencoded") || request.query().contains("Action")) {
            return Protocol.AWS_QUERY;
        }
        if (request.rawPath().startsWith("/_stratus/") || request.mediaType().contains("json")) {
            return Protocol.REST_JSON_1;
        }
        // What no other clue claims is S3's, as on AWS's endpoints.
        return Protocol.REST_XML;
    }
}
