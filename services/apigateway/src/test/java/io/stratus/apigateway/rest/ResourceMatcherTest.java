package io.stratus.apigateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.apigateway.rest.RestApiModel.Method;
import io.stratus.apigateway.rest.RestApiModel.Resource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which resource and method a call reaches in one resource tree, and with which path parameters. */
class ResourceMatcherTest {

    /** {@code path → methods}: the tree every case runs against. */
    private static final ResourceMatcher TREE = tree(new LinkedHashMap<>(Map.of(
            "/", List.of("GET"),
            "/pets", List.of("GET", "POST"),
            "/pets/mine", List.of("GET"),
            "/pets/{petId}", List.of("GET", "DELETE"),
            "/pets/{petId}/toys/{toyId}", List.of("ANY"),
            "/files/{path+}", List.of("GET"),
            "/{proxy+}", List.of("ANY"))));

    @ParameterizedTest(name = "{0} {1} → {2} {3}")
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            GET    | /                  | /                          | GET    |
            GET    | /pets              | /pets                      | GET    |
            POST   | /pets              | /pets                      | POST   |
            GET    | /pets/             | /pets                      | GET    |
            GET    | /pets/mine         | /pets/mine                 | GET    |
            GET    | /pets/7            | /pets/{petId}              | GET    | petId=7
            DELETE | /pets/mine         | /pets/{petId}              | DELETE | petId=mine
            PATCH  | /pets/7/toys/2     | /pets/{petId}/toys/{toyId} | ANY    | petId=7,toyId=2
            GET    | /files/a/b/c.txt   | /files/{path+}             | GET    | path=a/b/c.txt
            POST   | /files/a           | /{proxy+}                  | ANY    | proxy=files/a
            PUT    | /pets              | /{proxy+}                  | ANY    | proxy=pets
            GET    | /pets/7/toys       | /{proxy+}                  | ANY    | proxy=pets/7/toys
            DELETE | /                  | none                       | none   |
            """)
    void matches(String httpMethod, String path, String resourcePath, String method, String parameters) {
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();

        Optional<ResourceMatcher.Match> match = TREE.match(httpMethod, segments);

        if (resourcePath == null) {
            assertThat(match).isEmpty();
            return;
        }
        assertThat(match).isPresent();
        assertThat(match.get().resource().path()).isEqualTo(resourcePath);
        assertThat(match.get().method().httpMethod()).isEqualTo(method);
        Map<String, String> expected = new LinkedHashMap<>();
        if (parameters != null) {
            for (String pair : parameters.split(",")) {
                String[] kv = pair.split("=", 2);
                expected.put(kv[0], kv[1]);
            }
        }
        assertThat(match.get().pathParameters()).isEqualTo(expected);
    }

    private static ResourceMatcher tree(Map<String, List<String>> methodsByPath) {
        Map<String, Resource> byPath = new LinkedHashMap<>();
        methodsByPath.keySet().stream().sorted().forEach(path -> add(byPath, path, methodsByPath.get(path)));
        return new ResourceMatcher(List.copyOf(byPath.values()));
    }

    private static Resource add(Map<String, Resource> byPath, String path, List<String> methods) {
        Map<String, Method> byName = new LinkedHashMap<>();
        for (String name : methods) {
            byName.put(name, new Method(name, "NONE", null, false, null, null, null, null, null, null, null));
        }
        Resource existing = byPath.get(path);
        if (existing != null) {
            Resource updated = existing.withMethods(byName);
            byPath.put(path, updated);
            return updated;
        }
        Resource resource;
        if (path.equals("/")) {
            resource = new Resource("root", null, null, "/", byName.isEmpty() ? null : byName);
        } else {
            int slash = path.lastIndexOf('/');
            String parentPath = slash == 0 ? "/" : path.substring(0, slash);
            Resource parent = byPath.containsKey(parentPath) ? byPath.get(parentPath) : add(byPath, parentPath, List.of());
            resource = new Resource("r" + path.hashCode(), parent.id(), path.substring(slash + 1), path, byName.isEmpty() ? null : byName);
        }
        byPath.put(path, resource);
        return resource;
    }
}
