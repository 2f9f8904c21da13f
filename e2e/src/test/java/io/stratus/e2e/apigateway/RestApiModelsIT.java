package io.stratus.e2e.apigateway;

import static io.stratus.e2e.apigateway.RestApiControlPlaneIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.GatewayResponseType;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.Model;
import software.amazon.awssdk.services.apigateway.model.Op;

/** Models (JSON Schema draft 4) and request validators that check bodies against them before the integration runs. */
@StratusTest
class RestApiModelsIT {

    private static final String OWNER = """
            {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["email"],
             "properties": {"email": {"type": "string"}}}""";

    private static String pet(String apiId) {
        return """
                {"$schema": "http://json-schema.org/draft-04/schema#", "title": "Pet", "type": "object", "required": ["name"],
                 "properties": {"name": {"type": "string", "minLength": 1}, "age": {"type": "integer", "minimum": 0},
                                "owner": {"$ref": "https://apigateway.amazonaws.com/restapis/%s/models/Owner"}}}""".formatted(apiId);
    }

    @Test
    void modelsControlPlane(ApiGatewayClient apigw, Stratus stratus) {
        String id = apigw.createRestApi(r -> r.name("models")).id();
        assertThat(apigw.getModels(r -> r.restApiId(id)).items()).as("every API starts with AWS's two models")
                .extracting(Model::name).containsExactly("Empty", "Error");
        assertThat(apigw.getModel(r -> r.restApiId(id).modelName("Error")).schema()).contains("\"message\"");

        var owner = apigw.createModel(r -> r.restApiId(id).name("Owner").contentType("application/json").schema(OWNER).description("who"));
        assertThat(owner.id()).isNotBlank();
        assertThat(owner.name()).isEqualTo("Owner");
        var pet = apigw.createModel(r -> r.restApiId(id).name("Pet").contentType("application/json").schema(pet(id)));
        assertThat(apigw.getModel(r -> r.restApiId(id).modelName("Pet")).schema()).isEqualTo(pet(id));
        assertThat(apigw.getModels(r -> r.restApiId(id)).items()).extracting(Model::name).containsExactly("Empty", "Error", "Owner", "Pet");
        assertThat(apigw.getModels(r -> r.restApiId(id).limit(2)).position()).isNotNull();

        var updated = apigw.updateModel(r -> r.restApiId(id).modelName("Owner").patchOperations(
                p -> p.op(Op.REPLACE).path("/description").value("the owner"),
                p -> p.op(Op.REPLACE).path("/schema").value("{\"type\": \"object\"}")));
        assertThat(updated.description()).isEqualTo("the owner");
        assertThat(updated.schema()).isEqualTo("{\"type\": \"object\"}");

        assertError(() -> apigw.createModel(r -> r.restApiId(id).name("Pet").contentType("application/json").schema("{}")), 409,
                "ConflictException", "Model name already exists for this REST API");
        assertError(() -> apigw.createModel(r -> r.restApiId(id).name("not-alnum").contentType("application/json").schema("{}")), 400,
                "BadRequestException", "Invalid model name specified");
        assertError(() -> apigw.createModel(r -> r.restApiId(id).name("Broken").contentType("application/json").schema("{\"type\": ")), 400,
                "BadRequestException", "Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified");
        assertError(() -> apigw.createModel(r -> r.restApiId(id).name("Wrong").contentType("application/json").schema("{\"type\": \"strong\"}")),
                400, "BadRequestException", "Invalid model schema specified");
        assertError(() -> apigw.createModel(r -> r.restApiId(id).name("Dangling").contentType("application/json")
                .schema("{\"$ref\": \"https://apigateway.amazonaws.com/restapis/" + id + "/models/Nope\"}")), 400, "BadRequestException",
                "Invalid model referenced");
        assertError(() -> apigw.createModel(r -> r.restApiId(id).name("NoType").schema("{}")), 400, "BadRequestException", "Content type");
        assertError(() -> apigw.getModel(r -> r.restApiId(id).modelName("Nope")), 404, "NotFoundException", "Invalid model name specified: Nope");
        assertError(() -> apigw.getModels(r -> r.restApiId("nosuchapi1")), 404, "NotFoundException", "Invalid API identifier specified");
        assertError(() -> apigw.updateModel(r -> r.restApiId(id).modelName("Pet").patchOperations(p -> p.op(Op.REPLACE).path("/name").value("x"))),
                400, "BadRequestException", "Invalid patch path");

        String root = apigw.getResources(r -> r.restApiId(id)).items().getFirst().id();
        assertError(() -> apigw.putMethod(r -> r.restApiId(id).resourceId(root).httpMethod("POST").authorizationType("NONE")
                .requestModels(Map.of("application/json", "Nope"))), 400, "BadRequestException", "Invalid model identifier specified: Nope");
        apigw.putMethod(r -> r.restApiId(id).resourceId(root).httpMethod("POST").authorizationType("NONE").requestModels(Map.of("application/json", "Pet")));
        assertThat(apigw.getMethod(r -> r.restApiId(id).resourceId(root).httpMethod("POST")).requestModels()).containsEntry("application/json", "Pet");
        assertError(() -> apigw.deleteModel(r -> r.restApiId(id).modelName("Pet")), 409, "ConflictException",
                "Cannot delete model 'Pet', is referenced in method request: //POST");
        assertError(() -> apigw.deleteModel(r -> r.restApiId(id).modelName("Owner")), 409, "ConflictException",
                "Cannot delete model 'Owner', is referenced in model: Pet");
        apigw.updateMethod(r -> r.restApiId(id).resourceId(root).httpMethod("POST")
                .patchOperations(p -> p.op(Op.REMOVE).path("/requestModels/application~1json")));
        apigw.deleteModel(r -> r.restApiId(id).modelName("Pet"));
        apigw.deleteModel(r -> r.restApiId(id).modelName("Owner"));
        assertError(() -> apigw.deleteModel(r -> r.restApiId(id).modelName("Owner")), 404, "NotFoundException", "Invalid model name specified");
    }

