package io.stratus.apigateway.rest;

import io.stratus.apigateway.rest.RestApiModel.Method;
import io.stratus.apigateway.rest.RestApiModel.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the resource and method a call goes to in a deployed resource tree. At each level a literal
 * path part wins over a {@code {param}}, which wins over a greedy {@code {proxy+}}; a branch that
 * leads to no resource with the call's method (or {@code ANY}) gives way to the next. Immutable
 * once built; thread-safe.
 */
final class ResourceMatcher {

    /** The resource and method a call matched, and the values of the path's parameters. */
    record Match(Resource resource, Method method, Map<String, String> pathParameters) {}

    private final Resource root;
    private final Map<String, List<Resource>> children = new HashMap<>();

    ResourceMatcher(List<Resource> resources) {
        Resource found = null;
        for (Resource resource : resources) {
            if (resource.parentId() == null) {
                found = resource;
            } else {
                children.computeIfAbsent(resource.parentId(), k -> new ArrayList<>()).add(resource);
            }
        }
        // Literals first, then {param}, then {proxy+}.
        children.values().forEach(list -> list.sort(Comparator.comparingInt(ResourceMatcher::rank)));
        this.root = found;
    }

    private static int rank(Resource resource) {
        return resource.greedy() ? 2 : resource.variable() ? 1 : 0;
    }

    /**
     * @param segments the path after the stage, split at {@code /} and percent-decoded; empty for {@code /}
     */
    Optional<Match> match(String httpMethod, List<String> segments) {
        if (root == null) {
            return Optional.empty();
        }
        return match(root, httpMethod, segments, 0, new LinkedHashMap<>());
    }

    private Optional<Match> match(Resource resource, String httpMethod, List<String> segments, int at, Map<String, String> parameters) {
        if (at == segments.size()) {
            Method method = resource.methods().get(httpMethod);
            if (method == null) {
                method = resource.methods().get("ANY");
            }
            return method == null ? Optional.empty() : Optional.of(new Match(resource, method, Map.copyOf(parameters)));
        }
        String segment = segments.get(at);
        for (Resource child : children.getOrDefault(resource.id(), List.of())) {
            if (child.greedy()) {
                Map<String, String> bound = new LinkedHashMap<>(parameters);
                bound.put(child.parameterName(), String.join("/", segments.subList(at, segments.size())));
                Optional<Match> found = match(child, httpMethod, segments, segments.size(), bound);
                if (found.isPresent()) {
                    return found;
                }
            } else if (child.variable()) {
                if (segment.isEmpty()) {
                    continue;
                }
                Map<String, String> bound = new LinkedHashMap<>(parameters);
                bound.put(child.parameterName(), segment);
                Optional<Match> found = match(child, httpMethod, segments, at + 1, bound);
                if (found.isPresent()) {
                    return found;
                }
            } else if (child.pathPart().equals(segment)) {
                Optional<Match> found = match(child, httpMethod, segments, at + 1, parameters);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
