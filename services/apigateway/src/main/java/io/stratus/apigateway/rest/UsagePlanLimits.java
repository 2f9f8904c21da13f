package io.stratus.apigateway.rest;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.Patches.Patch;
import io.stratus.apigateway.rest.UsagePlanModel.ApiStage;
import io.stratus.apigateway.rest.UsagePlanModel.QuotaSettings;
import io.stratus.apigateway.rest.UsagePlanModel.ThrottleSettings;
import io.stratus.apigateway.rest.UsagePlanModel.UsagePlan;
import io.stratus.core.AwsException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The limits of usage plans: throttling (per plan and per method of a stage) and quotas, their
 * checks, their patch paths, and the calendar of quota periods (UTC days). Stateless.
 */
final class UsagePlanLimits {

    private static final Set<String> PERIODS = Set.of("DAY", "WEEK", "MONTH");
    private static final Set<String> METHODS = Set.of("ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "*");

    private UsagePlanLimits() {}

    static ThrottleSettings throttle(ThrottleSettings throttle) {
        if (throttle == null || (throttle.burstLimit() == null && throttle.rateLimit() == null)) {
            return null;
        }
        if (throttle.burstLimit() != null && throttle.burstLimit() < 0) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid throttle burst limit specified: %d. It must be 0 or more.", throttle.burstLimit());
        }
        if (throttle.rateLimit() != null && (throttle.rateLimit() < 0 || throttle.rateLimit().isNaN())) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid throttle rate limit specified: %s. It must be 0 or more.", throttle.rateLimit());
        }
        return throttle;
    }

    static QuotaSettings quota(QuotaSettings quota) {
        if (quota == null || (quota.limit() == null && quota.period() == null && quota.offset() == null)) {
            return null;
        }
        if (quota.limit() == null || quota.limit() <= 0) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid quota limit specified: %s. It must be greater than 0.", quota.limit());
        }
        if (quota.period() == null || !PERIODS.contains(quota.period())) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid quota period specified: %s. It must be one of [DAY, WEEK, MONTH].",
                    quota.period());
        }
        int offset = quota.offset() == null ? 0 : quota.offset();
        int max = switch (quota.period()) {
            case "DAY" -> 0;
            case "WEEK" -> 6;
            default -> 27;
        };
        if (offset < 0 || offset > max) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid quota offset specified: %d. For a %s period it must be from 0 to %d.",
                    offset, quota.period(), max);
        }
        return new QuotaSettings(quota.limit(), offset, quota.period());
    }

    /** A stage's per-method throttling, keyed {@code <resourcePath>/<httpMethod>} ({@code /pets/GET}, {@code * /*}). */
    static ApiStage stage(ApiStage stage) {
        if (stage.throttle() == null || stage.throttle().isEmpty()) {
            return stage.withThrottle(null);
        }
        Map<String, ThrottleSettings> methods = new LinkedHashMap<>();
        stage.throttle().forEach((path, settings) -> {
            methodPath(path);
            ThrottleSettings checked = throttle(settings);
            if (checked != null) {
                methods.put(path, checked);
            }
        });
        return stage.withThrottle(methods);
    }

    private static void methodPath(String path) {
        int slash = path == null ? -1 : path.lastIndexOf('/');
        boolean valid = slash > 0 && METHODS.contains(path.substring(slash + 1))
                && (path.substring(0, slash).equals("*") || path.startsWith("/"));
        if (!valid) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid method throttle path specified: %s. Use <resourcePath>/<httpMethod>, such as /pets/GET.",
                    path);
        }
    }

    /**
     * A patch of a plan's limits: {@code /throttle/burstLimit}, {@code /throttle/rateLimit},
     * {@code /quota/limit}, {@code /quota/offset}, {@code /quota/period} (remove {@code /throttle} or
     * {@code /quota} to drop them). The caller checks the limits once all patches are applied.
     */
    static UsagePlan patchLimits(UsagePlan plan, Patch patch) {
        boolean whole = patch.path().size() == 1;
        if (patch.first().equals("throttle")) {
            if (whole && patch.removes()) {
                return plan.withLimits(null, plan.quota());
            }
            ThrottleSettings t = plan.throttle() == null ? new ThrottleSettings(null, null) : plan.throttle();
            String member = whole ? "" : patch.path().get(1);
            ThrottleSettings patched = switch (member) {
                case "burstLimit" -> new ThrottleSettings(patch.removes() ? null : intValue(patch), t.rateLimit());
                case "rateLimit" -> new ThrottleSettings(t.burstLimit(), patch.removes() ? null : doubleValue(patch));
                default -> throw Patches.invalidPath(patch, "/throttle/burstLimit", "/throttle/rateLimit");
            };
            return plan.withLimits(patched, plan.quota());
        }
        if (whole && patch.removes()) {
            return plan.withLimits(plan.throttle(), null);
        }
        QuotaSettings q = plan.quota() == null ? new QuotaSettings(null, null, null) : plan.quota();
        String member = whole ? "" : patch.path().get(1);
        QuotaSettings patched = switch (member) {
            case "limit" -> new QuotaSettings(intValue(patch), q.offset(), q.period());
            case "offset" -> new QuotaSettings(q.limit(), intValue(patch), q.period());
            case "period" -> new QuotaSettings(q.limit(), q.offset(), Patches.value(patch));
            default -> throw Patches.invalidPath(patch, "/quota/limit", "/quota/offset", "/quota/period");
        };
        return plan.withLimits(plan.throttle(), patched);
    }

    /**
     * A patch of one stage's method throttling:
     * {@code /apiStages/<apiId>:<stage>/throttle/<resourcePath>/<httpMethod>[/burstLimit|/rateLimit]}
     * (the resource path's slashes written {@code ~1}).
     */
    static List<ApiStage> patchStageThrottle(List<ApiStage> stages, Patch patch) {
        List<String> path = patch.path();
        if (path.size() < 5 || !path.get(2).equals("throttle")) {
            throw Patches.invalidPath(patch, "/apiStages/<apiId>:<stage>/throttle/<resourcePath>/<httpMethod>/(burstLimit|rateLimit)");
        }
        List<ApiStage> updated = new ArrayList<>();
        boolean found = false;
        for (ApiStage stage : stages) {
            if (!(stage.apiId() + ":" + stage.stage()).equals(path.get(1))) {
                updated.add(stage);
                continue;
            }
            found = true;
            String methodPath = path.get(3) + "/" + path.get(4);
            methodPath(methodPath);
            Map<String, ThrottleSettings> methods = new LinkedHashMap<>(stage.throttle() == null ? Map.of() : stage.throttle());
            if (path.size() == 5 && patch.removes()) {
                methods.remove(methodPath);
            } else if (path.size() == 6) {
                ThrottleSettings t = methods.getOrDefault(methodPath, new ThrottleSettings(null, null));
                ThrottleSettings patched = switch (path.get(5)) {
                    case "burstLimit" -> new ThrottleSettings(patch.removes() ? null : intValue(patch), t.rateLimit());
                    case "rateLimit" -> new ThrottleSettings(t.burstLimit(), patch.removes() ? null : doubleValue(patch));
                    default -> throw Patches.invalidPath(patch, "/apiStages/<apiId>:<stage>/throttle/<resourcePath>/<httpMethod>/(burstLimit|rateLimit)");
                };
                ThrottleSettings checked = throttle(patched);
                if (checked == null) {
                    methods.remove(methodPath);
                } else {
                    methods.put(methodPath, checked);
                }
            } else {
                throw Patches.invalidPath(patch, "/apiStages/<apiId>:<stage>/throttle/<resourcePath>/<httpMethod>/(burstLimit|rateLimit)");
            }
            updated.add(stage.withThrottle(methods));
        }
        if (!found) {
            throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid API stage specified: %s. The usage plan does not include it.", path.get(1));
        }
        return updated;
    }

    private static int intValue(Patch patch) {
        try {
            return Integer.parseInt(Patches.value(patch));
        } catch (NumberFormatException e) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid number '%s' for patch path /%s", patch.value(), String.join("/", patch.path()));
        }
    }

    private static double doubleValue(Patch patch) {
        try {
            return Double.parseDouble(Patches.value(patch));
        } catch (NumberFormatException e) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid number '%s' for patch path /%s", patch.value(), String.join("/", patch.path()));
        }
    }

    /** The first day (UTC) of the quota period {@code day} falls in. */
    static LocalDate periodStart(QuotaSettings quota, LocalDate day) {
        int offset = quota.offset() == null ? 0 : quota.offset();
        return switch (quota.period()) {
            case "WEEK" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY.plus(offset)));
            case "MONTH" -> {
                LocalDate start = day.withDayOfMonth(1 + offset);
                yield start.isAfter(day) ? start.minusMonths(1) : start;
            }
            default -> day;
        };
    }
}
