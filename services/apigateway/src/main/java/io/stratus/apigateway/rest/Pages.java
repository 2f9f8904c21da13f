package io.stratus.apigateway.rest;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.core.AwsException;
import java.util.List;
import java.util.function.Function;

/**
 * {@code position}/{@code limit} paging of API Gateway's list operations: the position is the id of
 * the first item of the next page. Stateless.
 */
final class Pages {

    static final int DEFAULT_LIMIT = 25;
    static final int MAX_LIMIT = 500;

    private Pages() {}

    record Page<T>(List<T> items, String position) {}

    static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d",
                    limit, MAX_LIMIT);
        }
        return limit;
    }

    /** One page of {@code items}, which are sorted by {@code id}. */
    static <T> Page<T> of(List<T> items, Function<T, String> id, String position, Integer limit) {
        int size = limit(limit);
        int start = 0;
        if (position != null && !position.isEmpty()) {
            while (start < items.size() && id.apply(items.get(start)).compareTo(position) < 0) {
                start++;
            }
        }
        int end = Math.min(items.size(), start + size);
        return new Page<>(List.copyOf(items.subList(start, end)), end < items.size() ? id.apply(items.get(end)) : null);
    }
}
