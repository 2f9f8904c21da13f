package io.stratus.apigateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.apigateway.rest.RestApiModel.Model;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSchemasTest {

    private static final String PET = """
            {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["name", "owner"],
             "properties": {"name": {"type": "string", "minLength": 1}, "age": {"type": "integer", "minimum": 0},
                            "owner": {"$ref": "https://apigateway.amazonaws.com/restapis/api1/models/Owner"}}}""";
    private static final String OWNER = """
            {"type": "object", "required": ["email"], "properties": {"email": {"type": "string"}}}""";

    private final ModelSchemas schemas = new ModelSchemas("api1", List.of(
            new Model("m1", "Pet", null, PET, "application/json"), new Model("m2", "Owner", null, OWNER, "application/json")));

    private ModelSchemas.Result validate(String model, String body) {
        return schemas.validate(model, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBodyMatchingItsModelAndTheModelsItRefersToPasses() {
        assertThat(validate("Pet", "{\"name\": \"rex\", \"age\": 3, \"owner\": {\"email\": \"a@b\"}}").valid()).isTrue();
    }

    @Test
    void aBodyFailingItsModelOrAReferencedModelFailsWithTheReasons() {
        ModelSchemas.Result missing = validate("Pet", "{\"age\": -1, \"owner\": {}}");
        assertThat(missing.valid()).isFalse();
        assertThat(missing.validationErrorString()).startsWith("[").endsWith("]").contains("name").contains("email").contains("minimum");
        assertThat(validate("Pet", "{\"name\": 7, \"owner\": {\"email\": \"x\"}}").errors()).singleElement().asString().contains("string");
    }

    @Test
    void anEmptyBodyIsAnEmptyObjectAndTextThatIsNotJsonFails() {
        assertThat(validate("Owner", "").errors()).singleElement().asString().contains("email");
        assertThat(validate("Owner", "not json").errors()).singleElement().asString().startsWith("Invalid JSON");
    }

    @Test
    void anUnknownModelValidatesNothing() {
        assertThat(validate("Nope", "{}").valid()).isTrue();
    }

    @Test
    void schemaProblemsNameBrokenJsonInvalidKeywordsAndMissingModels() {
        assertThat(ModelSchemas.problems("api1", OWNER, name -> true)).isEmpty();
        assertThat(ModelSchemas.problems("api1", PET, name -> name.equals("Owner"))).isEmpty();
        assertThat(ModelSchemas.problems("api1", PET, name -> false)).singleElement().asString().contains("Invalid model referenced");
        assertThat(ModelSchemas.problems("api1", "{nope", name -> true)).containsExactly("Invalid model schema specified");
        assertThat(ModelSchemas.problems("api1", "{\"type\": \"strong\"}", name -> true)).isNotEmpty()
                .allSatisfy(problem -> assertThat(problem).startsWith("Invalid model schema specified: /type"));
        assertThat(ModelSchemas.problems("api1", "{\"required\": []}", name -> true)).as("draft 4: required needs an item").isNotEmpty();
        assertThat(ModelSchemas.referencedModels("api1", PET)).containsExactly("Owner");
    }

    @Test
    void theModelForARequestIsItsContentTypesElseDefault() {
        Map<String, String> models = Map.of("application/json", "Pet", "$default", "Owner");
        assertThat(ModelSchemas.modelFor(models, "application/json")).contains("Pet");
        assertThat(ModelSchemas.modelFor(models, "")).as("no content type is JSON").contains("Pet");
        assertThat(ModelSchemas.modelFor(models, "text/plain")).contains("Owner");
        assertThat(ModelSchemas.modelFor(Map.of("application/json", "Pet"), "text/plain")).isEmpty();
        assertThat(ModelSchemas.modelFor(null, "application/json")).isEmpty();
    }
}
