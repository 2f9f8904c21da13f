package io.stratus.e2e.apigateway;

import io.stratus.testkit.Stratus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.CreateRestApiResponse;
import software.amazon.awssdk.services.apigateway.model.PutIntegrationRequest;

/** One REST API built for a test through the SDK: resources by path, methods with integrations, and calls to its stages. */
final class RestApiFixture {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    final ApiGatewayClient apigw;
    final Stratus stratus;
    final String id;
    private final Map<String, String> resources = new HashMap<>();

    RestApiFixture(ApiGatewayClient apigw, Stratus stratus, String name) {
        this.apigw = apigw;
        this.stratus = stratus;
        CreateRestApiResponse api = apigw.createRestApi(r -> r.name(name));
        this.id = api.id();
        resources.put("/", api.rootResourceId());
    }

    /** An API that exists already, with its root resource's id. */
    RestApiFixture(ApiGatewayClient apigw, Stratus stratus, String id, String root) {
        this.apigw = apigw;
        this.stratus = stratus;
        this.id = id;
        apigw.getResources(r -> r.restApiId(id)).items().forEach(resource -> resources.put(resource.path(), resource.id()));
    }

    /** The id of the resource at {@code path}, creating it and its parents as needed. */
    String resource(String path) {
        String existing = resources.get(path);
        if (existing != null) {
            return existing;
        }
        int slash = path.lastIndexOf('/');
        String parent = resource(slash == 0 ? "/" : path.substring(0, slash));
        String created = apigw.createResource(r -> r.restApiId(id).parentId(parent).pathPart(path.substring(slash + 1))).id();
        resources.put(path, created);
        return created;
    }

    /** A method with no authorization and the integration {@code integration} describes. */
    void method(String httpMethod, String path, java.util.function.Consumer<PutIntegrationRequest.Builder> integration) {
        String resource = resource(path);
        apigw.putMethod(r -> r.restApiId(id).resourceId(resource).httpMethod(httpMethod).authorizationType("NONE"));
        apigw.putIntegration(r -> integration.accept(r.restApiId(id).resourceId(resource).httpMethod(httpMethod)));
    }

    /** A method response and an integration response for it. */
    void response(String httpMethod, String path, String statusCode, String selectionPattern, Map<String, String> templates,
            Map<String, String> headers) {
        String resource = resource(path);
        Map<String, Boolean> declared = new HashMap<>();
        headers.keySet().forEach(h -> declared.put(h, false));
        apigw.putMethodResponse(r -> r.restApiId(id).resourceId(resource).httpMethod(httpMethod).statusCode(statusCode).responseParameters(declared));
        apigw.putIntegrationResponse(r -> r.restApiId(id).resourceId(resource).httpMethod(httpMethod).statusCode(statusCode)
                .selectionPattern(selectionPattern).responseTemplates(templates).responseParameters(headers));
    }

    String deploy(String stage) {
        return apigw.createDeployment(r -> r.restApiId(id).stageName(stage)).id();
    }

    /** The path-form invoke URL of {@code pathAndQuery} ({@code /prod/items?x=1}). */
    URI url(String pathAndQuery) {
        return URI.create(stratus.endpoint() + "/_aws/execute-api/" + id + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(url(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String pathAndQuery, String contentType, String body) throws IOException, InterruptedException {
        return send(method, pathAndQuery, contentType, body, new String[0]);
    }

    /** As the other, with more headers, as name-value pairs. */
    HttpResponse<String> send(String method, String pathAndQuery, String contentType, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
