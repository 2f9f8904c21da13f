package io.stratus.logs;

import static io.stratus.logs.LogsModel.DeleteQueryDefinitionRequest;
import static io.stratus.logs.LogsModel.DeleteQueryDefinitionResponse;
import static io.stratus.logs.LogsModel.DescribeQueryDefinitionsRequest;
import static io.stratus.logs.LogsModel.DescribeQueryDefinitionsResponse;
import static io.stratus.logs.LogsModel.PutQueryDefinitionRequest;
import static io.stratus.logs.LogsModel.PutQueryDefinitionResponse;
import static io.stratus.logs.LogsModel.QueryDefinition;
import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Saved Logs Insights queries: PutQueryDefinition (create, or replace by id), DescribeQueryDefinitions
 * and DeleteQueryDefinition, one store key per definition. Thread-safe.
 */
final class QueryDefinitionOperations {

    static final String DEFINITIONS = "logs.query-definitions";
    private static final int MAX_NAME = 255;
    private static final int MAX_QUERY_LENGTH = 10_000;

    /** A definition as kept, with the client token that created it (a retried create answers the same id). */
    record StoredDefinition(String queryDefinitionId, String name, String queryString, long lastModified, List<String> logGroupNames,
            String clientToken) {}

    private final LogStore logs;
    private final Clock clock;

    QueryDefinitionOperations(LogStore logs, Clock clock) {
        this.logs = requireNonNull(logs, "logs is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    PutQueryDefinitionResponse putQueryDefinition(RequestContext context, PutQueryDefinitionRequest request) {
        QueryOperations.requireInsightsLanguage(request.queryLanguage());
        String name = Names.required("name", request.name());
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw LogsErrors.constraint("name", name, "Member must have length between 1 and " + MAX_NAME);
        }
        String query = Names.required("queryString", request.queryString());
        if (query.isEmpty() || query.length() > MAX_QUERY_LENGTH) {
            throw LogsErrors.constraint("queryString", "...", "Member must have length between 1 and " + MAX_QUERY_LENGTH);
        }
        List<String> groups = new ArrayList<>();
        if (request.logGroupNames() != null) {
            request.logGroupNames().forEach(group -> groups.add(Names.requireGroupName("logGroupNames", group)));
        }
        return logs.store().transaction(txn -> {
            String id = request.queryDefinitionId();
            if (id != null) {
                if (txn.get(DEFINITIONS, key(context, id)) == null) {
                    throw AwsException.of(LogsErrors.RESOURCE_NOT_FOUND, "The specified query definition does not exist.");
                }
            } else {
                StoredDefinition retried = request.clientToken() == null ? null : byToken(context, request.clientToken());
                if (retried != null) {
                    return new PutQueryDefinitionResponse(retried.queryDefinitionId());
                }
                id = UUID.randomUUID().toString();
            }
            StoredDefinition definition = new StoredDefinition(id, name, query, clock.millis(), List.copyOf(groups), request.clientToken());
            txn.put(DEFINITIONS, key(context, id), LogStore.write(definition));
            return new PutQueryDefinitionResponse(id);
        });
    }

    DescribeQueryDefinitionsResponse describeQueryDefinitions(RequestContext context, DescribeQueryDefinitionsRequest request) {
        QueryOperations.requireInsightsLanguage(request.queryLanguage());
        String prefix = request.queryDefinitionNamePrefix() == null ? "" : request.queryDefinitionNamePrefix();
        int max = Names.limit("maxResults", request.maxResults(), 1000, 1000);
        int offset = Names.pageOffset(request.nextToken());
        List<StoredDefinition> found = new ArrayList<>(all(context));
        found.removeIf(definition -> !definition.name().startsWith(prefix));
        found.sort(Comparator.comparing(StoredDefinition::name).thenComparing(StoredDefinition::queryDefinitionId));
        List<QueryDefinition> page = found.stream().skip(offset).limit(max)
                .map(definition -> new QueryDefinition("CWLI", definition.queryDefinitionId(), definition.name(), definition.queryString(),
                        definition.lastModified(), definition.logGroupNames()))
                .toList();
        String nextToken = Names.nextPage((long) offset + max, found.size());
        return new DescribeQueryDefinitionsResponse(page, nextToken);
    }

    DeleteQueryDefinitionResponse deleteQueryDefinition(RequestContext context, DeleteQueryDefinitionRequest request) {
        String id = Names.required("queryDefinitionId", request.queryDefinitionId());
        logs.store().transaction(txn -> {
            if (txn.get(DEFINITIONS, key(context, id)) == null) {
                throw AwsException.of(LogsErrors.RESOURCE_NOT_FOUND, "The specified query definition does not exist.");
            }
            txn.delete(DEFINITIONS, key(context, id));
            return null;
        });
        return new DeleteQueryDefinitionResponse(true);
    }

    private StoredDefinition byToken(RequestContext context, String token) {
        return all(context).stream().filter(definition -> token.equals(definition.clientToken())).findFirst().orElse(null);
    }

    private List<StoredDefinition> all(RequestContext context) {
        List<StoredDefinition> definitions = new ArrayList<>();
        try (Scan scan = logs.store().scan(DEFINITIONS, KeyRange.prefix(Key.builder().add(context.accountId()).add(context.region()).build()))) {
            while (scan.hasNext()) {
                definitions.add(LogStore.read(scan.next().value(), StoredDefinition.class));
            }
        }
        return definitions;
    }

    private static byte[] key(RequestContext context, String id) {
        return Key.builder().add(context.accountId()).add(context.region()).add(id).build();
    }
}
