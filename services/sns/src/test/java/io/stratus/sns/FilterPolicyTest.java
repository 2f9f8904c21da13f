package io.stratus.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Filter policies as SNS documents them, in both scopes: named cases of policy, message and attributes. */
class FilterPolicyTest {

    private static final Map<String, PublishedAttribute> ORDER = Map.of(
            "store", new PublishedAttribute("String", "example_corp"),
            "price_usd", new PublishedAttribute("Number", "210.75"),
            "customer_interests", new PublishedAttribute("String.Array", "[\"soccer\",\"rugby\"]"),
            "encoded", new PublishedAttribute("Binary", "AAE="));

    static Stream<Arguments> attributeCases() {
        return Stream.of(
                Arguments.of("exact string", "{\"store\":[\"example_corp\"]}", true),
                Arguments.of("other string", "{\"store\":[\"other\"]}", false),
                Arguments.of("numeric range", "{\"price_usd\":[{\"numeric\":[\">=\",100,\"<\",300]}]}", true),
                Arguments.of("numeric range missed", "{\"price_usd\":[{\"numeric\":[\"<\",100]}]}", false),
                Arguments.of("array member", "{\"customer_interests\":[\"rugby\"]}", true),
                Arguments.of("prefix", "{\"store\":[{\"prefix\":\"example\"}]}", true),
                Arguments.of("anything-but", "{\"store\":[{\"anything-but\":[\"example_corp\"]}]}", false),
                Arguments.of("exists", "{\"store\":[{\"exists\":true}]}", true),
                Arguments.of("not exists", "{\"missing\":[{\"exists\":false}]}", true),
                Arguments.of("both keys must match", "{\"store\":[\"example_corp\"],\"price_usd\":[{\"numeric\":[\"<\",10]}]}", false),
                Arguments.of("binary attributes are not filtered on", "{\"encoded\":[\"AAE=\"]}", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributeCases")
    void attributeScope(String name, String policy, boolean matches) {
        FilterPolicy.validate(policy, FilterPolicy.ATTRIBUTES_SCOPE);
        assertThat(new FilterPolicy().matches(policy, FilterPolicy.ATTRIBUTES_SCOPE, "{}", ORDER)).isEqualTo(matches);
    }

    static Stream<Arguments> bodyCases() {
        String body = "{\"order\":{\"store\":\"example_corp\",\"total\":42},\"tags\":[\"a\",\"b\"]}";
        return Stream.of(
                Arguments.of("nested key", "{\"order\":{\"store\":[\"example_corp\"]}}", body, true),
                Arguments.of("nested numeric", "{\"order\":{\"total\":[{\"numeric\":[\">\",40]}]}}", body, true),
                Arguments.of("array body member", "{\"tags\":[\"b\"]}", body, true),
                Arguments.of("miss", "{\"order\":{\"store\":[\"other\"]}}", body, false),
                Arguments.of("a body that is not JSON", "{\"order\":{\"store\":[\"example_corp\"]}}", "plain text", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodyCases")
    void bodyScope(String name, String policy, String body, boolean matches) {
        FilterPolicy.validate(policy, FilterPolicy.BODY_SCOPE);
        assertThat(new FilterPolicy().matches(policy, FilterPolicy.BODY_SCOPE, body, Map.of())).isEqualTo(matches);
    }

    static Stream<Arguments> invalidCases() {
        return Stream.of(
                Arguments.of("not JSON", "{nope", FilterPolicy.ATTRIBUTES_SCOPE),
                Arguments.of("not an object", "[1]", FilterPolicy.BODY_SCOPE),
                Arguments.of("a value that is not an array", "{\"a\":\"b\"}", FilterPolicy.ATTRIBUTES_SCOPE),
                Arguments.of("nesting in attribute scope", "{\"a\":{\"b\":[\"c\"]}}", FilterPolicy.ATTRIBUTES_SCOPE),
                Arguments.of("too many keys", "{\"a\":[1],\"b\":[1],\"c\":[1],\"d\":[1],\"e\":[1],\"f\":[1]}", FilterPolicy.ATTRIBUTES_SCOPE),
                Arguments.of("an unknown operator", "{\"a\":[{\"sometimes\":1}]}", FilterPolicy.ATTRIBUTES_SCOPE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCases")
    void invalidPoliciesAreInvalidParameters(String name, String policy, String scope) {
        assertThatThrownBy(() -> FilterPolicy.validate(policy, scope)).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.errorCode()).isEqualTo(SnsErrors.INVALID_PARAMETER));
    }
}
