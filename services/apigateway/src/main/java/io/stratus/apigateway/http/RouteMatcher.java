package io.stratus.apigateway.http;

import io.stratus.apigateway.http.HttpApiResources.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the route a call takes, as API Gateway does for HTTP APIs: the most specific path wins
 * (compared segment by segment, a literal before a {@code {parameter}} before a greedy
 * {@code {proxy+}}), then a route for the call's method before an {@code ANY} route, and
 * {@code $default} only when nothing else matches. Immutable; thread-safe.
 */
final class RouteMatcher {

    /** The route a call takes and the values of its path parameters. */
    record Match(Route route, Map<String, String> pathParameters) {}

    private record Candidate(Route route, RouteKey key) {}

    private final List<Candidate> candidates = new ArrayList<>();
    private final Route defaultRoute;

    RouteMatcher(List<Route> routes) {
        Route fallback = null;
        for (Route route : routes) {
            Optional<RouteKey> key = RouteKey.parse(route.routeKey());
            if (key.isEmpty()) {
                continue;
            }
            if (key.get().isDefault()) {
                fallback = route;
            } else {
                candidates.add(new Candidate(route, key.get()));
            }
        }
        this.defaultRoute = fallback;
    }

    /**
     * @param method the call's method
     * @param segments the call's path split at {@code /}, decoded, without the stage
     */
    Optional<Match> match(String method, List<String> segments) {
        Candidate best = null;
        int[] bestScore = null;
        Map<String, String> bestParameters = null;
        for (Candidate candidate : candidates) {
            if (!candidate.key().method().equals("ANY") && !candidate.key().method().equals(method)) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            int[] score = score(candidate.key(), segments, parameters);
            if (score == null) {
                continue;
            }
            if (best == null || compare(score, bestScore) > 0) {
                best = candidate;
                bestScore = score;
                bestParameters = parameters;
            }
        }
        if (best != null) {
            return Optional.of(new Match(best.route(), bestParameters));
        }
        return Optional.ofNullable(defaultRoute).map(route -> new Match(route, Map.of()));
    }

    /**
     * How well the key matches the path: per path segment 2 for a literal, 1 for a parameter, 0 for a
     * greedy parameter; then 1 for a specific method, 0 for ANY. Null when it does not match.
     */
    private static int[] score(RouteKey key, List<String> path, Map<String, String> parameters) {
        int[] score = new int[path.size() + 1];
        List<RouteKey.Segment> template = key.segments();
        int i = 0;
        for (; i < template.size(); i++) {
            RouteKey.Segment segment = template.get(i);
            if (segment.type() == RouteKey.Type.GREEDY) {
                if (i >= path.size()) {
                    return null;
                }
                parameters.put(segment.text(), String.join("/", path.subList(i, path.size())));
                for (int j = i; j < path.size(); j++) {
                    score[j] = 0;
                }
                i = path.size();
                break;
            }
            if (i >= path.size()) {
                return null;
            }
            String part = path.get(i);
            if (segment.type() == RouteKey.Type.LITERAL) {
                if (!segment.text().equals(part)) {
                    return null;
                }
                score[i] = 2;
            } else {
                if (part.isEmpty()) {
                    return null;
                }
                parameters.put(segment.text(), part);
                score[i] = 1;
            }
        }
        if (i != path.size() && !(template.isEmpty() && path.isEmpty())) {
            return null;
        }
        score[path.size()] = key.method().equals("ANY") ? 0 : 1;
        return score;
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }
}
