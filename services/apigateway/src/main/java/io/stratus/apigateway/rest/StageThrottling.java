package io.stratus.apigateway.rest;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.Patches.Patch;
import io.stratus.apigateway.rest.UsagePlanModel.ThrottleSettings;
import io.stratus.core.AwsException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A stage's throttling method settings: {@code methodSettings} keyed {@code * /*} (every method) or
 * {@code <resourcePath with ~1 for />/<httpMethod>}, each with {@code throttlingBurstLimit} and
 * {@code throttlingRateLimit}, set by UpdateStage on
 * {@code /<resourcePath>/<httpMethod>/throttling/(burstLimit|rateLimit)}. They limit all calls to
 * the stage, with or without an API key. Stateless.
 */
final class StageThrottling {

    private static final Set<String> METHODS = Set.of("ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "*");

    private StageThrottling() {}

    static Map<String, Object> patch(Map<String, Object> methodSettings, Patch patch) {
        String resourcePath = patch.path().get(0);
        String method = patch.path().get(1);
        if (!METHODS.contains(method) || !(resourcePath.equals("*") || resourcePath.startsWith("/"))) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid method setting path: /%s. Use /<resourcePath>/<httpMethod>/throttling/…"
                    + " with the resource path's slashes written ~1, or /*/*/throttling/….", String.join("/", patch.path()));
        }
        String member = switch (patch.path().get(3)) {
            case "burstLimit" -> "throttlingBurstLimit";
            case "rateLimit" -> "throttlingRateLimit";
            default -> throw Patches.invalidPath(patch, "/<resourcePath>/<httpMethod>/throttling/burstLimit",
                    "/<resourcePath>/<httpMethod>/throttling/rateLimit");
        };
        String key = resourcePath.replace("~", "~0").replace("/", "~1") + "/" + method;
        Map<String, Object> settings = new LinkedHashMap<>(methodSettings == null ? Map.of() : methodSettings);
        Map<String, Object> setting = new LinkedHashMap<>();
        if (settings.get(key) instanceof Map<?, ?> current) {
            current.forEach((name, value) -> setting.put(name.toString(), value));
        }
        if (patch.removes()) {
            setting.remove(member);
        } else {
            double value;
            try {
                value = Double.parseDouble(Patches.value(patch));
            } catch (NumberFormatException e) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid number '%s' for patch path /%s", patch.value(), String.join("/", patch.path()));
            }
            if (value < 0) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid %s: %s. It must be 0 or more.", member, patch.value());
            }
            setting.put(member, member.equals("throttlingBurstLimit") ? (Object) (int) value : (Object) value);
        }
        if (setting.isEmpty()) {
            settings.remove(key);
        } else {
            settings.put(key, setting);
        }
        return settings;
    }

    /**
     * The stage's limits for a call to {@code resourcePath}'s {@code httpMethod} (the method's own
     * setting, else {@code * /*}) and the key of the bucket they fill; null when the stage sets none.
     */
    static Map.Entry<String, ThrottleSettings> limits(Map<String, Object> methodSettings, String resourcePath, String httpMethod) {
        if (methodSettings == null || methodSettings.isEmpty()) {
            return null;
        }
        String key = resourcePath.replace("~", "~0").replace("/", "~1") + "/" + httpMethod;
        for (String candidate : new String[] {key, "*/*"}) {
            if (methodSettings.get(candidate) instanceof Map<?, ?> setting
                    && (setting.get("throttlingBurstLimit") != null || setting.get("throttlingRateLimit") != null)) {
                Integer burst = setting.get("throttlingBurstLimit") instanceof Number n ? n.intValue() : null;
                Double rate = setting.get("throttlingRateLimit") instanceof Number n ? n.doubleValue() : null;
                return Map.entry(candidate, new ThrottleSettings(burst, rate));
            }
        }
        return null;
    }
}
