package io.stratus.core.spi;

import static java.util.Objects.requireNonNull;

/**
 * An AWS service acting on behalf of one of its resources — S3 sending a bucket's event to a
 * queue, say — as the target's resource policy sees it: the service principal, and the
 * {@code aws:SourceArn} and {@code aws:SourceAccount} condition keys. A target whose policy does
 * not allow the service refuses the delivery, as on AWS.
 *
 * @param principal the service principal, e.g. {@code s3.amazonaws.com}
 * @param sourceArn the ARN of the resource on whose behalf it acts, e.g. {@code arn:aws:s3:::uploads}
 * @param sourceAccount the account that owns that resource
 */
public record ServiceCaller(String principal, String sourceArn, String sourceAccount) {

    public ServiceCaller {
        requireNonNull(principal, "principal is null");
        requireNonNull(sourceArn, "sourceArn is null");
        requireNonNull(sourceAccount, "sourceAccount is null");
    }
}
