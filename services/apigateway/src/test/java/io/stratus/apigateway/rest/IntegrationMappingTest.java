package io.stratus.apigateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.apigateway.rest.RestApiModel.IntegrationResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which integration response a Lambda error message or an HTTP status selects. */
class IntegrationMappingTest {

    private static final List<IntegrationResponse> RESPONSES = List.of(
            response("200", null),
            response("400", "Bad input.*"),
            response("404", ".*not found.*"),
            response("500", "5\\d\\d"),
            response("502", "(?s).*Task timed out.*"));

    private static IntegrationResponse response(String status, String pattern) {
        return new IntegrationResponse(status, pattern, null, null, null);
    }

    @ParameterizedTest(name = "''{0}'' → {1}")
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            none                          | 200
            Bad input: name               | 400
            'Item not found, sorry'       | 404
            Error: bad input              | 200
            500                           | 500
            503                           | 500
            200                           | 200
            404                           | 200
            'Task timed out after 3.00s'  | 502
            """)
    void selects(String selector, String status) {
        Optional<IntegrationResponse> selected = IntegrationMapping.select(RESPONSES, selector);

        assertThat(selected).map(IntegrationResponse::statusCode).hasValue(status);
    }

    @ParameterizedTest(name = "without a default, ''{0}'' selects nothing")
    @CsvSource({"other", "201"})
    void selectsNothingWithoutADefault(String selector) {
        assertThat(IntegrationMapping.select(List.of(response("400", "Bad.*")), selector)).isEmpty();
    }
}
