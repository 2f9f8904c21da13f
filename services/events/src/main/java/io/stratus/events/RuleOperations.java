package io.stratus.events;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.events.EventsModel.DeleteRuleRequest;
import io.stratus.events.EventsModel.DescribeRuleResponse;
import io.stratus.events.EventsModel.Empty;
import io.stratus.events.EventsModel.ListRulesRequest;
import io.stratus.events.EventsModel.ListRulesResponse;
import io.stratus.events.EventsModel.PutRuleRequest;
import io.stratus.events.EventsModel.PutRuleResponse;
import io.stratus.events.EventsModel.RuleEntry;
import io.stratus.events.EventsModel.RuleRequest;
import io.stratus.storage.Transaction;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Rules: put (create or replace), describe, delete, list, enable and disable. Thread-safe. */
final class RuleOperations {

    /** AWS's quota of rules per event bus. */
    static final int MAX_RULES = 300;
    private static final Set<String> STATES = Set.of("ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");

    private final EventStore store;
    private final Clock clock;

    RuleOperations(EventStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    PutRuleResponse putRule(RequestContext context, PutRuleRequest request) {
        String name = Names.rule(request.name());
        String bus = Names.ownBus(context, request.eventBusName());
        String pattern = request.eventPattern();
        String scheduleExpression = request.scheduleExpression();
        if (pattern == null && scheduleExpression == null) {
            throw EventsErrors.validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }
        if (pattern != null) {
            EventPatterns.validate(pattern);
        }
        Schedule schedule = null;
        if (scheduleExpression != null) {
            if (!bus.equals(Bus.DEFAULT)) {
                throw EventsErrors.validation("ScheduleExpression is supported only on the default event bus.");
            }
            schedule = Schedule.parse(scheduleExpression);
        }
        String state = request.state() == null ? Rule.ENABLED : request.state();
        if (!STATES.contains(state)) {
            throw EventsErrors.constraint("state", state, "Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]");
        }
        if (request.description() != null && request.description().length() > 512) {
            throw EventsErrors.constraint("description", request.description(), "Member must have length less than or equal to 512");
        }
        Map<String, String> tags = Names.tags(request.tags());
        Instant now = clock.instant();
        Instant next = schedule == null ? null : schedule.next(now);
        store.store().transaction(txn -> {
            EventStore.requireBus(txn, context.accountId(), context.region(), bus);
            Rule existing = EventStore.rule(txn, context.accountId(), context.region(), bus, name).orElse(null);
            if (existing == null && EventStore.rules(txn, context.accountId(), context.region(), bus, null).size() >= MAX_RULES) {
                throw AwsException.of(EventsErrors.LIMIT_EXCEEDED, "The requested resource exceeds the maximum number allowed.");
            }
            Map<String, String> allTags = new java.util.LinkedHashMap<>(existing == null ? Map.of() : existing.tags());
            allTags.putAll(tags);
            Rule rule = new Rule(name, bus, pattern, scheduleExpression, state, request.description(), request.roleArn(), context.accountId(),
                    allTags, existing == null ? List.of() : existing.targets());
            EventStore.putRule(txn, context.accountId(), context.region(), rule);
            byte[] scheduleKey = EventStore.scheduleKey(context.accountId(), context.region(), name);
            boolean sameSchedule = existing != null && scheduleExpression != null && scheduleExpression.equals(existing.scheduleExpression());
            if (next != null && !sameSchedule) {
                txn.put(EventStore.SCHEDULES, scheduleKey, Long.toString(next.toEpochMilli()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else if (next == null) {
                txn.delete(EventStore.SCHEDULES, scheduleKey);
            }
            return null;
        });
        return new PutRuleResponse(Rule.arn(context.accountId(), context.region(), bus, name).toString());
    }

    DescribeRuleResponse describeRule(RequestContext context, RuleRequest request) {
        String name = Names.rule(request.name());
        String bus = Names.ownBus(context, request.eventBusName());
        Rule rule = EventStore.requireRule(store.store(), context.accountId(), context.region(), bus, name);
        return new DescribeRuleResponse(rule.name(), Rule.arn(context.accountId(), context.region(), bus, name).toString(), rule.eventPattern(),
                rule.scheduleExpression(), rule.state(), rule.description(), rule.roleArn(), null, bus, rule.createdBy());
    }

    Empty deleteRule(RequestContext context, DeleteRuleRequest request) {
        String name = Names.rule(request.name());
        String bus = Names.ownBus(context, request.eventBusName());
        store.store().transaction(txn -> {
            Rule rule = EventStore.rule(txn, context.accountId(), context.region(), bus, name).orElse(null);
            if (rule == null) {
                return null; // deleting a rule that is not there succeeds, as on AWS
            }
            if (!rule.targets().isEmpty()) {
                throw EventsErrors.validation("Rule can't be deleted since it has targets.");
            }
            txn.delete(EventStore.RULES, EventStore.ruleKey(context.accountId(), context.region(), bus, name));
            if (rule.scheduleExpression() != null) {
                txn.delete(EventStore.SCHEDULES, EventStore.scheduleKey(context.accountId(), context.region(), name));
            }
            return null;
        });
        return new Empty();
    }

    ListRulesResponse listRules(RequestContext context, ListRulesRequest request) {
        String bus = Names.ownBus(context, request.eventBusName());
        int limit = Names.limit(request.limit());
        EventStore.requireBus(store.store(), context.accountId(), context.region(), bus);
        List<Rule> rules = EventStore.rules(store.store(), context.accountId(), context.region(), bus, request.namePrefix());
        Names.Page<Rule> page = Names.page(rules, Rule::name, request.nextToken(), limit);
        return new ListRulesResponse(page.items().stream().map(rule -> new RuleEntry(rule.name(),
                Rule.arn(context.accountId(), context.region(), bus, rule.name()).toString(), rule.eventPattern(), rule.state(),
                rule.description(), rule.scheduleExpression(), rule.roleArn(), null, bus)).toList(), page.nextToken());
    }

    Empty enableRule(RequestContext context, RuleRequest request) {
        setState(context, request, Rule.ENABLED);
        return new Empty();
    }

    Empty disableRule(RequestContext context, RuleRequest request) {
        setState(context, request, Rule.DISABLED);
        return new Empty();
    }

    private void setState(RequestContext context, RuleRequest request, String state) {
        String name = Names.rule(request.name());
        String bus = Names.ownBus(context, request.eventBusName());
        store.store().transaction(txn -> {
            Rule rule = EventStore.requireRule(txn, context.accountId(), context.region(), bus, name);
            EventStore.putRule(txn, context.accountId(), context.region(), rule.withState(state));
            return null;
        });
    }

    /** Replaces {@code rule} in {@code txn}; used by the target and tag operations. */
    static void update(Transaction txn, String account, String region, Rule rule) {
        EventStore.putRule(txn, account, region, rule);
    }
}
