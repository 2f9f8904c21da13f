package io.stratus.apigateway;

import static java.util.Objects.requireNonNull;

import io.stratus.core.RequestContext;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.StratusService;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The invoke URLs of all APIs ({@code execute-api}, as AWS names the service that runs them):
 * {@code http://<api>.execute-api.localhost:4566/<stage>/<path>} or
 * {@code http://localhost:4566/_aws/execute-api/<api>/<stage>/<path>}. Finds which kind of API the
 * id belongs to and hands the call to that kind's invoker. Thread-safe.
 */
public final class ExecuteApiService implements StratusService {

    private final ApiDirectory directory;
    private final Map<ApiDirectory.Kind, ApiInvoker> invokers;
    private final ServiceDefinition definition;

    public ExecuteApiService(ApiDirectory directory, Map<ApiDirectory.Kind, ApiInvoker> invokers) {
        this.directory = requireNonNull(directory, "directory is null");
        this.invokers = new EnumMap<>(invokers);
        this.definition = ServiceDefinition.builder("execute-api")
                .protocol(Protocol.REST_JSON_1)
                .endpoint("execute-api", this::invoke)
                .build();
    }

    @Override
    public ServiceDefinition definition() {
        return definition;
    }

    private HttpResponse invoke(RequestContext context, String apiId, HttpRequest request) {
        Optional<ApiDirectory.Location> location = directory.locate(apiId);
        ApiInvoker invoker = location.map(found -> invokers.get(found.kind())).orElse(null);
        if (invoker == null) {
            // AWS has no such host at all; the closest answer over HTTP is API Gateway's own 404.
            return GatewayResponses.message(404, "Not Found").header("x-amzn-ErrorType", "NotFoundException");
        }
        return invoker.invoke(context, apiId, location.get(), request);
    }
}
