package io.stratus.s3;

import static java.util.Objects.requireNonNull;

/**
 * A bucket as stored: bucket names are global, as on AWS, so the owner is part of the record.
 *
 * @param createdMillis when it was created, epoch millis
 * @param versioning {@code Enabled}, {@code Suspended}, or null when never enabled
 * @param locationConstraint the {@code LocationConstraint} it was created with when that is an alias of its region
 *     ({@code EU} for eu-west-1), which GetBucketLocation answers as given; else null
 * @param mfaDelete {@code Disabled} once a versioning configuration said so (GetBucketVersioning then echoes it), else null
 * @param objectLock whether the bucket has Object Lock (its configuration is one of the bucket's configurations), so
 *     writes into a bucket without it need not look for a default retention
 * @param acls whether the bucket's Object Ownership lets ACLs apply ({@code ObjectWriter},
 *     {@code BucketOwnerPreferred}, or none at all), so requests into a bucket without them (S3's
 *     default, {@code BucketOwnerEnforced}) need not look for any
 */
record Bucket(String name, String account, String region, long createdMillis, String versioning, String locationConstraint, String mfaDelete,
        boolean objectLock, boolean acls) {

    Bucket {
        requireNonNull(name, "name is null");
        requireNonNull(account, "account is null");
        requireNonNull(region, "region is null");
    }

    /** @param newMfaDelete what the configuration said of MFA delete, or null to keep what was said before */
    Bucket withVersioning(String status, String newMfaDelete) {
        return new Bucket(name, account, region, createdMillis, status, locationConstraint, newMfaDelete != null ? newMfaDelete : mfaDelete,
                objectLock, acls);
    }

    Bucket withObjectLock() {
        return new Bucket(name, account, region, createdMillis, versioning, locationConstraint, mfaDelete, true, acls);
    }

    Bucket withAcls(boolean enabled) {
        return new Bucket(name, account, region, createdMillis, versioning, locationConstraint, mfaDelete, objectLock, enabled);
    }

    boolean versioningEnabled() {
        return "Enabled".equals(versioning);
    }
}
