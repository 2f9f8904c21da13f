package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.Patches.Patch;
import io.stratus.apigateway.rest.UsagePlanModel.GetUsageRequest;
import io.stratus.apigateway.rest.UsagePlanModel.UpdateUsageRequest;
import io.stratus.apigateway.rest.UsagePlanModel.Usage;
import io.stratus.apigateway.rest.UsagePlanModel.UsagePlan;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.storage.StoreReader;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GetUsage and UpdateUsage: the calls each key of a usage plan made per UTC day, with what its
 * quota left, and extensions of a key's quota for the current period. Thread-safe.
 */
final class UsageOperations {

    private static final int MAX_DAYS = 90;

    private final UsagePlanStore store;
    private final UsageMeter meter;
    private final Clock clock;

    UsageOperations(UsagePlanStore store, UsageMeter meter, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.meter = requireNonNull(meter, "meter is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    Usage getUsage(RequestContext context, GetUsageRequest request) {
        LocalDate start = date("start", request.startDate());
        LocalDate end = date("end", request.endDate());
        if (end.isBefore(start)) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "The end date must not be before the start date");
        }
        if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "The usage data period cannot be more than %d days", MAX_DAYS);
        }
        StoreReader reader = store.reader();
        UsagePlan plan = plan(reader, context, request.usagePlanId());
        List<String> keys = plan.keys().stream().sorted().toList();
        if (request.keyId() != null && !request.keyId().isEmpty()) {
            if (!plan.keys().contains(request.keyId())) {
                throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Usage Plan Key identifier specified");
            }
            keys = List.of(request.keyId());
        }
        Pages.Page<String> page = Pages.of(keys, id -> id, request.position(), request.limit());
        Map<String, List<List<Long>>> items = new LinkedHashMap<>();
        for (String keyId : page.items()) {
            items.put(keyId, days(reader, context, plan, keyId, start, end));
        }
        return new Usage(plan.id(), start.toString(), end.toString(), page.position(), items);
    }

    /** {@code [used, remaining]} for each day; without a quota nothing is remaining to count down, so 0. */
    private static List<List<Long>> days(StoreReader reader, RequestContext context, UsagePlan plan, String keyId, LocalDate start, LocalDate end) {
        Map<LocalDate, Long> used = UsageMeter.daily(reader, context.accountId(), context.region(), plan.id(), keyId, start, end);
        List<List<Long>> days = new ArrayList<>();
        for (LocalDate day = start; !day.isAfter(end); day = day.plusDays(1)) {
            long count = used.getOrDefault(day, 0L);
            long remaining = 0;
            if (plan.quota() != null) {
                LocalDate periodStart = UsagePlanLimits.periodStart(plan.quota(), day);
                long inPeriod = UsageMeter.used(reader, context.accountId(), context.region(), plan.id(), keyId, periodStart, day)
                        - UsageMeter.adjustment(reader, context.accountId(), context.region(), plan.id(), keyId, periodStart);
                remaining = Math.max(0, plan.quota().limit() - inPeriod);
            }
            days.add(List.of(count, remaining));
        }
        return days;
    }

    /** {@code replace /remaining}: the key may make that many more calls in the current period. */
    Usage updateUsage(RequestContext context, UpdateUsageRequest request) {
        List<Patch> patches = Patches.parse(request.patchOperations());
        UsagePlan plan = plan(store.reader(), context, request.usagePlanId());
        if (request.keyId() == null || !plan.keys().contains(request.keyId())) {
            throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Usage Plan Key identifier specified");
        }
        if (plan.quota() == null) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Usage plan %s has no quota to extend", plan.id());
        }
        for (Patch patch : patches) {
            if (!patch.op().equals("replace") || !patch.first().equals("remaining") || patch.path().size() != 1) {
                throw Patches.invalidPath(patch, "/remaining (replace)");
            }
            long remaining;
            try {
                remaining = Long.parseLong(Patches.value(patch));
            } catch (NumberFormatException e) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid number '%s' for patch path /remaining", patch.value());
            }
            if (remaining < 0) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid number '%s' for patch path /remaining", patch.value());
            }
            meter.setRemaining(context.accountId(), context.region(), plan, request.keyId(), remaining);
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate start = UsagePlanLimits.periodStart(plan.quota(), today);
        return new Usage(plan.id(), start.toString(), today.toString(), null,
                Map.of(request.keyId(), days(store.reader(), context, plan, request.keyId(), start, today)));
    }

    private static LocalDate date(String which, String value) {
        if (value == null || value.isEmpty()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "The %s date is required (yyyy-MM-dd)", which);
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid %s date specified: %s. Use yyyy-MM-dd.", which, value);
        }
    }

    private static UsagePlan plan(StoreReader reader, RequestContext context, String planId) {
        return UsagePlanStore.usagePlan(reader, context.accountId(), context.region(), planId == null ? "" : planId).orElseThrow(() ->
                AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Usage Plan ID specified"));
    }
}
