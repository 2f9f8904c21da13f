package io.stratus.dynamodb;

import io.stratus.core.AwsErrorCode;
import io.stratus.core.AwsException;

/** The error codes DynamoDB and DynamoDB Streams answer with, as named in its model, with their HTTP statuses. */
public enum DynamoDbErrors implements AwsErrorCode {
    VALIDATION("ValidationException", 400),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 400),
    RESOURCE_IN_USE("ResourceInUseException", 400),
    CONDITIONAL_CHECK_FAILED("ConditionalCheckFailedException", 400),
    DUPLICATE_ITEM("DuplicateItemException", 400),
    TRANSACTION_CANCELED("TransactionCanceledException", 400),
    TRANSACTION_CONFLICT("TransactionConflictException", 400),
    IDEMPOTENT_PARAMETER_MISMATCH("IdempotentParameterMismatchException", 400),
    ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED("ItemCollectionSizeLimitExceededException", 400),
    LIMIT_EXCEEDED("LimitExceededException", 400),
    EXPIRED_ITERATOR("ExpiredIteratorException", 400),
    TRIMMED_DATA_ACCESS("TrimmedDataAccessException", 400),
    INTERNAL_SERVER_ERROR("InternalServerError", 500);

    private final String code;
    private final int httpStatus;

    DynamoDbErrors(String code, int httpStatus) {
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

    /** A ValidationException with AWS's message. */
    public static AwsException validation(String format, Object... args) {
        return AwsException.of(VALIDATION, format, args);
    }
}
