package io.stratus.sns;

import io.stratus.core.AwsErrorCode;

/**
 * The error codes SNS answers with, as its awsQuery API spells them ({@code <Code>NotFound</Code>})
 * with AWS's HTTP statuses.
 */
public enum SnsErrors implements AwsErrorCode {
    INVALID_PARAMETER("InvalidParameter", 400),
    INVALID_PARAMETER_VALUE("ParameterValueInvalid", 400),
    NOT_FOUND("NotFound", 404),
    RESOURCE_NOT_FOUND("ResourceNotFound", 404),
    AUTHORIZATION_ERROR("AuthorizationError", 403),
    TAG_LIMIT_EXCEEDED("TagLimitExceeded", 400),
    TAG_POLICY("TagPolicy", 400),
    FILTER_POLICY_LIMIT_EXCEEDED("FilterPolicyLimitExceeded", 403),
    TOO_MANY_ENTRIES_IN_BATCH_REQUEST("TooManyEntriesInBatchRequest", 400),
    EMPTY_BATCH_REQUEST("EmptyBatchRequest", 400),
    BATCH_ENTRY_IDS_NOT_DISTINCT("BatchEntryIdsNotDistinct", 400),
    INVALID_BATCH_ENTRY_ID("InvalidBatchEntryId", 400),
    BATCH_REQUEST_TOO_LONG("BatchRequestTooLong", 400),
    INTERNAL_ERROR("InternalError", 500);

    private final String code;
    private final int httpStatus;

    SnsErrors(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
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
