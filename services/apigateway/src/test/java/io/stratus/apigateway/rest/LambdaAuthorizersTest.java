package io.stratus.apigateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How an authorizer policy's Resource patterns match a call's method ARN. */
class LambdaAuthorizersTest {

    private static final String ARN = "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/pets/7";

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/pets/7    | true
            arn:aws:execute-api:us-east-1:000000000000:abc123/prod/*             | true
            arn:aws:execute-api:*:*:abc123/*/GET/*                               | true
            arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/pets/?    | true
            *                                                                    | true
            arn:aws:execute-api:us-east-1:000000000000:abc123/prod/POST/*        | false
            arn:aws:execute-api:us-east-1:000000000000:abc123/dev/*              | false
            arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/pets      | false
            arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/pets/7.*  | false
            """)
    void globMatchesMethodArns(String pattern, boolean matches) {
        assertThat(LambdaAuthorizers.glob(pattern, ARN)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} at {1} → {2}")
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            /                     | /              | {}
            /pets/{id}            | /pets/7        | {id=7}
            /pets/{id}            | /pets          | none
            /pets/{id}            | /cats/7        | none
            /files/{path+}        | /files/a/b/c   | {path=a/b/c}
            /files/{path+}        | /files         | none
            /a/{b}/c              | /a/x/c         | {b=x}
            """)
    void testInvokeReadsPathParametersFromTheResourcePath(String resourcePath, String path, String parameters) {
        var found = TestInvokeOperations.pathParameters(resourcePath, path);

        assertThat(found == null ? null : found.toString()).isEqualTo(parameters);
    }
}
