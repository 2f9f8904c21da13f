package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.spi.ObjectSource;
import io.stratus.lambda.LambdaModel.FunctionCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Where a function's or layer's zip comes from: inline ({@code ZipFile}) or an S3 object
 * ({@code S3Bucket}, {@code S3Key}, {@code S3ObjectVersion}), read through the core
 * {@link ObjectSource} and checked as an upload is. Thread-safe.
 */
final class CodeSources {

    private final ObjectSource objects;

    CodeSources(ObjectSource objects) {
        this.objects = requireNonNull(objects, "objects is null");
    }

    /**
     * The zip a {@code Code} (or layer {@code Content}) member gives, checked.
     *
     * @param accountId the account reading: S3 objects are read as it would read them
     * @param operation the operation uploading it, as AWS names it in its refusal of a zip too large
     */
    byte[] zip(String accountId, FunctionCode code, String operation) {
        if (code.imageUri() == null && (code.s3Bucket() != null || code.s3Key() != null)) {
            return s3Zip(accountId, code.s3Bucket(), code.s3Key(), code.s3ObjectVersion());
        }
        return FunctionRules.zip(code, operation);
    }

    /**
     * A zip read from S3, checked as an uploaded one but without the 50 MB limit of a direct upload
     * (the unzipped 250 MB still holds); S3's errors become Lambda's, as AWS words them.
     */
    private byte[] s3Zip(String accountId, String bucket, String key, String versionId) {
        if (bucket == null || key == null) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Please provide a source for function code.");
        }
        byte[] zip;
        try (InputStream in = objects.open(accountId, bucket, key, versionId)) {
            zip = in.readNBytes((int) CodeStore.MAX_UNZIPPED_BYTES + 1);
        } catch (AwsException e) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Error occurred while GetObject. S3 Error Code: %s. S3 Error Message: %s",
                    e.errorCode().code(), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read s3://" + bucket + "/" + key, e);
        }
        if (zip.length > CodeStore.MAX_UNZIPPED_BYTES) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Unzipped size must be smaller than %d bytes", CodeStore.MAX_UNZIPPED_BYTES);
        }
        CodeStore.validate(zip);
        return zip;
    }
}
