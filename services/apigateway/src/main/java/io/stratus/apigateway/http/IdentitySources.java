package io.stratus.apigateway.http;

import java.util.List;
import java.util.Optional;

/** The values of authorizer identity sources such as {@code $request.header.Authorization}. Stateless. */
final class IdentitySources {

    private IdentitySources() {}

    /** The source's value in the call; empty when the call does not carry it or it is empty. */
    static Optional<String> value(String source, HttpApiCall call) {
        String value;
        if (source.startsWith("$request.header.")) {
            value = call.header(source.substring("$request.header.".length()));
        } else if (source.startsWith("$request.querystring.")) {
            List<String> values = ProxyEventV2.queryParameters(call.rawQuery()).get(source.substring("$request.querystring.".length()));
            value = values == null ? null : String.join(",", values);
        } else {
            value = ParameterMapping.evaluate(source, call);
        }
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** The values of all the sources, or empty when one is missing. */
    static Optional<List<String>> values(List<String> sources, HttpApiCall call) {
        List<String> values = new java.util.ArrayList<>();
        for (String source : sources) {
            Optional<String> value = value(source, call);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            values.add(value.get());
        }
        return Optional.of(values);
    }
}
