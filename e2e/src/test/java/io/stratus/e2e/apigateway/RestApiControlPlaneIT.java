package io.stratus.e2e.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiGatewayException;
import software.amazon.awssdk.services.apigateway.model.CreateDeploymentResponse;
import software.amazon.awssdk.services.apigateway.model.CreateResourceResponse;
import software.amazon.awssdk.services.apigateway.model.CreateRestApiResponse;
import software.amazon.awssdk.services.apigateway.model.GetResourcesResponse;
import software.amazon.awssdk.services.apigateway.model.GetRestApisResponse;
import software.amazon.awssdk.services.apigateway.model.GetStageResponse;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PutIntegrationResponse;
import software.amazon.awssdk.services.apigateway.model.Resource;
import io.stratus.testkit.StratusTest;

/** The REST API control plane through the AWS SDK: APIs, resources, methods, integrations, deployments, stages, and their errors. */
@StratusTest
class RestApiControlPlaneIT {

    static void assertError(ThrowingCallable call, int status, String code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiGatewayException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
            assertThat(e.requestId()).isNotBlank();
        });
    }

    @Test
    void createGetUpdateListAndDeleteRestApis(ApiGatewayClient apigw) {
        CreateRestApiResponse created = apigw.createRestApi(r -> r.name("pets").description("Pet store").binaryMediaTypes("image/png"));
        assertThat(created.id()).hasSize(10);
        assertThat(created.name()).isEqualTo("pets");
        assertThat(created.rootResourceId()).isNotBlank();
        assertThat(created.apiKeySourceAsString()).isEqualTo("HEADER");
        assertThat(created.endpointConfiguration().typesAsStrings()).containsExactly("EDGE");
        assertThat(created.createdDate()).isNotNull();

        GetResourcesResponse resources = apigw.getResources(r -> r.restApiId(created.id()));
        assertThat(resources.items()).singleElement().satisfies(root -> {
            assertThat(root.id()).isEqualTo(created.rootResourceId());
            assertThat(root.path()).isEqualTo("/");
            assertThat(root.parentId()).isNull();
        });

        var updated = apigw.updateRestApi(r -> r.restApiId(created.id()).patchOperations(
                p -> p.op(Op.REPLACE).path("/name").value("pets-v2"),
                p -> p.op(Op.REPLACE).path("/description").value("Second"),
                p -> p.op(Op.ADD).path("/binaryMediaTypes/image~1jpeg"),
                p -> p.op(Op.REMOVE).path("/binaryMediaTypes/image~1png")));
        assertThat(updated.name()).isEqualTo("pets-v2");
        assertThat(updated.description()).isEqualTo("Second");
        assertThat(updated.binaryMediaTypes()).containsExactly("image/jpeg");
        assertThat(apigw.getRestApi(r -> r.restApiId(created.id())).name()).isEqualTo("pets-v2");

        String other = apigw.createRestApi(r -> r.name("other")).id();
        String third = apigw.createRestApi(r -> r.name("third")).id();
        GetRestApisResponse first = apigw.getRestApis(r -> r.limit(2));
        assertThat(first.items()).hasSize(2);
        assertThat(first.position()).isNotNull();
        GetRestApisResponse rest = apigw.getRestApis(r -> r.limit(2).position(first.position()));
        assertThat(rest.position()).isNull();
        List<String> all = new java.util.ArrayList<>();
        first.items().forEach(a -> all.add(a.id()));
        rest.items().forEach(a -> all.add(a.id()));
        assertThat(all).contains(created.id(), other, third).doesNotHaveDuplicates();

        apigw.deleteRestApi(r -> r.restApiId(other));
        assertError(() -> apigw.getRestApi(r -> r.restApiId(other)), 404, "NotFoundException",
                "Invalid API identifier specified 000000000000:" + other);
        assertError(() -> apigw.deleteRestApi(r -> r.restApiId(other)), 404, "NotFoundException", "Invalid API identifier specified");
        assertError(() -> apigw.updateRestApi(r -> r.restApiId(created.id()).patchOperations(p -> p.op(Op.REPLACE).path("/colour").value("x"))),
                400, "BadRequestException", "Invalid patch path");
        assertError(() -> apigw.createRestApi(r -> r.name("p").policy("{}")), 501, "NotImplemented", "not supported by Stratus yet");
    }

    @Test
    void resourceTreeWithParametersProxiesMovesAndDeletesChildren(ApiGatewayClient apigw) {
        CreateRestApiResponse api = apigw.createRestApi(r -> r.name("tree"));
        String id = api.id();
        CreateResourceResponse items = apigw.createResource(r -> r.restApiId(id).parentId(api.rootResourceId()).pathPart("items"));
        CreateResourceResponse item = apigw.createResource(r -> r.restApiId(id).parentId(items.id()).pathPart("{id}"));
        CreateResourceResponse proxy = apigw.createResource(r -> r.restApiId(id).parentId(api.rootResourceId()).pathPart("{proxy+}"));
        assertThat(items.path()).isEqualTo("/items");
        assertThat(item.path()).isEqualTo("/items/{id}");
        assertThat(item.parentId()).isEqualTo(items.id());
        assertThat(proxy.path()).isEqualTo("/{proxy+}");

        assertError(() -> apigw.createResource(r -> r.restApiId(id).parentId(api.rootResourceId()).pathPart("items")),
                409, "ConflictException", "Another resource with the same parent already has this name: items");
        assertError(() -> apigw.createResource(r -> r.restApiId(id).parentId(items.id()).pathPart("{other}")),
                400, "BadRequestException", "only one is allowed");
        assertError(() -> apigw.createResource(r -> r.restApiId(id).parentId(proxy.id()).pathPart("below")),
                400, "BadRequestException", "greedy path variable");
        assertError(() -> apigw.createResource(r -> r.restApiId(id).parentId(api.rootResourceId()).pathPart("bad/part")),
                400, "BadRequestException", "Resource's path part only allow");
        assertError(() -> apigw.createResource(r -> r.restApiId(id).parentId("nosuchres1").pathPart("x")),
                404, "NotFoundException", "Invalid Resource identifier specified");
        assertError(() -> apigw.getResource(r -> r.restApiId(id).resourceId("nosuchres1")),
                404, "NotFoundException", "Invalid Resource identifier specified");

        Resource renamed = toResource(apigw.updateResource(r -> r.restApiId(id).resourceId(items.id())
                .patchOperations(p -> p.op(Op.REPLACE).path("/pathPart").value("things"))));
        assertThat(renamed.path()).isEqualTo("/things");
        assertThat(apigw.getResource(r -> r.restApiId(id).resourceId(item.id())).path()).isEqualTo("/things/{id}");

        apigw.deleteResource(r -> r.restApiId(id).resourceId(items.id()));
        Map<String, String> paths = apigw.getResources(r -> r.restApiId(id)).items().stream()
                .collect(Collectors.toMap(Resource::id, Resource::path));
        assertThat(paths.values()).containsExactlyInAnyOrder("/", "/{proxy+}");
        assertError(() -> apigw.deleteResource(r -> r.restApiId(id).resourceId(api.rootResourceId())), 400, "BadRequestException", "root");
    }

    private static Resource toResource(software.amazon.awssdk.services.apigateway.model.UpdateResourceResponse response) {
        return Resource.builder().id(response.id()).path(response.path()).pathPart(response.pathPart()).parentId(response.parentId()).build();
    }

    @Test
    void methodsResponsesIntegrationsAndTheirErrors(ApiGatewayClient apigw) {
        CreateRestApiResponse api = apigw.createRestApi(r -> r.name("methods"));
        String id = api.id();
        String root = api.rootResourceId();
        var method = apigw.putMethod(r -> r.restApiId(id).resourceId(root).httpMethod("GET").authorizationType("NONE")
                .requestParameters(Map.of("method.request.querystring.q", false)));
        assertThat(method.httpMethod()).isEqualTo("GET");
        assertThat(method.authorizationType()).isEqualTo("NONE");
        assertThat(method.apiKeyRequired()).isFalse();
        assertThat(method.requestParameters()).containsEntry("method.request.querystring.q", false);

        assertError(() -> apigw.putMethod(r -> r.restApiId(id).resourceId(root).httpMethod("GET").authorizationType("NONE")),
                409, "ConflictException", "Method already exists for this resource");
        assertError(() -> apigw.putMethod(r -> r.restApiId(id).resourceId(root).httpMethod("FETCH").authorizationType("NONE")),
                400, "BadRequestException", "Invalid HttpMethod specified");
        assertError(() -> apigw.putMethod(r -> r.restApiId(id).resourceId(root).httpMethod("POST").authorizationType("CUSTOM").authorizerId("abc")),
                400, "BadRequestException", "Invalid authorizer ID specified");
        assertError(() -> apigw.putMethod(r -> r.restApiId(id).resourceId(root).httpMethod("POST").authorizationType("COGNITO_USER_POOLS")),
                501, "NotImplemented", "not supported by Stratus yet");
        assertError(() -> apigw.getMethod(r -> r.restApiId(id).resourceId(root).httpMethod("POST")),
                404, "NotFoundException", "Invalid Method identifier specified");
        assertError(() -> apigw.getIntegration(r -> r.restApiId(id).resourceId(root).httpMethod("GET")),
                404, "NotFoundException", "Invalid Integration identifier specified");

        var updatedMethod = apigw.updateMethod(r -> r.restApiId(id).resourceId(root).httpMethod("GET")
                .patchOperations(p -> p.op(Op.REPLACE).path("/operationName").value("ListThings")));
        assertThat(updatedMethod.operationName()).isEqualTo("ListThings");

        apigw.putMethodResponse(r -> r.restApiId(id).resourceId(root).httpMethod("GET").statusCode("200")
                .responseParameters(Map.of("method.response.header.X-Kind", false)));
        assertThat(apigw.getMethodResponse(r -> r.restApiId(id).resourceId(root).httpMethod("GET").statusCode("200")).responseParameters())
                .containsEntry("method.response.header.X-Kind", false);
        assertError(() -> apigw.getMethodResponse(r -> r.restApiId(id).resourceId(root).httpMethod("GET").statusCode("404")),
                404, "NotFoundException", "Invalid Response status code specified");

        assertError(() -> apigw.putIntegration(r -> r.restApiId(id).resourceId(root).httpMethod("GET").type(IntegrationType.HTTP)
                .integrationHttpMethod("GET").uri("not a url")), 400, "BadRequestException", "Invalid HTTP endpoint specified for URI");
        assertError(() -> apigw.putIntegration(r -> r.restApiId(id).resourceId(root).httpMethod("GET").type(IntegrationType.HTTP)
                .uri("http://example.com")), 400, "BadRequestException", "Enumeration value for HttpMethod must be non-empty");
        assertError(() -> apigw.putIntegration(r -> r.restApiId(id).resourceId(root).httpMethod("GET").type(IntegrationType.AWS_PROXY)
                .integrationHttpMethod("POST").uri("lambda")), 400, "BadRequestException", "AWS ARN for integration must contain path or action");
        assertError(() -> apigw.putIntegration(r -> r.restApiId(id).resourceId(root).httpMethod("GET").type("SOAP")),
                400, "BadRequestException", "Member must satisfy enum value set");

        PutIntegrationResponse integration = apigw.putIntegration(r -> r.restApiId(id).resourceId(root).httpMethod("GET").type(IntegrationType.MOCK)
                .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        assertThat(integration.type()).isEqualTo(IntegrationType.MOCK);
        assertThat(integration.requestTemplates()).containsEntry("application/json", "{\"statusCode\": 200}");
        assertThat(integration.passthroughBehavior()).isEqualTo("WHEN_NO_MATCH");
        assertThat(integration.timeoutInMillis()).isEqualTo(29000);
        assertThat(integration.cacheNamespace()).isEqualTo(root);

        var updatedIntegration = apigw.updateIntegration(r -> r.restApiId(id).resourceId(root).httpMethod("GET")
                .patchOperations(p -> p.op(Op.REPLACE).path("/passthroughBehavior").value("NEVER")));
        assertThat(updatedIntegration.passthroughBehavior()).isEqualTo("NEVER");

        assertError(() -> apigw.putIntegrationResponse(r -> r.restApiId(id).resourceId(root).httpMethod("GET").statusCode("500")),
                400, "BadRequestException", "No method response exists for method.");
        assertError(() -> apigw.putIntegrationResponse(r -> r.restApiId(id).resourceId(root).httpMethod("GET").statusCode("200")
                .selectionPattern("([")), 400, "BadRequestException", "Invalid selection pattern");
        var integrationResponse = apigw.putIntegrationResponse(r -> r.restApiId(id).resourceId(root).httpMethod("GET").statusCode("200")
                .responseTemplates(Map.of("application/json", "{}")).responseParameters(Map.of("method.response.header.X-Kind", "'mock'")));
        assertThat(integrationResponse.statusCode()).isEqualTo("200");
        assertThat(apigw.getIntegrationResponse(r -> r.restApiId(id).resourceId(root).httpMethod("GET").statusCode("200")).responseParameters())
                .containsEntry("method.response.header.X-Kind", "'mock'");

        var patchedResponse = apigw.updateIntegrationResponse(r -> r.restApiId(id).resourceId(root).httpMethod("GET").statusCode("200")
                .patchOperations(p -> p.op(Op.REPLACE).path("/selectionPattern").value("2\\d\\d"),
                        p -> p.op(Op.ADD).path("/responseTemplates/text~1plain").value("ok")));
        assertThat(patchedResponse.selectionPattern()).isEqualTo("2\\d\\d");
        assertThat(patchedResponse.responseTemplates()).containsEntry("text/plain", "ok").containsEntry("application/json", "{}");
        var patchedMethodResponse = apigw.updateMethodResponse(r -> r.restApiId(id).resourceId(root).httpMethod("GET").statusCode("200")
                .patchOperations(p -> p.op(Op.ADD).path("/responseParameters/method.response.header.X-Other").value("true")));
        assertThat(patchedMethodResponse.responseParameters()).containsEntry("method.response.header.X-Other", true);

        var full = apigw.getMethod(r -> r.restApiId(id).resourceId(root).httpMethod("GET"));
        assertThat(full.methodResponses()).containsKey("200");
        assertThat(full.methodIntegration().integrationResponses()).containsKey("200");
        assertThat(apigw.getResources(r -> r.restApiId(id).embed("methods")).items().getFirst().resourceMethods().get("GET").methodIntegration())
                .isNotNull();
        assertThat(apigw.getResources(r -> r.restApiId(id)).items().getFirst().resourceMethods()).containsKey("GET");

        apigw.deleteIntegrationResponse(r -> r.restApiId(id).resourceId(root).httpMethod("GET").statusCode("200"));
        apigw.deleteIntegration(r -> r.restApiId(id).resourceId(root).httpMethod("GET"));
        apigw.deleteMethodResponse(r -> r.restApiId(id).resourceId(root).httpMethod("GET").statusCode("200"));
        apigw.deleteMethod(r -> r.restApiId(id).resourceId(root).httpMethod("GET"));
        assertError(() -> apigw.getMethod(r -> r.restApiId(id).resourceId(root).httpMethod("GET")),
                404, "NotFoundException", "Invalid Method identifier specified");
    }

    @Test
    void deploymentsAndStages(ApiGatewayClient apigw) {
        CreateRestApiResponse api = apigw.createRestApi(r -> r.name("stages"));
        String id = api.id();
        assertError(() -> apigw.createDeployment(r -> r.restApiId(id).stageName("prod")),
                400, "BadRequestException", "The REST API doesn't contain any methods");
        apigw.putMethod(r -> r.restApiId(id).resourceId(api.rootResourceId()).httpMethod("GET").authorizationType("NONE"));
        assertError(() -> apigw.createDeployment(r -> r.restApiId(id).stageName("prod")),
                400, "BadRequestException", "No integration defined for method");
        apigw.putIntegration(r -> r.restApiId(id).resourceId(api.rootResourceId()).httpMethod("GET").type(IntegrationType.MOCK));

        CreateDeploymentResponse first = apigw.createDeployment(r -> r.restApiId(id).stageName("prod").description("one")
                .variables(Map.of("color", "red")));
        assertThat(first.id()).isNotBlank();
        assertThat(first.apiSummary()).containsKey("/");
        GetStageResponse prod = apigw.getStage(r -> r.restApiId(id).stageName("prod"));
        assertThat(prod.deploymentId()).isEqualTo(first.id());
        assertThat(prod.variables()).containsEntry("color", "red");

        CreateDeploymentResponse second = apigw.createDeployment(r -> r.restApiId(id).description("two"));
        assertThat(apigw.updateDeployment(r -> r.restApiId(id).deploymentId(second.id())
                .patchOperations(p -> p.op(Op.REPLACE).path("/description").value("second"))).description()).isEqualTo("second");
        apigw.updateDeployment(r -> r.restApiId(id).deploymentId(second.id()).patchOperations(p -> p.op(Op.REPLACE).path("/description").value("two")));
        assertThat(apigw.getDeployments(r -> r.restApiId(id)).items()).extracting(d -> d.id()).containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(apigw.getDeployment(r -> r.restApiId(id).deploymentId(second.id())).description()).isEqualTo("two");

        var beta = apigw.createStage(r -> r.restApiId(id).stageName("beta").deploymentId(second.id()).variables(Map.of("color", "blue")));
        assertThat(beta.stageName()).isEqualTo("beta");
        assertThat(beta.createdDate()).isNotNull();
        assertError(() -> apigw.createStage(r -> r.restApiId(id).stageName("beta").deploymentId(second.id())), 409, "ConflictException",
                "Stage already exists");
        assertError(() -> apigw.createStage(r -> r.restApiId(id).stageName("gamma").deploymentId("nosuch")), 404, "NotFoundException",
                "Invalid Deployment identifier specified");
        assertError(() -> apigw.getStage(r -> r.restApiId(id).stageName("gamma")), 404, "NotFoundException", "Invalid Stage identifier specified");
        assertThat(apigw.getStages(r -> r.restApiId(id)).item()).extracting(s -> s.stageName()).containsExactlyInAnyOrder("prod", "beta");

        var updated = apigw.updateStage(r -> r.restApiId(id).stageName("beta").patchOperations(
                p -> p.op(Op.REPLACE).path("/variables/color").value("green"),
                p -> p.op(Op.REPLACE).path("/variables/size").value("xl"),
                p -> p.op(Op.REPLACE).path("/description").value("Beta stage"),
                p -> p.op(Op.REPLACE).path("/deploymentId").value(first.id())));
        assertThat(updated.variables()).containsEntry("color", "green").containsEntry("size", "xl");
        assertThat(updated.deploymentId()).isEqualTo(first.id());
        var removed = apigw.updateStage(r -> r.restApiId(id).stageName("beta").patchOperations(p -> p.op(Op.REMOVE).path("/variables/size")));
        assertThat(removed.variables()).containsOnlyKeys("color");

        assertError(() -> apigw.deleteDeployment(r -> r.restApiId(id).deploymentId(first.id())), 400, "BadRequestException",
                "Active stages pointing to this deployment must be moved or deleted");
        apigw.deleteDeployment(r -> r.restApiId(id).deploymentId(second.id()));
        apigw.deleteStage(r -> r.restApiId(id).stageName("beta"));
        assertError(() -> apigw.deleteStage(r -> r.restApiId(id).stageName("beta")), 404, "NotFoundException", "Invalid Stage identifier specified");
        assertError(() -> apigw.createDeployment(r -> r.restApiId(id).stageName("bad stage")), 400, "BadRequestException", "Stage name only allows");
    }

    @Test
    void operationsStratusDoesNotHaveYetSaySo(ApiGatewayClient apigw) {
        String id = apigw.createRestApi(r -> r.name("later")).id();
        assertError(() -> apigw.createAuthorizer(r -> r.restApiId(id).name("auth").type("COGNITO_USER_POOLS")
                .providerARNs("arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc")
                .identitySource("method.request.header.Authorization")), 501, "NotImplemented", "COGNITO_USER_POOLS authorizers is not supported by Stratus yet.");
        assertError(() -> apigw.testInvokeAuthorizer(r -> r.restApiId(id).authorizerId("abc")), 501, "NotImplemented",
                "TestInvokeAuthorizer is not supported by Stratus yet.");
        assertError(() -> apigw.importApiKeys(r -> r.format("csv").body(software.amazon.awssdk.core.SdkBytes.fromUtf8String("name,key\n"))),
                501, "NotImplemented", "ImportApiKeys is not supported by Stratus yet.");
        assertError(() -> apigw.getModelTemplate(r -> r.restApiId(id).modelName("Empty")), 501, "NotImplemented",
                "GetModelTemplate is not supported by Stratus yet.");
        assertError(() -> apigw.getSdk(r -> r.restApiId(id).stageName("prod").sdkType("javascript")), 501, "NotImplemented",
                "GetSdk is not supported by Stratus yet.");
    }

    @Test
    void aListHoldingANullIsRefusedNotStored(ApiGatewayClient apigw) {
        CreateRestApiResponse api = apigw.createRestApi(r -> r.name("nulls"));
        apigw.putMethod(r -> r.restApiId(api.id()).resourceId(api.rootResourceId()).httpMethod("GET").authorizationType("NONE"));

        assertError(() -> apigw.putIntegration(r -> r.restApiId(api.id()).resourceId(api.rootResourceId()).httpMethod("GET")
                .type(IntegrationType.MOCK).cacheKeyParameters(java.util.Arrays.asList("method.request.path.id", null))), 400,
                "SerializationException", "cacheKeyParameters");
        assertError(() -> apigw.getIntegration(r -> r.restApiId(api.id()).resourceId(api.rootResourceId()).httpMethod("GET")), 404,
                "NotFoundException", "");
    }

    @Test
    void tagsOnApisAndStages(ApiGatewayClient apigw) {
        CreateRestApiResponse api = apigw.createRestApi(r -> r.name("tagged").tags(Map.of("team", "a")));
        String apiArn = "arn:aws:apigateway:us-east-1::/restapis/" + api.id();
        apigw.putMethod(r -> r.restApiId(api.id()).resourceId(api.rootResourceId()).httpMethod("GET").authorizationType("NONE"));
        apigw.putIntegration(r -> r.restApiId(api.id()).resourceId(api.rootResourceId()).httpMethod("GET").type(IntegrationType.MOCK));
        apigw.createDeployment(r -> r.restApiId(api.id()).stageName("prod"));

        apigw.tagResource(r -> r.resourceArn(apiArn).tags(Map.of("env", "dev")));
        apigw.tagResource(r -> r.resourceArn(apiArn + "/stages/prod").tags(Map.of("tier", "gold")));
        assertThat(apigw.getTags(r -> r.resourceArn(apiArn)).tags()).containsOnly(Map.entry("team", "a"), Map.entry("env", "dev"));
        assertThat(apigw.getRestApi(r -> r.restApiId(api.id())).tags()).containsEntry("env", "dev");
        assertThat(apigw.getStage(r -> r.restApiId(api.id()).stageName("prod")).tags()).containsOnly(Map.entry("tier", "gold"));
        apigw.untagResource(r -> r.resourceArn(apiArn).tagKeys("team"));
        assertThat(apigw.getTags(r -> r.resourceArn(apiArn)).tags()).containsOnly(Map.entry("env", "dev"));

        assertError(() -> apigw.tagResource(r -> r.resourceArn(apiArn + "/stages/none").tags(Map.of("a", "b"))), 404, "NotFoundException",
                "Invalid Stage identifier specified");
        assertError(() -> apigw.tagResource(r -> r.resourceArn("arn:aws:apigateway:us-east-1::/apikeys/abc").tags(Map.of("a", "b"))), 501,
                "NotImplemented", "is not supported by Stratus yet");
        assertError(() -> apigw.tagResource(r -> r.resourceArn(apiArn).tags(Map.of("aws:reserved", "b"))), 400, "BadRequestException",
                "Invalid tag key");
    }
}
