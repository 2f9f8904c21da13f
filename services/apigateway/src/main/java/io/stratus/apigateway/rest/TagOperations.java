package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.RestApiModel.RestApi;
import io.stratus.apigateway.rest.RestApiModel.Stage;
import io.stratus.apigateway.rest.RestApiStore.ApiKey;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.storage.StoreReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TagResource, UntagResource and GetTags for REST APIs ({@code arn:aws:apigateway:<region>::/restapis/<id>})
 * and their stages ({@code …/restapis/<id>/stages/<name>}); other taggable resources are not
 * supported yet. Tags live on the API's and stage's own records. Thread-safe.
 */
final class TagOperations {

    record TagResourceRequest(@HttpLabel("resource_arn") String resourceArn, Map<String, String> tags) {}

    record UntagResourceRequest(@HttpLabel("resource_arn") String resourceArn, @HttpQuery("tagKeys") List<String> tagKeys) {}

    record GetTagsRequest(@HttpLabel("resource_arn") String resourceArn, @HttpQuery("position") String position,
            @HttpQuery("limit") Integer limit) {}

    record Tags(Map<String, String> tags) {}

    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/restapis/([^/]+)(?:/stages/([^/]+))?");
    private static final int MAX_TAGS = 50;

    private final RestApiStore store;

    TagOperations(RestApiStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    RestApiRequests.Empty tagResource(RequestContext context, TagResourceRequest request) {
        Map<String, String> added = request.tags() == null ? Map.of() : request.tags();
        added.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > 128 || key.startsWith("aws:")) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid tag key: %s", key);
            }
            if (value == null || value.length() > 256) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid tag value for key %s", key);
            }
        });
        change(context, request.resourceArn(), tags -> {
            Map<String, String> updated = new LinkedHashMap<>(tags);
            updated.putAll(added);
            if (updated.size() > MAX_TAGS) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "A resource can have at most %d tags", MAX_TAGS);
            }
            return updated;
        });
        return new RestApiRequests.Empty();
    }

    RestApiRequests.Empty untagResource(RequestContext context, UntagResourceRequest request) {
        List<String> keys = request.tagKeys() == null ? List.of() : request.tagKeys();
        change(context, request.resourceArn(), tags -> {
            Map<String, String> updated = new LinkedHashMap<>(tags);
            keys.forEach(updated::remove);
            return updated;
        });
        return new RestApiRequests.Empty();
    }

    Tags getTags(RequestContext context, GetTagsRequest request) {
        Target target = target(context, request.resourceArn());
        StoreReader reader = store.reader();
        RestApi api = RestApiOperations.api(reader, target.key());
        if (target.stage() == null) {
            return new Tags(api.tags() == null ? Map.of() : api.tags());
        }
        Stage stage = stage(reader, target);
        return new Tags(stage.tags() == null ? Map.of() : stage.tags());
    }

    private record Target(ApiKey key, String stage) {}

    private static Target target(RequestContext context, String arn) {
        Matcher matcher = arn == null ? null : ARN.matcher(arn);
        if (matcher == null || !matcher.matches()) {
            throw AwsException.of(ApiGatewayErrors.NOT_IMPLEMENTED,
                    "Tagging %s is not supported by Stratus yet: it tags REST APIs (arn:aws:apigateway:<region>::/restapis/<id>) and their stages.", arn);
        }
        if (!matcher.group(1).equals(context.region())) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "The resource %s is not in this region (%s)", arn, context.region());
        }
        return new Target(new ApiKey(context.accountId(), context.region(), matcher.group(2)), matcher.group(3));
    }

    private void change(RequestContext context, String arn, UnaryOperator<Map<String, String>> change) {
        Target target = target(context, arn);
        store.transaction(txn -> {
            RestApi api = RestApiOperations.api(txn, target.key());
            if (target.stage() == null) {
                Map<String, String> tags = change.apply(api.tags() == null ? Map.of() : api.tags());
                RestApiStore.putApi(txn, target.key(), new RestApi(api.id(), api.name(), api.description(), api.createdDate(), api.version(),
                        api.binaryMediaTypes(), api.apiKeySource(), api.endpointConfiguration(), tags.isEmpty() ? null : tags,
                        api.disableExecuteApiEndpoint(), api.rootResourceId()));
            } else {
                Stage s = stage(txn, target);
                Map<String, String> tags = change.apply(s.tags() == null ? Map.of() : s.tags());
                RestApiStore.putStage(txn, target.key(), new Stage(s.deploymentId(), s.clientCertificateId(), s.stageName(), s.description(),
                        s.cacheClusterEnabled(), s.cacheClusterStatus(), s.methodSettings(), s.variables(), s.tracingEnabled(),
                        tags.isEmpty() ? null : tags, s.createdDate(), s.lastUpdatedDate()));
            }
            return null;
        });
    }

    private static Stage stage(StoreReader reader, Target target) {
        return RestApiStore.stage(reader, target.key(), target.stage()).orElseThrow(() ->
                AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Stage identifier specified"));
    }
}
