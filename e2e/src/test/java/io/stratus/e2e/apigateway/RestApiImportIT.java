package io.stratus.e2e.apigateway;

import static io.stratus.e2e.apigateway.RestApiControlPlaneIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.PutMode;
import software.amazon.awssdk.services.apigateway.model.Resource;

/** REST APIs from OpenAPI definitions with API Gateway's extensions: ImportRestApi and PutRestApi. */
@StratusTest
class RestApiImportIT {

    private static final String OPENAPI_JSON = """
            {
              "openapi": "3.0.1",
              "info": {"title": "imported-pets", "description": "from OpenAPI", "version": "1.0"},
              "x-amazon-apigateway-binary-media-types": ["image/png"],
              "paths": {
                "/pets": {
                  "get": {
                    "parameters": [{"name": "type", "in": "query", "required": false}],
                    "responses": {"200": {"description": "ok", "headers": {"X-Count": {"schema": {"type": "string"}}}}},
                    "x-amazon-apigateway-integration": {
                      "type": "mock",
                      "requestTemplates": {"application/json": "{\\"statusCode\\": 200}"},
                      "passthroughBehavior": "when_no_match",
                      "responses": {"default": {"statusCode": "200",
                        "responseParameters": {"method.response.header.X-Count": "'2'"},
                        "responseTemplates": {"application/json": "[{\\"type\\": \\"$input.params('type')\\"}]"}}}
                    }
                  }
                },
                "/pets/{petId}": {
                  "get": {
                    "parameters": [{"name": "petId", "in": "path", "required": true}],
                    "x-amazon-apigateway-integration": {
                      "type": "mock",
                      "requestTemplates": {"application/json": "{\\"statusCode\\": 200}"},
                      "responses": {"default": {"statusCode": "200", "responseTemplates": {"application/json": "{\\"id\\": \\"$input.params('petId')\\"}"}}}
                    }
                  }
                }
              }
            }
            """;

    private static final String SWAGGER_YAML = """
            swagger: "2.0"
            info:
              title: replaced-pets
              version: "2.0"
            paths:
              /{proxy+}:
                x-amazon-apigateway-any-method:
                  x-amazon-apigateway-integration:
                    type: mock
                    requestTemplates:
                      application/json: '{"statusCode": 200}'
                    responses:
                      default:
                        statusCode: "200"
                        responseTemplates:
                          application/json: '{"proxy": "$input.params(''proxy'')", "method": "$context.httpMethod"}'
            """;

    @Test
    void importsAnOpenApiDefinitionAndServesIt(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        var imported = apigw.importRestApi(r -> r.body(SdkBytes.fromUtf8String(OPENAPI_JSON)));
        assertThat(imported.name()).isEqualTo("imported-pets");
        assertThat(imported.description()).isEqualTo("from OpenAPI");
        assertThat(imported.binaryMediaTypes()).containsExactly("image/png");
        Map<String, Resource> resources = apigw.getResources(r -> r.restApiId(imported.id()).embed("methods")).items().stream()
                .collect(Collectors.toMap(Resource::path, r -> r));
        assertThat(resources).containsOnlyKeys("/", "/pets", "/pets/{petId}");
        var list = resources.get("/pets").resourceMethods().get("GET");
        assertThat(list.requestParameters()).containsEntry("method.request.querystring.type", false);
        assertThat(list.methodResponses().get("200").responseParameters()).containsKey("method.response.header.X-Count");
        assertThat(list.methodIntegration().typeAsString()).isEqualTo("MOCK");
        assertThat(list.methodIntegration().passthroughBehavior()).isEqualTo("WHEN_NO_MATCH");

        apigw.createDeployment(r -> r.restApiId(imported.id()).stageName("prod"));
        RestApiFixture api = new RestApiFixture(apigw, stratus, imported.id(), "/");
        var pets = api.get("/prod/pets?type=cat");
        assertThat(pets.body()).isEqualTo("[{\"type\": \"cat\"}]");
        assertThat(pets.headers().firstValue("X-Count")).hasValue("2");
        assertThat(api.get("/prod/pets/7").body()).isEqualTo("{\"id\": \"7\"}");

        var export = apigw.getExport(r -> r.restApiId(imported.id()).stageName("prod").exportType("oas30")
                .parameters(Map.of("extensions", "integrations")).accepts("application/json"));
        assertThat(export.contentType()).isEqualTo("application/json");
        var reimported = apigw.importRestApi(r -> r.body(export.body()));
        assertThat(reimported.name()).isEqualTo("imported-pets");
        apigw.createDeployment(r -> r.restApiId(reimported.id()).stageName("copy"));
        RestApiFixture copy = new RestApiFixture(apigw, stratus, reimported.id(), "/");
        assertThat(copy.get("/copy/pets/8").body()).isEqualTo("{\"id\": \"8\"}");
        var swagger = apigw.getExport(r -> r.restApiId(imported.id()).stageName("prod").exportType("swagger").accepts("application/yaml"));
        assertThat(swagger.contentType()).isEqualTo("application/yaml");
        assertThat(swagger.body().asUtf8String()).contains("swagger: \"2.0\"").contains("/pets/{petId}").doesNotContain("x-amazon-apigateway-integration");

        var replaced = apigw.putRestApi(r -> r.restApiId(imported.id()).mode(PutMode.OVERWRITE).body(SdkBytes.fromUtf8String(SWAGGER_YAML)));
        assertThat(replaced.name()).isEqualTo("replaced-pets");
        assertThat(apigw.getResources(r -> r.restApiId(imported.id())).items()).extracting(Resource::path).containsExactlyInAnyOrder("/", "/{proxy+}");
        apigw.createDeployment(r -> r.restApiId(imported.id()).stageName("prod"));
        assertThat(api.send("DELETE", "/prod/a/b", null, null).body()).isEqualTo("{\"proxy\": \"a/b\", \"method\": \"DELETE\"}");

        apigw.putRestApi(r -> r.restApiId(imported.id()).mode(PutMode.MERGE).body(SdkBytes.fromUtf8String(OPENAPI_JSON)));
        assertThat(apigw.getResources(r -> r.restApiId(imported.id())).items()).extracting(Resource::path)
                .containsExactlyInAnyOrder("/", "/{proxy+}", "/pets", "/pets/{petId}");
    }

    @Test
    void refusesWhatItCannotImport(ApiGatewayClient apigw) {
        assertError(() -> apigw.importRestApi(r -> r.body(SdkBytes.fromUtf8String("{\"info\": {\"title\": \"x\"}}"))), 400, "BadRequestException",
                "Invalid OpenAPI input");
        assertError(() -> apigw.importRestApi(r -> r.body(SdkBytes.fromUtf8String("""
                {"openapi": "3.0.1", "info": {"title": "secured"}, "paths": {"/x": {"get": {"security": [{"key": []}],
                 "x-amazon-apigateway-integration": {"type": "mock"}}}}}
                """))), 501, "NotImplemented", "is not supported by Stratus yet");
        assertError(() -> apigw.importRestApi(r -> r.body(SdkBytes.fromUtf8String("""
                {"openapi": "3.0.1", "info": {"title": "bad"}, "paths": {"/x": {"get": {
                 "x-amazon-apigateway-integration": {"type": "http", "httpMethod": "GET", "uri": "nowhere"}}}}}
                """))), 400, "BadRequestException", "Invalid HTTP endpoint specified for URI");
    }
}
