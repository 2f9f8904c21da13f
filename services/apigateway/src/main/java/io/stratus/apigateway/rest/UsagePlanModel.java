package io.stratus.apigateway.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.apigateway.rest.RestApiModel.PatchOperation;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpQuery;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** API keys, usage plans and their keys, as API Gateway names them on the wire; the store keeps the same records. */
final class UsagePlanModel {

    private UsagePlanModel() {}

    record ApiKey(
            String id,
            String value,
            String name,
            String customerId,
            String description,
            Boolean enabled,
            Instant createdDate,
            Instant lastUpdatedDate,
            List<String> stageKeys,
            Map<String, String> tags) {

        /** The key as lists show it unless asked to include values. */
        ApiKey withoutValue() {
            return new ApiKey(id, null, name, customerId, description, enabled, createdDate, lastUpdatedDate, stageKeys, tags);
        }
    }

    /** Requests per second ({@code rateLimit}) and the bucket they refill ({@code burstLimit}). */
    record ThrottleSettings(Integer burstLimit, Double rateLimit) {}

    /** At most {@code limit} requests per {@code period} (DAY, WEEK, MONTH), the period starting {@code offset} days in. */
    record QuotaSettings(Integer limit, Integer offset, String period) {}

    /** A stage of an API in a plan; {@code throttle} holds limits per method, keyed {@code <resourcePath>/<httpMethod>}. */
    record ApiStage(String apiId, String stage, Map<String, ThrottleSettings> throttle) {

        ApiStage withThrottle(Map<String, ThrottleSettings> methods) {
            return new ApiStage(apiId, stage, methods == null || methods.isEmpty() ? null : Map.copyOf(methods));
        }
    }

    record UsagePlan(String id, String name, String description, List<ApiStage> apiStages, ThrottleSettings throttle, QuotaSettings quota,
            Map<String, String> tags, List<String> keyIds) {

        /** The plan as AWS shows it: its keys are a sub-resource, not a member. */
        UsagePlan shown() {
            return new UsagePlan(id, name, description, apiStages, throttle, quota, tags, null);
        }

        UsagePlan withStages(List<ApiStage> stages) {
            return new UsagePlan(id, name, description, stages, throttle, quota, tags, keyIds);
        }

        UsagePlan withLimits(ThrottleSettings newThrottle, QuotaSettings newQuota) {
            return new UsagePlan(id, name, description, apiStages, newThrottle, newQuota, tags, keyIds);
        }

        List<String> keys() {
            return keyIds == null ? List.of() : keyIds;
        }
    }

    record UsagePlanKey(String id, String type, String value, String name) {}

    // Requests and list outputs

    record CreateApiKeyRequest(
            String name,
            String description,
            Boolean enabled,
            Boolean generateDistinctId,
            String value,
            List<JsonNode> stageKeys,
            String customerId,
            Map<String, String> tags) {}

    record ApiKeyRequest(@HttpLabel("api_Key") String apiKey, @HttpQuery("includeValue") Boolean includeValue) {}

    record GetApiKeysRequest(@HttpQuery("position") String position, @HttpQuery("limit") Integer limit, @HttpQuery("name") String nameQuery,
            @HttpQuery("customerId") String customerId, @HttpQuery("includeValues") Boolean includeValues) {}

    record ApiKeys(String position, @JsonProperty("item") List<ApiKey> items, List<String> warnings) {}

    record UpdateApiKeyRequest(@HttpLabel("api_Key") String apiKey, List<PatchOperation> patchOperations) {}

    record CreateUsagePlanRequest(String name, String description, List<ApiStage> apiStages, ThrottleSettings throttle, QuotaSettings quota,
            Map<String, String> tags) {}

    record UsagePlanRequest(@HttpLabel("usageplanId") String usagePlanId) {}

    record GetUsagePlansRequest(@HttpQuery("position") String position, @HttpQuery("keyId") String keyId, @HttpQuery("limit") Integer limit) {}

    record UsagePlans(String position, @JsonProperty("item") List<UsagePlan> items) {}

    record UpdateUsagePlanRequest(@HttpLabel("usageplanId") String usagePlanId, List<PatchOperation> patchOperations) {}

    record CreateUsagePlanKeyRequest(@HttpLabel("usageplanId") String usagePlanId, String keyId, String keyType) {}

    record UsagePlanKeyRequest(@HttpLabel("usageplanId") String usagePlanId, @HttpLabel("keyId") String keyId) {}

    record GetUsagePlanKeysRequest(@HttpLabel("usageplanId") String usagePlanId, @HttpQuery("position") String position,
            @HttpQuery("limit") Integer limit, @HttpQuery("name") String nameQuery) {}

    record UsagePlanKeys(String position, @JsonProperty("item") List<UsagePlanKey> items) {}

    record GetUsageRequest(@HttpLabel("usageplanId") String usagePlanId, @HttpQuery("keyId") String keyId,
            @HttpQuery("startDate") String startDate, @HttpQuery("endDate") String endDate, @HttpQuery("position") String position,
            @HttpQuery("limit") Integer limit) {}

    record UpdateUsageRequest(@HttpLabel("usageplanId") String usagePlanId, @HttpLabel("keyId") String keyId,
            List<PatchOperation> patchOperations) {}

    /** Per key, one {@code [used, remaining]} pair per day from {@code startDate} to {@code endDate}. */
    record Usage(String usagePlanId, String startDate, String endDate, String position, @JsonProperty("values") Map<String, List<List<Long>>> items) {}
}