    @Test
    void aValidatedMethodRefusesBodiesThatFailItsModelBeforeTheIntegrationRuns(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "validated");
        apigw.createModel(r -> r.restApiId(api.id).name("Owner").contentType("application/json").schema(OWNER));
        apigw.createModel(r -> r.restApiId(api.id).name("Pet").contentType("application/json").schema(pet(api.id)));
        String validator = apigw.createRequestValidator(r -> r.restApiId(api.id).name("body").validateRequestBody(true)).id();
        assertThat(apigw.getRequestValidator(r -> r.restApiId(api.id).requestValidatorId(validator)).validateRequestBody()).isTrue();
        String pets = api.resource("/pets");
        apigw.putMethod(r -> r.restApiId(api.id).resourceId(pets).httpMethod("POST").authorizationType("NONE").requestValidatorId(validator)
                .requestModels(Map.of("application/json", "Pet", "$default", "Owner")));
        apigw.putIntegration(r -> r.restApiId(api.id).resourceId(pets).httpMethod("POST").type(IntegrationType.MOCK)
                .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}", "text/plain", "{\"statusCode\": 200}")));
        api.response("POST", "/pets", "200", null, Map.of("application/json", "{\"created\": true}"), Map.of());
        String plain = api.resource("/plain");
        apigw.putMethod(r -> r.restApiId(api.id).resourceId(plain).httpMethod("POST").authorizationType("NONE").requestValidatorId(validator)
                .requestModels(Map.of("application/json", "Pet")));
        apigw.putIntegration(r -> r.restApiId(api.id).resourceId(plain).httpMethod("POST").type(IntegrationType.MOCK)
                .passthroughBehavior("WHEN_NO_MATCH").requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        api.response("POST", "/plain", "200", null, Map.of("application/json", "{\"plain\": true}"), Map.of());
        api.deploy("prod");

        HttpResponse<String> ok = api.send("POST", "/prod/pets", "application/json", "{\"name\": \"rex\", \"age\": 3, \"owner\": {\"email\": \"a@b.c\"}}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"created\": true}");

        HttpResponse<String> bad = api.send("POST", "/prod/pets", "application/json", "{\"name\": \"\", \"age\": -1}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("{\"message\":\"Invalid request body\"}");
        assertThat(bad.headers().firstValue("x-amzn-ErrorType")).contains("BadRequestException");
        assertThat(api.send("POST", "/prod/pets", "application/json", "{\"name\": \"rex\", \"owner\": {}}").statusCode())
                .as("the model a $ref names is checked too").isEqualTo(400);
        assertThat(api.send("POST", "/prod/pets", "application/json", "not json").statusCode()).isEqualTo(400);
        assertThat(api.send("POST", "/prod/pets", "application/json", null).statusCode()).as("an empty body is an empty object").isEqualTo(400);
        assertThat(api.send("POST", "/prod/pets", null, "{\"name\": \"rex\"}").statusCode()).as("no content type is JSON").isEqualTo(200);
        assertThat(api.send("POST", "/prod/pets", "text/plain", "{\"name\": \"rex\"}").statusCode()).as("$default: Owner").isEqualTo(400);
        assertThat(api.send("POST", "/prod/pets", "text/plain", "{\"email\": \"a@b.c\"}").statusCode()).isEqualTo(200);
        assertThat(api.send("POST", "/prod/plain", "text/plain", "{\"statusCode\": 200}").statusCode()).as("no model for the content type: no validation")
                .isEqualTo(200);

        apigw.putGatewayResponse(r -> r.restApiId(api.id).responseType(GatewayResponseType.BAD_REQUEST_BODY).statusCode("422")
                .responseTemplates(Map.of("application/json",
                        "{\"error\": \"$context.error.message\", \"type\": \"$context.error.responseType\", \"details\": \"$util.escapeJavaScript($context.error.validationErrorString)\"}")));
        api.deploy("prod");
        HttpResponse<String> custom = api.send("POST", "/prod/pets", "application/json", "{\"age\": 1}");
        assertThat(custom.statusCode()).isEqualTo(422);
        assertThat(custom.body()).startsWith("{\"error\": \"Invalid request body\", \"type\": \"BAD_REQUEST_BODY\", \"details\": \"[")
                .contains("name");

        apigw.updateRequestValidator(r -> r.restApiId(api.id).requestValidatorId(validator)
                .patchOperations(p -> p.op(Op.REPLACE).path("/validateRequestBody").value("false")));
        api.deploy("prod");
        assertThat(api.send("POST", "/prod/pets", "application/json", "{\"age\": -1}").statusCode()).as("validation turned off").isEqualTo(200);
    }
}
