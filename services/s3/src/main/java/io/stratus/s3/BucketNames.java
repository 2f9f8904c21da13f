package io.stratus.s3;

import io.stratus.core.AwsException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** S3's general-purpose bucket naming rules. Stateless. */
final class BucketNames {

    private static final Pattern CHARACTERS = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> RESERVED_SUFFIXES = List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

    private BucketNames() {}

    static boolean isValid(String name) {
        return CHARACTERS.matcher(name).matches()
                && !name.contains("..")
                && !name.contains(".-")
                && !name.contains("-.")
                && !IP_ADDRESS.matcher(name).matches()
                && RESERVED_PREFIXES.stream().noneMatch(name::startsWith)
                && RESERVED_SUFFIXES.stream().noneMatch(name::endsWith);
    }

    /** @throws AwsException {@code InvalidBucketName} for a name S3 refuses */
    static void check(String name) {
        if (!isValid(name)) {
            throw new AwsException(S3Errors.INVALID_BUCKET_NAME, "The specified bucket is not valid.", Map.of("BucketName", name), null);
        }
    }

    /**
     * The bucket a path as S3 sees it names ({@code /bucket/key}, a host-addressed bucket already
     * its first segment), or null for {@code /} (ListBuckets).
     */
    static String ofPath(String path) {
        int slash = path.indexOf('/', 1);
        String bucket = slash < 0 ? path.substring(1) : path.substring(1, slash);
        return bucket.isEmpty() ? null : bucket;
    }
}
