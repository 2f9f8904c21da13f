package io.stratus.logs;

import static io.stratus.logs.LogsModel.DescribeLogStreamsRequest;
import static io.stratus.logs.LogsModel.DescribeLogStreamsResponse;
import static io.stratus.logs.LogsModel.Empty;
import static io.stratus.logs.LogsModel.LogStreamDescription;
import static io.stratus.logs.LogsModel.LogStreamRequest;
import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.storage.KeyRange;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;

/** Log streams: create, delete, describe. Thread-safe. */
final class StreamOperations {

    private final LogStore logs;
    private final Clock clock;

    StreamOperations(LogStore logs, Clock clock) {
        this.logs = requireNonNull(logs, "logs is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    Empty createLogStream(RequestContext context, LogStreamRequest request) {
        String group = Names.requireGroupName("logGroupName", request.logGroupName());
        String name = Names.requireStreamName(request.logStreamName());
        create(context.accountId(), context.region(), group, name);
        return new Empty();
    }

    void create(String account, String region, String groupName, String name) {
        logs.store().transaction(txn -> {
            LogGroup group = LogStore.requireGroup(txn, account, region, groupName);
            if (LogStore.stream(txn, account, region, group, name).isPresent()) {
                throw AwsException.of(LogsErrors.RESOURCE_ALREADY_EXISTS, "The specified log stream already exists");
            }
            LogStore.putStream(txn, account, region, group, new LogStream(name, clock.millis(), null, null, null, 0));
            return null;
        });
    }

    Empty deleteLogStream(RequestContext context, LogStreamRequest request) {
        String groupName = Names.requireGroupName("logGroupName", request.logGroupName());
        String name = Names.requireStreamName(request.logStreamName());
        LogGroup group = logs.store().transaction(txn -> {
            LogGroup found = LogStore.requireGroup(txn, context.accountId(), context.region(), groupName);
            if (LogStore.stream(txn, context.accountId(), context.region(), found, name).isEmpty()) {
                throw LogsErrors.streamNotFound();
            }
            txn.delete(LogStore.STREAMS, LogStore.streamKey(context.accountId(), context.region(), found, name));
            return found;
        });
        // A stream of the same name created meanwhile shares these keys; its events are lost with
        // the old ones, as a recreated stream on AWS starts empty only after the delete finishes.
        logs.deleteRange(LogStore.EVENTS, KeyRange.prefix(LogStore.eventsPrefix(context.accountId(), context.region(), group, name)));
        return new Empty();
    }

    DescribeLogStreamsResponse describeLogStreams(RequestContext context, DescribeLogStreamsRequest request) {
        String groupName = Names.groupOf(context, request.logGroupName(), request.logGroupIdentifier());
        String orderBy = request.orderBy() == null ? "LogStreamName" : request.orderBy();
        if (!orderBy.equals("LogStreamName") && !orderBy.equals("LastEventTime")) {
            throw LogsErrors.constraint("orderBy", orderBy, "Member must satisfy enum value set: [LogStreamName, LastEventTime]");
        }
        if (orderBy.equals("LastEventTime") && request.logStreamNamePrefix() != null) {
            throw LogsErrors.invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        int limit = Names.limit("limit", request.limit(), 50, 50);
        boolean descending = Boolean.TRUE.equals(request.descending());
        LogGroup group = LogStore.requireGroup(logs.store(), context.accountId(), context.region(), groupName);
        List<LogStream> streams = logs.streams(context.accountId(), context.region(), group, request.logStreamNamePrefix());
        Comparator<LogStream> order = orderBy.equals("LogStreamName")
                ? Comparator.comparing(LogStream::name)
                : Comparator.comparing((LogStream stream) -> stream.lastEventTimestamp() == null ? Long.MIN_VALUE : stream.lastEventTimestamp())
                        .thenComparing(LogStream::name);
        streams = streams.stream().sorted(descending ? order.reversed() : order).toList();
        int from = request.nextToken() == null ? 0 : offset(request.nextToken());
        List<LogStream> page = streams.subList(Math.min(from, streams.size()), Math.min(from + limit, streams.size()));
        String nextToken = from + limit < streams.size() ? GroupOperations.encodeToken(Integer.toString(from + limit)) : null;
        return new DescribeLogStreamsResponse(page.stream().map(stream -> describe(context, groupName, stream)).toList(), nextToken);
    }

    private static int offset(String token) {
        try {
            int offset = Integer.parseInt(GroupOperations.decodeToken(token));
            if (offset < 0) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (NumberFormatException e) {
            throw LogsErrors.invalidParameter("The specified nextToken is invalid.");
        }
    }

    private static LogStreamDescription describe(RequestContext context, String group, LogStream stream) {
        return new LogStreamDescription(stream.name(), stream.creationTime(), stream.firstEventTimestamp(), stream.lastEventTimestamp(),
                stream.lastIngestionTime(), null, Names.streamArn(context, group, stream.name()), stream.storedBytes());
    }
}
