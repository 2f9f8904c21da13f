package io.stratus.apigateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.RestApiModel.PatchOperation;
import io.stratus.core.AwsException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Patch operations: paths with escaped slashes, map members, and what is refused. */
class PatchesTest {

    @ParameterizedTest(name = "{0} → first {1}, rest {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /name                                    | name              | ''
            /binaryMediaTypes/image~1png             | binaryMediaTypes  | image/png
            /requestTemplates/application~1json      | requestTemplates  | application/json
            /variables/a~0b                          | variables         | a~b
            /requestParameters/method.request.path.id | requestParameters | method.request.path.id
            """)
    void splitsAndUnescapesPaths(String path, String first, String rest) {
        Patches.Patch patch = Patches.parse(List.of(new PatchOperation("replace", path, "v", null))).getFirst();

        assertThat(patch.first()).isEqualTo(first);
        assertThat(patch.rest()).isEqualTo(rest);
    }

    @Test
    void mapPatchesAddReplaceAndRemoveKeys() {
        Patches.Patch add = Patches.parse(List.of(new PatchOperation("add", "/variables/color", "red", null))).getFirst();
        Patches.Patch remove = Patches.parse(List.of(new PatchOperation("remove", "/variables/color", null, null))).getFirst();

        Map<String, String> added = Patches.applyToMap(Map.of("size", "xl"), add, v -> v);
        Map<String, String> removed = Patches.applyToMap(added, remove, v -> v);

        assertThat(added).containsOnly(Map.entry("size", "xl"), Map.entry("color", "red"));
        assertThat(removed).containsOnly(Map.entry("size", "xl"));
        assertThat(Patches.applyToMap(Map.of("color", "red"), remove, v -> v)).isNull();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            delete  | /name     | BAD_REQUEST     | Invalid patch operation specified
            move    | /name     | NOT_IMPLEMENTED | not supported by Stratus yet
            replace | name      | BAD_REQUEST     | Invalid patch path
            """)
    void refusesBadOperations(String op, String path, ApiGatewayErrors code, String message) {
        assertThatThrownBy(() -> Patches.parse(List.of(new PatchOperation(op, path, "v", null))))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
