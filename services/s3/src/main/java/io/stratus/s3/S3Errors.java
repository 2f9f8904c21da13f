package io.stratus.s3;

import io.stratus.core.AwsErrorCode;
import io.stratus.core.AwsException;
import java.util.LinkedHashMap;
import java.util.Map;

/** S3's own error codes, with the statuses S3 answers them with. */
enum S3Errors implements AwsErrorCode {
    NO_SUCH_BUCKET("NoSuchBucket", 404),
    NO_SUCH_KEY("NoSuchKey", 404),
    NO_SUCH_UPLOAD("NoSuchUpload", 404),
    NO_SUCH_VERSION("NoSuchVersion", 404),
    NO_SUCH_TAG_SET("NoSuchTagSet", 404),
    NO_SUCH_BUCKET_POLICY("NoSuchBucketPolicy", 404),
    NO_SUCH_CORS_CONFIGURATION("NoSuchCORSConfiguration", 404),
    ENCRYPTION_CONFIGURATION_NOT_FOUND("ServerSideEncryptionConfigurationNotFoundError", 404),
    OWNERSHIP_CONTROLS_NOT_FOUND("OwnershipControlsNotFoundError", 404),
    NO_SUCH_PUBLIC_ACCESS_BLOCK_CONFIGURATION("NoSuchPublicAccessBlockConfiguration", 404),
    NO_SUCH_LIFECYCLE_CONFIGURATION("NoSuchLifecycleConfiguration", 404),
    NO_SUCH_WEBSITE_CONFIGURATION("NoSuchWebsiteConfiguration", 404),
    REPLICATION_CONFIGURATION_NOT_FOUND("ReplicationConfigurationNotFoundError", 404),
    OBJECT_LOCK_CONFIGURATION_NOT_FOUND("ObjectLockConfigurationNotFoundError", 404),
    NO_SUCH_OBJECT_LOCK_CONFIGURATION("NoSuchObjectLockConfiguration", 404),
    NO_SUCH_CONFIGURATION("NoSuchConfiguration", 404),
    TOO_MANY_CONFIGURATIONS("TooManyConfigurations", 400),
    INVALID_BUCKET_STATE("InvalidBucketState", 409),
    OPERATION_ABORTED("OperationAborted", 409),
    ACCESS_CONTROL_LIST_NOT_SUPPORTED("AccessControlListNotSupported", 400),
    INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP("InvalidBucketAclWithObjectOwnership", 400),
    INVALID_BUCKET_ACL_WITH_BLOCK_PUBLIC_ACCESS("InvalidBucketAclWithBlockPublicAccessError", 400),
    MALFORMED_ACL_ERROR("MalformedACLError", 400),
    UNRESOLVABLE_GRANT_BY_EMAIL_ADDRESS("UnresolvableGrantByEmailAddress", 400),
    MISSING_SECURITY_HEADER("MissingSecurityHeader", 400),
    UNEXPECTED_CONTENT("UnexpectedContent", 400),
    BUCKET_ALREADY_EXISTS("BucketAlreadyExists", 409),
    BUCKET_ALREADY_OWNED_BY_YOU("BucketAlreadyOwnedByYou", 409),
    BUCKET_NOT_EMPTY("BucketNotEmpty", 409),
    INVALID_BUCKET_NAME("InvalidBucketName", 400),
    INVALID_LOCATION_CONSTRAINT("InvalidLocationConstraint", 400),
    ILLEGAL_LOCATION_CONSTRAINT("IllegalLocationConstraintException", 400),
    INVALID_ARGUMENT("InvalidArgument", 400),
    INVALID_REQUEST("InvalidRequest", 400),
    ACCESS_FORBIDDEN("AccessForbidden", 403),
    INVALID_RANGE("InvalidRange", 416),
    INVALID_PART_NUMBER("InvalidPartNumber", 416),
    PRECONDITION_FAILED("PreconditionFailed", 412),
    KEY_TOO_LONG("KeyTooLongError", 400),
    METADATA_TOO_LARGE("MetadataTooLarge", 400),
    INVALID_OBJECT_STATE("InvalidObjectState", 403),
    INVALID_ENCRYPTION_ALGORITHM("InvalidEncryptionAlgorithmError", 400),
    INVALID_REDIRECT_LOCATION("InvalidRedirectLocation", 400),
    ENTITY_TOO_SMALL("EntityTooSmall", 400),
    ENTITY_TOO_LARGE("EntityTooLarge", 400),
    INVALID_PART("InvalidPart", 400),
    INVALID_PART_ORDER("InvalidPartOrder", 400),
    INVALID_TAG("InvalidTag", 400),
    MALFORMED_POLICY("MalformedPolicy", 400),
    ACCESS_DENIED("AccessDenied", 403),
    INVALID_STORAGE_CLASS("InvalidStorageClass", 400),
    MISSING_CONTENT_LENGTH("MissingContentLength", 411),
    MALFORMED_POST_REQUEST("MalformedPOSTRequest", 400),
    INVALID_POLICY_DOCUMENT("InvalidPolicyDocument", 400),
    INCORRECT_NUMBER_OF_FILES_IN_POST_REQUEST("IncorrectNumberOfFilesInPostRequest", 400),
    MAX_POST_PRE_DATA_LENGTH_EXCEEDED("MaxPostPreDataLengthExceeded", 400),
    INVALID_TARGET_BUCKET_FOR_LOGGING("InvalidTargetBucketForLogging", 400),
    /** Spelled as S3 spells it. */
    CROSS_LOCATION_LOGGING_PROHIBITTED("CrossLocationLoggingProhibitted", 403);

    private final String code;
    private final int httpStatus;

    S3Errors(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /**
     * S3's {@code InvalidArgument} naming the argument refused and its value, as S3 adds them
     * ({@code <ArgumentName>}, then {@code <ArgumentValue>}).
     */
    static AwsException invalidArgument(String message, String argumentName, String argumentValue) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ArgumentName", argumentName);
        details.put("ArgumentValue", argumentValue == null ? "" : argumentValue);
        return new AwsException(INVALID_ARGUMENT, message, details, null);
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public int httpStatus() {
        return httpStatus;
    }
}
