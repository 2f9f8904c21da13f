package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.ROLE;
import static io.stratus.e2e.lambda.FunctionZips.zip;
import static io.stratus.e2e.lambda.LambdaErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;

/** Function code and layers given as S3 objects (S3Bucket, S3Key, S3ObjectVersion), uploaded with the S3 client. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class LambdaCodeFromS3IT {

    private static String handler(String answer) {
        return "exports.handler = async () => ({ answer: '" + answer + "', lib: (() => { try { return require('s3lib'); } catch (e) { return null; } })() });";
    }

    @Test
    void createsAndUpdatesFunctionsFromS3Objects(LambdaClient lambda, S3Client s3, Stratus stratus) {
        s3.createBucket(r -> r.bucket("code"));
        s3.putObject(r -> r.bucket("code").key("fn/v1.zip"), RequestBody.fromBytes(zip(Map.of("index.js", handler("one")))));
        byte[] layerZip = zip(Map.of("nodejs/node_modules/s3lib/index.js", "module.exports = 'from-s3-layer';"));
        s3.putObject(r -> r.bucket("code").key("layers/lib.zip"), RequestBody.fromBytes(layerZip));

        var layer = lambda.publishLayerVersion(r -> r.layerName("s3-layer").content(c -> c.s3Bucket("code").s3Key("layers/lib.zip")));
        assertThat(layer.content().codeSize()).isEqualTo(layerZip.length);
        var created = lambda.createFunction(r -> r.functionName("from-s3").runtime(Runtime.NODEJS20_X).handler("index.handler").role(ROLE)
                .layers(layer.layerVersionArn()).code(c -> c.s3Bucket("code").s3Key("fn/v1.zip")));
        assertThat(created.codeSize()).isPositive();
        FunctionStates.awaitActive(lambda, "from-s3");

        assertThat(lambda.invoke(r -> r.functionName("from-s3")).payload().asUtf8String())
                .isEqualTo("{\"answer\":\"one\",\"lib\":\"from-s3-layer\"}");

        // A versioned bucket: S3ObjectVersion picks the version, not the latest.
        s3.createBucket(r -> r.bucket("versioned-code"));
        s3.putBucketVersioning(r -> r.bucket("versioned-code").versioningConfiguration(v -> v.status("Enabled")));
        String two = s3.putObject(r -> r.bucket("versioned-code").key("fn.zip"), RequestBody.fromBytes(zip(Map.of("index.js", handler("two")))))
                .versionId();
        s3.putObject(r -> r.bucket("versioned-code").key("fn.zip"), RequestBody.fromBytes(zip(Map.of("index.js", handler("three")))));
        lambda.updateFunctionCode(r -> r.functionName("from-s3").s3Bucket("versioned-code").s3Key("fn.zip").s3ObjectVersion(two));
        FunctionStates.awaitUpdated(lambda, "from-s3");
        assertThat(lambda.invoke(r -> r.functionName("from-s3")).payload().asUtf8String()).contains("\"answer\":\"two\"");

        stratus.restart();
        assertThat(lambda.invoke(r -> r.functionName("from-s3")).payload().asUtf8String())
                .isEqualTo("{\"answer\":\"two\",\"lib\":\"from-s3-layer\"}");
    }

    @Test
    void answersS3ErrorsAsLambdaDoes(LambdaClient lambda, S3Client s3) {
        s3.createBucket(r -> r.bucket("errors"));
        s3.putObject(r -> r.bucket("errors").key("not-a.zip"), RequestBody.fromString("plain text"));

        assertError(() -> lambda.createFunction(r -> r.functionName("no-key").runtime(Runtime.NODEJS20_X).handler("index.handler").role(ROLE)
                        .code(c -> c.s3Bucket("errors").s3Key("missing.zip"))), "InvalidParameterValueException", 400,
                "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.");
        assertError(() -> lambda.createFunction(r -> r.functionName("no-bucket").runtime(Runtime.NODEJS20_X).handler("index.handler").role(ROLE)
                        .code(c -> c.s3Bucket("no-such-bucket-here").s3Key("fn.zip"))), "InvalidParameterValueException", 400,
                "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist");
        assertError(() -> lambda.createFunction(r -> r.functionName("bad-zip").runtime(Runtime.NODEJS20_X).handler("index.handler").role(ROLE)
                        .code(c -> c.s3Bucket("errors").s3Key("not-a.zip"))), "InvalidParameterValueException", 400,
                "Could not unzip uploaded file. Please check your file, then try to upload again.");
        assertError(() -> lambda.publishLayerVersion(r -> r.layerName("no-key-layer").content(c -> c.s3Bucket("errors").s3Key("missing.zip"))),
                "InvalidParameterValueException", 400,
                "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.");
        assertThat(lambda.listFunctions().functions()).extracting(f -> f.functionName()).doesNotContain("no-key", "no-bucket", "bad-zip");
    }
}
