package io.stratus.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.lambda.EventSourceMapping.StreamSettings;
import io.stratus.lambda.EventSourceModel.CreateEventSourceMappingRequest;
import io.stratus.lambda.EventSourceModel.UpdateEventSourceMappingRequest;

/**
 * The rules of CreateEventSourceMapping and UpdateEventSourceMapping for stream sources (DynamoDB
 * Streams, Kinesis): which members apply, their ranges and defaults, as AWS's API model and Lambda state
 * them. Range checks of the API model answer {@code ValidationException}; Lambda's own checks
 * {@code InvalidParameterValueException}. Pure functions, no state.
 */
final class StreamMappingRules {

    static final int DEFAULT_BATCH_SIZE = 100;
    static final int MAX_BATCH_SIZE = 10_000;
    static final int MAX_BATCHING_WINDOW = 300;
    static final int MAX_RETRY_ATTEMPTS = 10_000;
    static final int MIN_RECORD_AGE = 60;
    static final int MAX_RECORD_AGE = 604_800;
    static final int MAX_PARALLELIZATION = 10;
    static final int MAX_TUMBLING_WINDOW = 900;

    private StreamMappingRules() {}

    /** The stream settings of a new mapping, or the refusal of its members. */
    static StreamSettings create(CreateEventSourceMappingRequest request) {
        unsupported(request.scalingConfig() != null, "ScalingConfig");
        JsonNode position = request.startingPosition();
        if (position == null || position.isNull()) {
            // AWS words it as a model violation but answers InvalidParameterValueException.
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.");
        }
        String startingPosition = position.asText();
        boolean kinesis = StreamMappings.isKinesis(request.eventSourceArn());
        switch (startingPosition) {
            case "TRIM_HORIZON", "LATEST" -> {
            }
            case "AT_TIMESTAMP" -> {
                if (!kinesis) {
                    throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                            "Unsupported starting position for event source: AT_TIMESTAMP is only supported for Kinesis streams and Kafka.");
                }
            }
            default -> throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_TIMESTAMP]",
                    startingPosition);
        }
        JsonNode timestamp = request.startingPositionTimestamp();
        boolean timestamped = timestamp != null && !timestamp.isNull();
        if (timestamped != startingPosition.equals("AT_TIMESTAMP")) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, timestamped
                    ? "StartingPositionTimestamp is only allowed with StartingPosition AT_TIMESTAMP."
                    : "StartingPositionTimestamp must be provided with StartingPosition AT_TIMESTAMP.");
        }
        if (timestamped && !timestamp.isNumber()) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at 'startingPositionTimestamp' failed to satisfy constraint: Member must be a timestamp", timestamp);
        }
        Long timestampMillis = timestamped ? timestamp.decimalValue().movePointRight(3).longValue() : null;
        return windowed(new StreamSettings(startingPosition, timestampMillis,
                retryAttempts(integer(request.maximumRetryAttempts(), "maximumRetryAttempts", -1)),
                recordAge(integer(request.maximumRecordAgeInSeconds(), "maximumRecordAgeInSeconds", -1)),
                bool(request.bisectBatchOnFunctionError(), "bisectBatchOnFunctionError", false),
                parallelization(integer(request.parallelizationFactor(), "parallelizationFactor", 1)),
                destination(request.destinationConfig(), null),
                tumblingWindow(integer(request.tumblingWindowInSeconds(), "tumblingWindowInSeconds", 0))));
    }

    /** The stream settings after an update. */
    static StreamSettings update(StreamSettings current, UpdateEventSourceMappingRequest request) {
        unsupported(request.scalingConfig() != null, "ScalingConfig");
        return windowed(new StreamSettings(current.startingPosition(), current.startingPositionTimestamp(),
                retryAttempts(integer(request.maximumRetryAttempts(), "maximumRetryAttempts", current.maximumRetryAttempts())),
                recordAge(integer(request.maximumRecordAgeInSeconds(), "maximumRecordAgeInSeconds", current.maximumRecordAgeSeconds())),
                bool(request.bisectBatchOnFunctionError(), "bisectBatchOnFunctionError", current.bisectBatchOnFunctionError()),
                parallelization(integer(request.parallelizationFactor(), "parallelizationFactor", current.parallelizationFactor())),
                destination(request.destinationConfig(), current.onFailureDestination()),
                tumblingWindow(integer(request.tumblingWindowInSeconds(), "tumblingWindowInSeconds", current.tumblingWindowSeconds()))));
    }

    /** BatchSize and MaximumBatchingWindowInSeconds as the API model bounds them for streams. */
    static void checkBatching(int batchSize, int window) {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw range(batchSize, "batchSize", 1, MAX_BATCH_SIZE);
        }
        if (window < 0 || window > MAX_BATCHING_WINDOW) {
            throw range(window, "maximumBatchingWindowInSeconds", 0, MAX_BATCHING_WINDOW);
        }
    }

    private static int retryAttempts(int value) {
        if (value < -1 || value > MAX_RETRY_ATTEMPTS) {
            throw range(value, "maximumRetryAttempts", -1, MAX_RETRY_ATTEMPTS);
        }
        return value;
    }

    private static int recordAge(int value) {
        if (value < -1 || value > MAX_RECORD_AGE) {
            throw range(value, "maximumRecordAgeInSeconds", -1, MAX_RECORD_AGE);
        }
        if (value != -1 && value < MIN_RECORD_AGE) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "MaximumRecordAgeInSeconds must be -1 (infinite) or between %d and %d; %d was given.", MIN_RECORD_AGE, MAX_RECORD_AGE, value);
        }
        return value;
    }

    private static int tumblingWindow(int value) {
        if (value < 0 || value > MAX_TUMBLING_WINDOW) {
            throw range(value, "tumblingWindowInSeconds", 0, MAX_TUMBLING_WINDOW);
        }
        return value;
    }

    /** Tumbling windows aggregate a shard's records in order, one batch at a time: not (yet) across parallel lanes. */
    private static StreamSettings windowed(StreamSettings settings) {
        if (settings.tumblingWindowSeconds() > 0 && settings.parallelizationFactor() > 1) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "TumblingWindowInSeconds with a ParallelizationFactor above 1 is not supported by Stratus yet.");
        }
        return settings;
    }

    private static int parallelization(int value) {
        if (value < 1 || value > MAX_PARALLELIZATION) {
            throw range(value, "parallelizationFactor", 1, MAX_PARALLELIZATION);
        }
        return value;
    }

    /**
     * The OnFailure destination of a {@code DestinationConfig}: an SQS queue or an SNS topic
     * (S3 buckets, which AWS also takes, are not served yet). An empty {@code DestinationConfig} or {@code OnFailure} removes it.
     */
    private static String destination(JsonNode config, String current) {
        if (config == null || config.isNull()) {
            return current;
        }
        if (!config.isObject()) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "DestinationConfig must be an object.");
        }
        JsonNode onSuccess = config.get("OnSuccess");
        if (onSuccess != null && !onSuccess.isNull() && onSuccess.path("Destination").isTextual()) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Unsupported OnSuccess destination for given event source.");
        }
        JsonNode target = config.path("OnFailure").path("Destination");
        if (target.isMissingNode() || target.isNull() || target.asText().isEmpty()) {
            return null;
        }
        Arn arn;
        try {
            arn = Arn.parse(target.asText());
        } catch (IllegalArgumentException e) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Invalid OnFailure destination: %s", target.asText());
        }
        return switch (arn.service()) {
            case "sqs", "sns", "s3" -> arn.toString();
            default -> throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "Unsupported OnFailure destination %s for given event source: use an SQS queue, an SNS topic or an S3 bucket.", arn);
        };
    }

    private static int integer(JsonNode value, String member, int fallback) {
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw AwsException.of(LambdaErrors.VALIDATION, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must be an integer",
                    value.asText(), member);
        }
        return value.intValue();
    }

    private static boolean bool(JsonNode value, String member, boolean fallback) {
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw AwsException.of(LambdaErrors.VALIDATION, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must be a boolean",
                    value.asText(), member);
        }
        return value.booleanValue();
    }

    private static AwsException range(int value, String member, int min, int max) {
        String constraint = value < min ? "greater than or equal to " + min : "less than or equal to " + max;
        return AwsException.of(LambdaErrors.VALIDATION,
                "1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value %s", value, member, constraint);
    }

    private static void unsupported(boolean given, String member) {
        if (given) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Unsupported %s parameter for given event source.", member);
        }
    }
}
