package io.stratus.logs;

import static java.util.Objects.requireNonNull;

/**
 * A log group's subscription filter as stored with its group: which events (its pattern) go where.
 *
 * @param roleArn the role the request named, kept and returned (a Lambda destination needs none)
 * @param distribution {@code ByLogStream} (the default) or {@code Random}; only Kinesis destinations act on it
 */
record SubscriptionFilter(String filterName, String filterPattern, String destinationArn, String roleArn, String distribution,
        long creationTime) {

    static final String DEFAULT_DISTRIBUTION = "ByLogStream";

    SubscriptionFilter {
        requireNonNull(filterName, "filterName is null");
        requireNonNull(filterPattern, "filterPattern is null");
        requireNonNull(destinationArn, "destinationArn is null");
        distribution = distribution == null ? DEFAULT_DISTRIBUTION : distribution;
    }
}
