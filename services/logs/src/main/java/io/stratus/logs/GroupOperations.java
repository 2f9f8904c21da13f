package io.stratus.logs;

import static io.stratus.logs.LogsModel.CreateLogGroupRequest;
import static io.stratus.logs.LogsModel.DescribeLogGroupsRequest;
import static io.stratus.logs.LogsModel.DescribeLogGroupsResponse;
import static io.stratus.logs.LogsModel.Empty;
import static io.stratus.logs.LogsModel.ListTagsForResourceRequest;
import static io.stratus.logs.LogsModel.LogGroupDescription;
import static io.stratus.logs.LogsModel.LogGroupNameRequest;
import static io.stratus.logs.LogsModel.PutRetentionPolicyRequest;
import static io.stratus.logs.LogsModel.TagLogGroupRequest;
import static io.stratus.logs.LogsModel.TagResourceRequest;
import static io.stratus.logs.LogsModel.TagsResponse;
import static io.stratus.logs.LogsModel.UntagLogGroupRequest;
import static io.stratus.logs.LogsModel.UntagResourceRequest;
import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.storage.KeyRange;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Log groups: create, delete, describe, retention and tags. Thread-safe. */
final class GroupOperations {

    /** The retention periods AWS accepts, in days. */
    static final Set<Integer> RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
            2557, 2922, 3288, 3653);

    private final LogStore logs;
    private final Clock clock;

    GroupOperations(LogStore logs, Clock clock) {
        this.logs = requireNonNull(logs, "logs is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    Empty createLogGroup(RequestContext context, CreateLogGroupRequest request) {
        String name = Names.requireGroupName("logGroupName", request.logGroupName());
        Map<String, String> tags = Names.checkTags(request.tags());
        String logGroupClass = request.logGroupClass();
        if (logGroupClass != null && !List.of("STANDARD", "INFREQUENT_ACCESS", "DELIVERY").contains(logGroupClass)) {
            throw LogsErrors.constraint("logGroupClass", logGroupClass, "Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]");
        }
        LogGroup group = new LogGroup(name, clock.millis(), newIncarnation(), null, request.kmsKeyId(), logGroupClass, tags);
        create(context.accountId(), context.region(), group);
        return new Empty();
    }

    /** A number that tells this group from every earlier group of the same name. */
    static long newIncarnation() {
        return java.util.concurrent.ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
    }

    /** Creates {@code group}; {@code ResourceAlreadyExistsException} when the name is taken. */
    void create(String account, String region, LogGroup group) {
        logs.store().transaction(txn -> {
            if (LogStore.group(txn, account, region, group.name()).isPresent()) {
                throw AwsException.of(LogsErrors.RESOURCE_ALREADY_EXISTS, "The specified log group already exists");
            }
            LogStore.putGroup(txn, account, region, group);
            return null;
        });
    }

    Empty deleteLogGroup(RequestContext context, LogGroupNameRequest request) {
        String name = Names.requireGroupName("logGroupName", request.logGroupName());
        LogGroup deleted = logs.store().transaction(txn -> {
            LogGroup group = LogStore.requireGroup(txn, context.accountId(), context.region(), name);
            txn.delete(LogStore.GROUPS, LogStore.groupKey(context.accountId(), context.region(), name));
            return group;
        });
        // The group is gone once the transaction commits; its streams and events follow. A crash
        // in between leaves keys of a dead incarnation, which the retention sweeper removes.
        purge(context.accountId(), context.region(), deleted);
        return new Empty();
    }

    void purge(String account, String region, LogGroup group) {
        byte[] prefix = LogStore.streamsPrefix(account, region, group);
        logs.deleteRange(LogStore.STREAMS, KeyRange.prefix(prefix));
        logs.deleteRange(LogStore.EVENTS, KeyRange.prefix(prefix));
    }

    DescribeLogGroupsResponse describeLogGroups(RequestContext context, DescribeLogGroupsRequest request) {
        if (request.logGroupNamePrefix() != null && request.logGroupNamePattern() != null) {
            throw LogsErrors.invalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }
        int limit = Names.limit("limit", request.limit(), 50, 50);
        String after = request.nextToken() == null ? null : decodeToken(request.nextToken());
        String pattern = request.logGroupNamePattern();
        String prefix = pattern == null ? request.logGroupNamePrefix() : null;
        List<LogGroup> page = pattern == null
                ? logs.groups(context.accountId(), context.region(), prefix, after, limit + 1)
                : logs.groups(context.accountId(), context.region(), null, after, Integer.MAX_VALUE).stream()
                        .filter(group -> group.name().toLowerCase(java.util.Locale.ROOT).contains(pattern.toLowerCase(java.util.Locale.ROOT)))
                        .limit(limit + 1).toList();
        page = page.stream().filter(group -> request.logGroupClass() == null || group.logGroupClass().equals(request.logGroupClass())).toList();
        String nextToken = page.size() > limit ? encodeToken(page.get(limit - 1).name()) : null;
        List<LogGroupDescription> groups = page.stream().limit(limit).map(group -> describe(context, group)).toList();
        return new DescribeLogGroupsResponse(groups, nextToken);
    }

    private LogGroupDescription describe(RequestContext context, LogGroup group) {
        long storedBytes = logs.streams(context.accountId(), context.region(), group, null).stream().mapToLong(LogStream::storedBytes).sum();
        String arn = Names.groupArn(context, group.name());
        return new LogGroupDescription(group.name(), group.creationTime(), group.retentionInDays(), 0, arn + ":*", storedBytes,
                group.kmsKeyId(), group.logGroupClass(), arn);
    }

    Empty putRetentionPolicy(RequestContext context, PutRetentionPolicyRequest request) {
        String name = Names.requireGroupName("logGroupName", request.logGroupName());
        Integer days = Names.required("retentionInDays", request.retentionInDays());
        if (!RETENTION_DAYS.contains(days)) {
            throw LogsErrors.constraint("retentionInDays", days,
                    "Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]");
        }
        update(context, name, group -> group.withRetention(days));
        return new Empty();
    }

    Empty deleteRetentionPolicy(RequestContext context, LogGroupNameRequest request) {
        update(context, Names.requireGroupName("logGroupName", request.logGroupName()), group -> group.withRetention(null));
        return new Empty();
    }

    Empty tagResource(RequestContext context, TagResourceRequest request) {
        Map<String, String> added = Names.checkTags(Names.required("tags", request.tags()));
        tag(context, Names.groupOfArn(context, request.resourceArn()), added);
        return new Empty();
    }

    Empty untagResource(RequestContext context, UntagResourceRequest request) {
        List<String> keys = Names.required("tagKeys", request.tagKeys());
        untag(context, Names.groupOfArn(context, request.resourceArn()), keys);
        return new Empty();
    }

    TagsResponse listTagsForResource(RequestContext context, ListTagsForResourceRequest request) {
        String name = Names.groupOfArn(context, request.resourceArn());
        return new TagsResponse(new TreeMap<>(LogStore.requireGroup(logs.store(), context.accountId(), context.region(), name).tags()));
    }

    Empty tagLogGroup(RequestContext context, TagLogGroupRequest request) {
        tag(context, Names.requireGroupName("logGroupName", request.logGroupName()), Names.checkTags(Names.required("tags", request.tags())));
        return new Empty();
    }

    Empty untagLogGroup(RequestContext context, UntagLogGroupRequest request) {
        untag(context, Names.requireGroupName("logGroupName", request.logGroupName()), Names.required("tags", request.tags()));
        return new Empty();
    }

    TagsResponse listTagsLogGroup(RequestContext context, LogGroupNameRequest request) {
        String name = Names.requireGroupName("logGroupName", request.logGroupName());
        return new TagsResponse(new TreeMap<>(LogStore.requireGroup(logs.store(), context.accountId(), context.region(), name).tags()));
    }

    private void tag(RequestContext context, String name, Map<String, String> added) {
        update(context, name, group -> {
            Map<String, String> tags = new LinkedHashMap<>(group.tags());
            tags.putAll(added);
            if (tags.size() > 50) {
                throw LogsErrors.invalidParameter("A log group can have at most 50 tags.");
            }
            return group.withTags(tags);
        });
    }

    private void untag(RequestContext context, String name, List<String> keys) {
        update(context, name, group -> {
            Map<String, String> tags = new LinkedHashMap<>(group.tags());
            keys.forEach(tags::remove);
            return group.withTags(tags);
        });
    }

    private void update(RequestContext context, String name, java.util.function.UnaryOperator<LogGroup> change) {
        logs.store().transaction(txn -> {
            LogGroup group = LogStore.requireGroup(txn, context.accountId(), context.region(), name);
            LogStore.putGroup(txn, context.accountId(), context.region(), change.apply(group));
            return null;
        });
    }

    static String encodeToken(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw LogsErrors.invalidParameter("The specified nextToken is invalid.");
        }
    }
}
