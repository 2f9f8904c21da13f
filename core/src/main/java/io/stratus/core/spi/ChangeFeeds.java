package io.stratus.core.spi;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One {@link ChangeFeed} over the feeds of several services, each answering for the stream ARNs of
 * its service (the ARN's service field: {@code dynamodb}, {@code kinesis}), so a reader such as
 * Lambda's event source mappings takes one feed whatever the stream. Thread-safe when its feeds are.
 */
public final class ChangeFeeds implements ChangeFeed {

    private final Map<String, ChangeFeed> byService;

    /** @param byService each feed under the ARN service name of the streams it serves */
    public ChangeFeeds(Map<String, ChangeFeed> byService) {
        this.byService = Map.copyOf(requireNonNull(byService, "byService is null"));
    }

    @Override
    public Optional<FeedDescription> describe(String streamArn) {
        return feed(streamArn).flatMap(feed -> feed.describe(streamArn));
    }

    @Override
    public Position start(String streamArn, String shardId, StartingPosition position, Instant timestamp) {
        return require(streamArn).start(streamArn, shardId, position, timestamp);
    }

    @Override
    public Batch read(String streamArn, String shardId, Position position, int maxRecords) {
        return require(streamArn).read(streamArn, shardId, position, maxRecords);
    }

    private Optional<ChangeFeed> feed(String streamArn) {
        try {
            return Optional.ofNullable(byService.get(Arn.parse(requireNonNull(streamArn, "streamArn is null")).service()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private ChangeFeed require(String streamArn) {
        return feed(streamArn).orElseThrow(() -> AwsException.of(CommonErrors.VALIDATION, "No stream service serves %s.", streamArn));
    }
}
