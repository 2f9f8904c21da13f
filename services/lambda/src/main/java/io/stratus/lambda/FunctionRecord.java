package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.lambda.LambdaModel.EnvironmentResponse;
import io.stratus.lambda.LambdaModel.EphemeralStorage;
import io.stratus.lambda.LambdaModel.FunctionConfiguration;
import io.stratus.lambda.LambdaModel.LoggingConfig;
import io.stratus.lambda.LambdaModel.TracingConfigResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One function's {@code $LATEST} as Stratus keeps it: configuration plus the identity of its code
 * (the zip itself is a file, see {@link CodeStore}). Immutable; an update makes a new record with a
 * new {@code revisionId}, which also tells warm environments of the old revision to retire.
 *
 * @param codeSha256 the base64 SHA-256 of the zip, as AWS reports it
 */
record FunctionRecord(
        String accountId,
        String region,
        String name,
        String runtime,
        String role,
        String handler,
        String description,
        int timeout,
        int memorySize,
        Map<String, String> environment,
        String codeSha256,
        long codeSize,
        Instant lastModified,
        String revisionId) {

    static final String LATEST = "$LATEST";

    /** AWS's LastModified format, e.g. {@code 2024-01-01T00:00:00.000+0000}. */
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    FunctionRecord {
        requireNonNull(accountId, "accountId is null");
        requireNonNull(region, "region is null");
        requireNonNull(name, "name is null");
        requireNonNull(runtime, "runtime is null");
        requireNonNull(role, "role is null");
        requireNonNull(handler, "handler is null");
        requireNonNull(codeSha256, "codeSha256 is null");
        requireNonNull(lastModified, "lastModified is null");
        requireNonNull(revisionId, "revisionId is null");
        description = description == null ? "" : description;
        environment = environment == null ? Map.of() : Map.copyOf(new TreeMap<>(environment));
    }

    String arn() {
        return arn(accountId, region, name);
    }

    static String arn(String accountId, String region, String name) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
    }

    String logGroupName() {
        return "/aws/lambda/" + name;
    }

    /** The function as every control-plane operation reports it. */
    FunctionConfiguration configuration() {
        return new FunctionConfiguration(name, arn(), runtime, role, handler, codeSize, description, timeout, memorySize,
                LAST_MODIFIED.format(lastModified), codeSha256, LATEST,
                environment.isEmpty() ? null : new EnvironmentResponse(new TreeMap<>(environment)),
                new TracingConfigResponse("PassThrough"), revisionId,
                // Functions are ready when CreateFunction returns, so SDK waiters pass at once.
                "Active", "Successful", "Zip", List.of("x86_64"), new EphemeralStorage(512),
                new LoggingConfig("Text", logGroupName()));
    }
}
