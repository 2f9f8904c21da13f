package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import io.stratus.lambda.FunctionRules.FunctionReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FunctionRulesTest {

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "my-function, my-function, null, null, null",
            "my-function:$LATEST, my-function, $LATEST, null, null",
            "123456789012:function:my-function, my-function, null, null, 123456789012",
            "arn:aws:lambda:us-east-1:123456789012:function:my-function, my-function, null, us-east-1, 123456789012",
            "arn:aws:lambda:eu-west-2:123456789012:function:my_function:prod, my_function, prod, eu-west-2, 123456789012",
    })
    void functionNamesArnsAndPartialArnsNameTheFunction(String given, String name, String qualifier, String region, String account) {
        assertThat(FunctionRules.reference(given, null)).isEqualTo(new FunctionReference(name, qualifier, region, account));
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "bad/slash", "", "arn:aws:s3:::bucket"})
    void malformedFunctionNamesAreValidationErrors(String given) {
        assertThatThrownBy(() -> FunctionRules.reference(given, null)).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.errorCode()).isEqualTo(LambdaErrors.VALIDATION));
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:iam::123456789012:role/service-role/my-role", "arn:aws:iam::000000000000:role/r"})
    void roleArnsAreAccepted(String role) {
        assertThat(FunctionRules.role(role)).isEqualTo(role);
    }

    @ParameterizedTest
    @ValueSource(strings = {"my-role", "arn:aws:iam::123:role/r", "arn:aws:iam::123456789012:user/u"})
    void otherRolesAreValidationErrors(String role) {
        assertThatThrownBy(() -> FunctionRules.role(role)).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.getMessage()).contains("at 'role' failed to satisfy constraint"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 901})
    void timeoutOutsideOneToNineHundredIsRefused(int timeout) {
        assertThatThrownBy(() -> FunctionRules.timeout(timeout, 3)).isInstanceOf(AwsException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {127, 10241})
    void memoryOutsideAwsRangeIsRefused(int memory) {
        assertThatThrownBy(() -> FunctionRules.memorySize(memory, 128)).isInstanceOf(AwsException.class);
    }
}
