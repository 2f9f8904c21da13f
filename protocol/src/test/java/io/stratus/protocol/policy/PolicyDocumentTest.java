package io.stratus.protocol.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.core.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Policy evaluation against a table of named cases ({@code policy/cases.json}): a policy, a caller,
 * an action, a resource and condition keys go in; the case states the policy's decision and whether
 * the resource owner's rule lets the caller through (and, where stated, whether S3 would call the
 * policy public). Malformed policies ({@code policy/malformed.json})
 * are refused with the message a service passes on.
 */
class PolicyDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() throws IOException {
        return table("/policy/cases.json");
    }

    static Stream<Arguments> malformed() throws IOException {
        return table("/policy/malformed.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluates(String name, JsonNode testCase) throws IOException {
        PolicyDocument policy = testCase.has("policy") ? PolicyDocument.parse(JSON.writeValueAsString(testCase.get("policy"))) : null;
        AccessRequest request = new AccessRequest(caller(testCase.get("caller")), testCase.get("action").asText(),
                testCase.get("resource").asText(), context(testCase.get("context")));

        Decision decision = policy == null ? Decision.NONE : policy.evaluate(request);

        assertThat(decision).isEqualTo(Decision.valueOf(testCase.get("decision").asText()));
        assertThat(PolicyDocument.permits(policy, testCase.get("owner").asText(), request)).isEqualTo(testCase.get("permits").asBoolean());
        if (testCase.has("public")) {
            assertThat(policy.isPublic()).as("public").isEqualTo(testCase.get("public").asBoolean());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesMalformedPolicies(String name, JsonNode testCase) {
        assertThatThrownBy(() -> PolicyDocument.parse(testCase.get(0).asText()))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith(testCase.get(1).asText());
    }

    private static Caller caller(JsonNode node) {
        if (node.has("service")) {
            return new Caller.Service(node.get("service").asText(), node.path("region").asText(null));
        }
        if (node.has("anonymous")) {
            return new Caller.Anonymous();
        }
        String account = node.get("account").asText();
        return new Caller.Aws(node.has("arn") ? new Principal(account, "AROA:" + account, node.get("arn").asText()) : Principal.root(account));
    }

    private static Map<String, List<String>> context(JsonNode node) {
        Map<String, List<String>> context = new LinkedHashMap<>();
        if (node != null) {
            node.fields().forEachRemaining(key -> {
                List<String> values = new ArrayList<>();
                key.getValue().forEach(v -> values.add(v.asText()));
                context.put(key.getKey(), values);
            });
        }
        return context;
    }

    private static Stream<Arguments> table(String resource) throws IOException {
        try (InputStream in = PolicyDocumentTest.class.getResourceAsStream(resource)) {
            List<Arguments> cases = new ArrayList<>();
            JSON.readTree(in).fields().forEachRemaining(entry -> cases.add(Arguments.of(entry.getKey(), entry.getValue())));
            return cases.stream();
        }
    }
}
