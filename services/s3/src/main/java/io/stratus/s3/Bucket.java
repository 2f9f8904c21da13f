package io.stratus.s3;

import static java.util.Objects.requireNonNull;

/**
 * A bucket as stored: bucket names are global, as on AWS, so the owner is part of the record.
 *
 * @param createdMillis when it was created, epoch millis
 * @param versioning {@code Enabled}, {@code Suspended}, or null when never enabled
 */
record Bucket(String name, String account, String region, long createdMillis, String versioning) {

    Bucket {
        requireNonNull(name, "name is null");
        requireNonNull(account, "account is null");
        requireNonNull(region, "region is null");
    }

    Bucket withVersioning(String status) {
        return new Bucket(name, account, region, createdMillis, status);
    }

    boolean versioningEnabled() {
        return "Enabled".equals(versioning);
    }
}
