package io.stratus.s3;

/** A request about one bucket, named by its {@code Bucket} label: what {@link BucketAccess} checks. */
interface BucketAddressed {

    String bucket();
}
