package io.stratus.s3;

/** A request about one object (or one of its versions) of a bucket: what {@link BucketAccess} checks. */
interface ObjectAddressed extends BucketAddressed {

    String key();

    /** The version the request names, or null for the current one. */
    default String versionId() {
        return null;
    }
}
