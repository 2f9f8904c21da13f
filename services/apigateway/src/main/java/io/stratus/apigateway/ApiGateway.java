package io.stratus.apigateway;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.http.HttpApiService;
import io.stratus.apigateway.rest.RestApiService;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.protocol.StratusService;
import io.stratus.storage.Store;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Amazon API Gateway as three services the server runs side by side: the REST API control plane
 * ({@code apigateway}, v1), the HTTP API control plane ({@code apigatewayv2}) and the invoke URLs
 * of both ({@code execute-api}). They share the store and the id space of APIs.
 */
public final class ApiGateway {

    private final RestApiService restApis;
    private final HttpApiService httpApis;
    private final ExecuteApiService executeApi;

    /**
     * @param functions how integrations reach Lambda functions
     */
    public ApiGateway(Store store, Clock clock, FunctionInvoker functions) {
        requireNonNull(store, "store is null");
        ApiDirectory directory = new ApiDirectory(store);
        this.restApis = new RestApiService(store, clock, directory, functions);
        this.httpApis = new HttpApiService(store, clock, directory, functions);
        this.executeApi = new ExecuteApiService(directory, Map.of(ApiDirectory.Kind.REST, restApis, ApiDirectory.Kind.HTTP, httpApis));
    }

    /** The services to run, in start order. */
    public List<StratusService> services() {
        return List.of(restApis, httpApis, executeApi);
    }
}
