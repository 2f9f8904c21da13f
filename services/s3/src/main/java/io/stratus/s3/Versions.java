package io.stratus.s3;

import io.stratus.core.AwsException;
import java.util.Map;

/** Version ids as S3 reads them. Stateless. */
final class Versions {

    /** The version id of an object written while the bucket had no versioning. */
    static final String NULL = "null";

    private Versions() {}

    /** @throws AwsException {@code NoSuchVersion} when a requested version is not the object's */
    static void checkRequested(String requested, StoredObject object) {
        if (requested == null) {
            return;
        }
        String actual = object.versionId() == null ? NULL : object.versionId();
        if (!requested.equals(actual)) {
            throw noSuchVersion(object.key(), requested);
        }
    }

    static AwsException noSuchVersion(String key, String versionId) {
        return new AwsException(S3Errors.NO_SUCH_VERSION, "The specified version does not exist.", Map.of("Key", key, "VersionId", versionId), null);
    }
}
