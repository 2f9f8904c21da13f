package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.apigateway.proxy.ProxyEventV1;
import io.stratus.apigateway.proxy.ProxyResponses;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.protocol.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda integrations: {@code AWS_PROXY} (the proxy event in, the proxy response out) and
 * {@code AWS} (the mapped request in, the function's answer through integration responses out,
 * chosen by the function's {@code errorMessage}). Thread-safe.
 */
final class LambdaIntegration {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaIntegration.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int DEFAULT_TIMEOUT_MILLIS = 29_000;
    /** Runs invocations so a call can be answered at the integration timeout while the function goes on. */
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private final FunctionInvoker functions;

    LambdaIntegration(FunctionInvoker functions) {
        this.functions = requireNonNull(functions, "functions is null");
    }

    /** Stops taking invocations; those running go on to their function's end. */
    void close() {
        executor.shutdown();
    }

    HttpResponse proxy(Invocation call) throws GatewayError {
        ObjectNode event = ProxyEventV1.of(call.proxyCall(), ProxyEventV1.Flavor.REST);
        ObjectNode requestContext = (ObjectNode) event.get("requestContext");
        requestContext.put("resourceId", call.match().resource().id());
        if (!call.authorizer().isEmpty()) {
            requestContext.set("authorizer", JSON.valueToTree(call.authorizer()));
        }
        FunctionInvoker.Result result = invoke(call, event.toString());
        if (result.failed()) {
            throw GatewayError.badGateway();
        }
        try {
            HttpResponse response = ProxyResponses.fromV1(result.payload(), true);
            // REST APIs answer JSON unless the function says otherwise.
            return response.hasHeader("Content-Type") ? response : response.header("Content-Type", "application/json");
        } catch (ProxyResponses.MalformedResponseException e) {
            LOG.debug("Malformed Lambda proxy response from {}: {}", call.integration().uri(), e.getMessage());
            throw GatewayError.badGateway();
        }
    }

    HttpResponse custom(Invocation call) throws GatewayError {
        String payload = IntegrationMapping.requestBody(call);
        FunctionInvoker.Result result = invoke(call, payload.isEmpty() ? "{}" : payload);
        String answer = new String(result.payload(), StandardCharsets.UTF_8);
        String errorMessage = result.failed() ? errorMessage(answer) : null;
        return IntegrationMapping.respond(call, errorMessage, answer, Map.of());
    }

    private FunctionInvoker.Result invoke(Invocation call, String payload) throws GatewayError {
        String uri = resolve(call.integration().uri(), call.stageVariables());
        String function = IntegrationRules.functionArn(uri);
        if (function == null) {
            throw GatewayError.internalError();
        }
        Integer timeout = call.integration().timeoutInMillis();
        Future<FunctionInvoker.Result> invocation = executor.submit(
                () -> functions.invoke(call.accountId(), call.region(), function, payload.getBytes(StandardCharsets.UTF_8)));
        try {
            return invocation.get(timeout == null ? DEFAULT_TIMEOUT_MILLIS : timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // The function runs on to its own timeout, as on AWS; the client is answered now.
            throw GatewayError.timeout();
        } catch (ExecutionException e) {
            LOG.debug("Lambda integration {} failed: {}", function, e.getCause().toString());
            throw GatewayError.integrationFailure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            invocation.cancel(true);
            throw GatewayError.integrationFailure();
        }
    }

    /** {@code ${stageVariables.name}} in a URI, replaced by the stage's value. */
    static String resolve(String uri, Map<String, String> stageVariables) {
        String resolved = uri;
        for (Map.Entry<String, String> variable : stageVariables.entrySet()) {
            resolved = resolved.replace("${stageVariables." + variable.getKey() + "}", variable.getValue());
        }
        return resolved;
    }

    private static String errorMessage(String answer) {
        try {
            JsonNode error = JSON.readTree(answer);
            JsonNode message = error == null ? null : error.get("errorMessage");
            return message == null || message.isNull() ? "" : message.asText();
        } catch (IOException e) {
            return answer;
        }
    }
}
