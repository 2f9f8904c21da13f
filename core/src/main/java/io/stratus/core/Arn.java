package io.stratus.core;

import static java.util.Objects.requireNonNull;

/**
 * An Amazon Resource Name: {@code arn:partition:service:region:account:resource}.
 * Region and account may be empty (S3 buckets, IAM); the resource may itself contain colons.
 */
public record Arn(String partition, String service, String region, String accountId, String resource) {

    public Arn {
        requireNonNull(partition, "partition is null");
        requireNonNull(service, "service is null");
        requireNonNull(region, "region is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(resource, "resource is null");
        if (partition.isEmpty() || service.isEmpty()) {
            throw new IllegalArgumentException("ARN partition and service must not be empty");
        }
    }

    public static Arn of(String service, String region, String accountId, String resource) {
        return new Arn("aws", service, region, accountId, resource);
    }

    /** Parses an ARN; throws {@link IllegalArgumentException} when the text is not one. */
    public static Arn parse(String text) {
        requireNonNull(text, "text is null");
        String[] parts = text.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn")) {
            throw new IllegalArgumentException("Not an ARN: " + text);
        }
        return new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]);
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":" + service + ":" + region + ":" + accountId + ":" + resource;
    }
}
