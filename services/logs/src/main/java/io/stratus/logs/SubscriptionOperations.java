package io.stratus.logs;

import static io.stratus.logs.LogsModel.DeleteSubscriptionFilterRequest;
import static io.stratus.logs.LogsModel.DescribeSubscriptionFiltersRequest;
import static io.stratus.logs.LogsModel.DescribeSubscriptionFiltersResponse;
import static io.stratus.logs.LogsModel.Empty;
import static io.stratus.logs.LogsModel.PutSubscriptionFilterRequest;
import static io.stratus.logs.LogsModel.SubscriptionFilterDescription;
import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.Targets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * PutSubscriptionFilter, DescribeSubscriptionFilters and DeleteSubscriptionFilter: at most
 * {@value #MAX_FILTERS} filters per log group, each sending what its pattern matches to a Lambda
 * function of the group's account and region that lets CloudWatch Logs invoke it, or to a Kinesis
 * stream there (see {@link SubscriptionDeliveries}). Firehose and cross-account destinations are
 * refused as unsupported. Thread-safe.
 */
final class SubscriptionOperations {

    static final int MAX_FILTERS = 2;
    private static final int MAX_NAME = 512;
    private static final int MAX_PATTERN = 1024;
    private static final int DESCRIBE_LIMIT = 50;

    private final LogStore logs;
    private final Targets targets;
    private final Clock clock;

    SubscriptionOperations(LogStore logs, Targets targets, Clock clock) {
        this.logs = requireNonNull(logs, "logs is null");
        this.targets = requireNonNull(targets, "targets is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    Empty putSubscriptionFilter(RequestContext context, PutSubscriptionFilterRequest request) {
        String groupName = Names.requireGroupName("logGroupName", request.logGroupName());
        String filterName = filterName("filterName", Names.required("filterName", request.filterName()));
        String pattern = Names.required("filterPattern", request.filterPattern());
        if (pattern.length() > MAX_PATTERN) {
            throw LogsErrors.constraint("filterPattern", pattern, "Member must have length less than or equal to " + MAX_PATTERN);
        }
        String destination = Names.required("destinationArn", request.destinationArn());
        if (destination.isEmpty()) {
            throw LogsErrors.constraint("destinationArn", destination, "Member must have length greater than or equal to 1");
        }
        String distribution = request.distribution();
        if (distribution != null && !distribution.equals("Random") && !distribution.equals("ByLogStream")) {
            throw LogsErrors.constraint("distribution", distribution, "Member must satisfy enum value set: [Random, ByLogStream]");
        }
        if (Boolean.TRUE.equals(request.applyOnTransformedLogs())) {
            throw LogsErrors.invalidParameter("applyOnTransformedLogs is not supported by Stratus yet: it has no log transformers.");
        }
        if (request.fieldSelectionCriteria() != null || request.emitSystemFields() != null) {
            throw LogsErrors.invalidParameter("fieldSelectionCriteria and emitSystemFields are not supported by Stratus yet.");
        }
        FilterPattern.parse(pattern);
        LogStore.requireGroup(logs.store(), context.accountId(), context.region(), groupName);
        requireReachable(context, groupName, filterName, destination, request.roleArn());

        SubscriptionFilter filter = new SubscriptionFilter(filterName, pattern, destination, request.roleArn(), distribution, clock.millis());
        logs.store().transaction(txn -> {
            LogGroup group = LogStore.requireGroup(txn, context.accountId(), context.region(), groupName);
            List<SubscriptionFilter> filters = new ArrayList<>(group.subscriptionFilters());
            boolean replaced = filters.removeIf(existing -> existing.filterName().equals(filterName));
            if (!replaced && filters.size() >= MAX_FILTERS) {
                throw AwsException.of(LogsErrors.LIMIT_EXCEEDED, "Resource limit exceeded.");
            }
            filters.add(filter);
            filters.sort(Comparator.comparing(SubscriptionFilter::filterName));
            LogStore.putGroup(txn, context.accountId(), context.region(), group.withSubscriptionFilters(filters));
            return null;
        });
        return new Empty();
    }

    /**
     * Checks that the destination is a Lambda function of the caller's account and region whose
     * policy lets CloudWatch Logs invoke it for this group (AWS checks the same when the filter is put).
     */
    private void requireReachable(RequestContext context, String groupName, String filterName, String destination, String roleArn) {
        Arn arn;
        try {
            arn = Arn.parse(destination);
        } catch (IllegalArgumentException e) {
            throw LogsErrors.invalidParameter("Invalid destinationArn: %s", destination);
        }
        switch (arn.service()) {
            case "lambda" -> {
                boolean local = arn.accountId().equals(context.accountId()) && arn.region().equals(context.region());
                if (!local || !targets.allows(arn, SubscriptionDeliveries.caller(context.accountId(), context.region(), groupName))) {
                    throw LogsErrors.invalidParameter(
                            "Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.");
                }
            }
            case "kinesis" -> {
                if (roleArn == null) {
                    throw LogsErrors.invalidParameter("RoleArn is required for a Kinesis stream destination.");
                }
                boolean local = arn.accountId().equals(context.accountId()) && arn.region().equals(context.region());
                if (!local || !targets.allows(arn, SubscriptionDeliveries.caller(context.accountId(), context.region(), groupName))) {
                    throw LogsErrors.invalidParameter("Could not deliver test message to specified Kinesis stream. "
                            + "Check if the given kinesis stream is in ACTIVE state.");
                }
                // As CloudWatch Logs does, a test message first: consumers tell it by its messageType.
                targets.deliver(arn, SubscriptionDeliveries.gzipped(SubscriptionDeliveries.message("CONTROL_MESSAGE", "CWL_CONTROL_MESSAGE",
                        groupName, "", filterName, List.of(Map.of("id", "", "timestamp", clock.millis(),
                                "message", "CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.")))),
                        new Targets.Options("control", null, Map.of(), SubscriptionDeliveries.caller(context.accountId(), context.region(), groupName)));
            }
            case "firehose", "logs" -> throw LogsErrors.invalidParameter(
                    "Subscription filters to %s destinations are not supported by Stratus yet; a Lambda function or Kinesis stream of the same "
                            + "account is.", arn.service());
            default -> throw LogsErrors.invalidParameter("Invalid destinationArn: %s", destination);
        }
    }

    DescribeSubscriptionFiltersResponse describeSubscriptionFilters(RequestContext context, DescribeSubscriptionFiltersRequest request) {
        String groupName = Names.requireGroupName("logGroupName", request.logGroupName());
        String prefix = request.filterNamePrefix() == null ? "" : filterName("filterNamePrefix", request.filterNamePrefix());
        int limit = Names.limit("limit", request.limit(), DESCRIBE_LIMIT, DESCRIBE_LIMIT);
        String after = request.nextToken() == null ? null : GroupOperations.decodeToken(request.nextToken());
        LogGroup group = LogStore.requireGroup(logs.store(), context.accountId(), context.region(), groupName);
        List<SubscriptionFilter> page = group.subscriptionFilters().stream()
                .filter(filter -> filter.filterName().startsWith(prefix))
                .filter(filter -> after == null || filter.filterName().compareTo(after) > 0)
                .limit(limit + 1L)
                .toList();
        String nextToken = page.size() > limit ? GroupOperations.encodeToken(page.get(limit - 1).filterName()) : null;
        List<SubscriptionFilterDescription> filters = page.stream().limit(limit)
                .map(filter -> new SubscriptionFilterDescription(filter.filterName(), groupName, filter.filterPattern(), filter.destinationArn(),
                        filter.roleArn(), filter.distribution(), false, filter.creationTime()))
                .toList();
        return new DescribeSubscriptionFiltersResponse(filters, nextToken);
    }

    Empty deleteSubscriptionFilter(RequestContext context, DeleteSubscriptionFilterRequest request) {
        String groupName = Names.requireGroupName("logGroupName", request.logGroupName());
        String filterName = filterName("filterName", Names.required("filterName", request.filterName()));
        logs.store().transaction(txn -> {
            LogGroup group = LogStore.requireGroup(txn, context.accountId(), context.region(), groupName);
            List<SubscriptionFilter> filters = new ArrayList<>(group.subscriptionFilters());
            if (!filters.removeIf(filter -> filter.filterName().equals(filterName))) {
                throw AwsException.of(LogsErrors.RESOURCE_NOT_FOUND, "The specified subscription filter does not exist.");
            }
            LogStore.putGroup(txn, context.accountId(), context.region(), group.withSubscriptionFilters(filters));
            return null;
        });
        return new Empty();
    }

    private static String filterName(String member, String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw LogsErrors.constraint(member, name, "Member must have length between 1 and " + MAX_NAME);
        }
        if (name.indexOf(':') >= 0 || name.indexOf('*') >= 0) {
            throw LogsErrors.constraint(member, name, "Member must satisfy regular expression pattern: [^:*]*");
        }
        return name;
    }
}
