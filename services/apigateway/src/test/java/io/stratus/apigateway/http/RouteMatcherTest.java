package io.stratus.apigateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.apigateway.http.HttpApiResources.Route;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Route selection against the named cases in {@code src/test/resources/http/route-matching.json}:
 * each gives an API's route keys, a call, and the route it takes (null: none) with its path parameters.
 */
class RouteMatcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Case(String name, List<String> routes, String method, String path, String expected, Map<String, String> parameters) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() throws IOException {
        try (InputStream in = RouteMatcherTest.class.getResourceAsStream("/http/route-matching.json")) {
            List<Case> cases = JSON.readValue(in, new TypeReference<>() {});
            return cases.stream().map(Arguments::of);
        }
    }

    private static List<String> segments(String path) {
        String trimmed = path.substring(1);
        return trimmed.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(trimmed.split("/", -1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matches(Case c) {
        List<Route> routes = c.routes().stream().map(key -> new Route("id-" + key, key, null, "NONE", null, List.of(), false, null, false)).toList();

        Optional<RouteMatcher.Match> match = new RouteMatcher(routes).match(c.method(), segments(c.path()));

        if (c.expected() == null) {
            assertThat(match).isEmpty();
        } else {
            assertThat(match).hasValueSatisfying(m -> {
                assertThat(m.route().routeKey()).isEqualTo(c.expected());
                assertThat(m.pathParameters()).isEqualTo(c.parameters());
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"$default", "GET /", "ANY /{proxy+}", "GET /items/{id}", "POST /a/b/c", "DELETE /a/{b}/c/{d+}", "GET /a.b/c-d_e~f"})
    void acceptsRouteKeys(String key) {
        assertThat(RouteKey.parse(key)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GET", "GET items", "get /items", "FETCH /items", "GET  /items", "GET /items/", "GET /a//b", "GET /{a}/{a}",
            "GET /{proxy+}/more", "GET /{}", "GET /{a b}", "GET /a b", "$DEFAULT", "GET /items?x=1"})
    void refusesRouteKeys(String key) {
        assertThat(RouteKey.parse(key)).isEmpty();
    }
}
