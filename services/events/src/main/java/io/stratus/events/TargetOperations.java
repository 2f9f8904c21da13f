package io.stratus.events;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.events.EventsModel.FailedTarget;
import io.stratus.events.EventsModel.ListRuleNamesByTargetRequest;
import io.stratus.events.EventsModel.ListRuleNamesByTargetResponse;
import io.stratus.events.EventsModel.ListTargetsByRuleRequest;
import io.stratus.events.EventsModel.ListTargetsByRuleResponse;
import io.stratus.events.EventsModel.PutTargetsRequest;
import io.stratus.events.EventsModel.RemoveTargetsRequest;
import io.stratus.events.EventsModel.RetryPolicy;
import io.stratus.events.EventsModel.Target;
import io.stratus.events.EventsModel.TargetsResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A rule's targets: put, remove, list, and the rules that target an ARN. Thread-safe. */
final class TargetOperations {

    /** AWS's quota of targets per rule. */
    static final int MAX_TARGETS = 5;
    /** The kinds of target Stratus delivers to. */
    private static final Set<String> SERVED = Set.of("sqs", "lambda", "sns", "events", "kinesis");

    private final EventStore store;

    TargetOperations(EventStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    TargetsResponse putTargets(RequestContext context, PutTargetsRequest request) {
        String ruleName = Names.rule(request.rule());
        String bus = Names.ownBus(context, request.eventBusName());
        List<Target> targets = request.targets();
        if (targets == null || targets.isEmpty()) {
            throw EventsErrors.constraint("targets", targets == null ? "null" : "[]", "Member must have length greater than or equal to 1");
        }
        if (targets.size() > 100) {
            throw EventsErrors.constraint("targets", "[...]", "Member must have length less than or equal to 100");
        }
        List<FailedTarget> failed = new ArrayList<>();
        List<Target> accepted = new ArrayList<>();
        for (Target target : targets) {
            validate(target);
            String problem = unsupported(target);
            if (problem != null) {
                failed.add(new FailedTarget(target.id(), "ValidationException", problem));
            } else {
                accepted.add(target);
            }
        }
        store.store().transaction(txn -> {
            Rule rule = EventStore.requireRule(txn, context.accountId(), context.region(), bus, ruleName);
            String ownBus = Bus.arn(context.accountId(), context.region(), bus).toString();
            for (Target target : accepted) {
                if (target.arn().equals(ownBus)) {
                    // Every event the rule matched would come back to it, without end.
                    throw EventsErrors.validation("Parameter %s is not valid. Reason: a rule cannot target the event bus it is on.", target.arn());
                }
            }
            Map<String, Target> byId = new LinkedHashMap<>();
            rule.targets().forEach(target -> byId.put(target.id(), target));
            accepted.forEach(target -> byId.put(target.id(), target));
            if (byId.size() > MAX_TARGETS) {
                throw AwsException.of(EventsErrors.LIMIT_EXCEEDED, "The requested resource exceeds the maximum number allowed.");
            }
            EventStore.putRule(txn, context.accountId(), context.region(), rule.withTargets(List.copyOf(byId.values())));
            return null;
        });
        return new TargetsResponse(failed.size(), failed);
    }

    private static void validate(Target target) {
        if (target == null || target.id() == null) {
            throw EventsErrors.constraint("targets.member.id", "null", "Member must not be null");
        }
        if (!Names.validTargetId(target.id())) {
            throw EventsErrors.constraint("targets.member.id", target.id(), "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
        }
        if (target.arn() == null) {
            throw EventsErrors.constraint("targets.member.arn", "null", "Member must not be null");
        }
        Arn arn;
        try {
            arn = Arn.parse(target.arn());
        } catch (IllegalArgumentException e) {
            throw EventsErrors.validation("Parameter %s is not valid. Reason: Provided Arn is not in correct format.", target.arn());
        }
        TargetInput.validate(target);
        if (EventRouting.isBus(arn) && (target.input() != null || target.inputPath() != null || target.inputTransformer() != null)) {
            throw EventsErrors.validation("Parameter(s) Input, InputPath, InputTransformer are not supported for target %s.", target.id());
        }
        if (arn.service().equals("sqs") && arn.resource().endsWith(".fifo")
                && (target.sqsParameters() == null || target.sqsParameters().messageGroupId() == null)) {
            throw EventsErrors.validation("Parameter(s) SqsParameters must be specified for target: %s.", target.id());
        }
        if (target.kinesisParameters() != null) {
            String path = target.kinesisParameters().partitionKeyPath();
            if (path == null) {
                throw EventsErrors.constraint("targets.member.kinesisParameters.partitionKeyPath", "null", "Member must not be null");
            }
            if (path.length() > 256 || !TargetInput.validPath(path)) {
                throw EventsErrors.validation("Parameter KinesisParameters.PartitionKeyPath is not valid for target %s.", target.id());
            }
        }
        if (arn.service().equals("kinesis") && target.roleArn() == null) {
            throw EventsErrors.validation("RoleArn is required for target %s.", target.id());
        }
        RetryPolicy retry = target.retryPolicy();
        if (retry != null) {
            Integer attempts = retry.maximumRetryAttempts();
            if (attempts != null && (attempts < 0 || attempts > 185)) {
                throw EventsErrors.constraint("targets.member.retryPolicy.maximumRetryAttempts", attempts,
                        attempts < 0 ? "Member must have value greater than or equal to 0" : "Member must have value less than or equal to 185");
            }
            Integer age = retry.maximumEventAgeInSeconds();
            if (age != null && (age < 60 || age > 86_400)) {
                throw EventsErrors.constraint("targets.member.retryPolicy.maximumEventAgeInSeconds", age,
                        age < 60 ? "Member must have value greater than or equal to 60" : "Member must have value less than or equal to 86400");
            }
        }
        if (target.deadLetterConfig() != null) {
            String dlq = target.deadLetterConfig().arn();
            boolean queue;
            try {
                queue = dlq != null && Arn.parse(dlq).service().equals("sqs");
            } catch (IllegalArgumentException e) {
                queue = false;
            }
            if (!queue) {
                throw EventsErrors.validation("Parameter DeadLetterConfig.Arn is not valid. Reason: %s is not an Amazon SQS queue ARN.", dlq);
            }
        }
    }

    /** Why Stratus cannot deliver to the target, or null when it can. */
    private static String unsupported(Target target) {
        Arn arn = Arn.parse(target.arn());
        if (!SERVED.contains(arn.service()) || (arn.service().equals("events") && !EventRouting.isBus(arn))) {
            return "Stratus cannot deliver to " + arn.service() + " targets yet: " + target.arn();
        }
        return null;
    }

    TargetsResponse removeTargets(RequestContext context, RemoveTargetsRequest request) {
        String ruleName = Names.rule(request.rule());
        String bus = Names.ownBus(context, request.eventBusName());
        List<String> ids = request.ids();
        if (ids == null || ids.isEmpty()) {
            throw EventsErrors.constraint("ids", ids == null ? "null" : "[]", "Member must have length greater than or equal to 1");
        }
        store.store().transaction(txn -> {
            Rule rule = EventStore.requireRule(txn, context.accountId(), context.region(), bus, ruleName);
            List<Target> kept = rule.targets().stream().filter(target -> !ids.contains(target.id())).toList();
            EventStore.putRule(txn, context.accountId(), context.region(), rule.withTargets(kept));
            return null;
        });
        return new TargetsResponse(0, List.of());
    }

    ListTargetsByRuleResponse listTargetsByRule(RequestContext context, ListTargetsByRuleRequest request) {
        String ruleName = Names.rule(request.rule());
        String bus = Names.ownBus(context, request.eventBusName());
        int limit = Names.limit(request.limit());
        Rule rule = EventStore.requireRule(store.store(), context.accountId(), context.region(), bus, ruleName);
        List<Target> sorted = rule.targets().stream().sorted(Comparator.comparing(Target::id)).toList();
        Names.Page<Target> page = Names.page(sorted, Target::id, request.nextToken(), limit);
        return new ListTargetsByRuleResponse(page.items(), page.nextToken());
    }

    ListRuleNamesByTargetResponse listRuleNamesByTarget(RequestContext context, ListRuleNamesByTargetRequest request) {
        if (request.targetArn() == null) {
            throw EventsErrors.constraint("targetArn", "null", "Member must not be null");
        }
        String bus = Names.ownBus(context, request.eventBusName());
        int limit = Names.limit(request.limit());
        EventStore.requireBus(store.store(), context.accountId(), context.region(), bus);
        List<String> names = EventStore.rules(store.store(), context.accountId(), context.region(), bus, null).stream()
                .filter(rule -> rule.targets().stream().anyMatch(target -> target.arn().equals(request.targetArn())))
                .map(Rule::name).toList();
        Names.Page<String> page = Names.page(names, name -> name, request.nextToken(), limit);
        return new ListRuleNamesByTargetResponse(page.items(), page.nextToken());
    }
}
