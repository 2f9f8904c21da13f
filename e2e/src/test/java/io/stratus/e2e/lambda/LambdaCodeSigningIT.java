package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.LambdaErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CodeSigningPolicy;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Code signing configurations through the SDK: kept, listed, updated and deleted; attached to
 * functions; and what they do to a deployment, here where nothing is signed: {@code Enforce}
 * refuses it, {@code Warn} lets it through. Both survive a restart.
 */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class LambdaCodeSigningIT {

    private static final String FUNCTIONS = "arn:aws:lambda:us-east-1:000000000000:function:";
    private static final String PROFILE = "arn:aws:signer:us-east-1:000000000000:/signing-profiles/release/abcdef0123";
    private static final Map<String, String> CODE = Map.of("index.js", "exports.handler = async () => 'v1';");
    private static final String REFUSED = "The code signature failed one or more of the validation checks for signature mismatch or expiry, "
            + "and the code signing policy is set to ENFORCE. Lambda blocks the deployment.";

    private static String create(LambdaClient lambda, CodeSigningPolicy policy) {
        return lambda.createCodeSigningConfig(r -> r.allowedPublishers(p -> p.signingProfileVersionArns(PROFILE))
                .codeSigningPolicies(c -> c.untrustedArtifactOnDeployment(policy))).codeSigningConfig().codeSigningConfigArn();
    }

    @Test
    void configurationsAreKeptListedUpdatedAndDeleted(LambdaClient lambda) {
        var created = lambda.createCodeSigningConfig(r -> r.description("release builds only")
                .allowedPublishers(p -> p.signingProfileVersionArns(PROFILE, PROFILE.replace("release", "hotfix")))
                .codeSigningPolicies(c -> c.untrustedArtifactOnDeployment(CodeSigningPolicy.ENFORCE))).codeSigningConfig();
        assertThat(created.codeSigningConfigId()).matches("csc-[a-z0-9]{17}");
        assertThat(created.codeSigningConfigArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:code-signing-config:" + created.codeSigningConfigId());
        assertThat(created.description()).isEqualTo("release builds only");
        assertThat(created.allowedPublishers().signingProfileVersionArns()).containsExactly(PROFILE, PROFILE.replace("release", "hotfix"));
        assertThat(created.codeSigningPolicies().untrustedArtifactOnDeployment()).isEqualTo(CodeSigningPolicy.ENFORCE);
        assertThat(created.lastModified()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+0000");
        assertThat(lambda.getCodeSigningConfig(r -> r.codeSigningConfigArn(created.codeSigningConfigArn())).codeSigningConfig()).isEqualTo(created);

        var defaulted = lambda.createCodeSigningConfig(r -> r.allowedPublishers(p -> p.signingProfileVersionArns(PROFILE))).codeSigningConfig();
        assertThat(defaulted.codeSigningPolicies().untrustedArtifactOnDeployment()).isEqualTo(CodeSigningPolicy.WARN);
        assertThat(defaulted.description()).isEmpty();
        // One at a time, every page pointing at the next (the class's other tests keep theirs here too).
        java.util.List<String> listed = new java.util.ArrayList<>();
        String marker = null;
        do {
            String from = marker;
            var page = lambda.listCodeSigningConfigs(r -> r.maxItems(1).marker(from));
            assertThat(page.codeSigningConfigs()).hasSizeLessThanOrEqualTo(1);
            page.codeSigningConfigs().forEach(c -> listed.add(c.codeSigningConfigId()));
            marker = page.nextMarker();
        } while (marker != null);
        assertThat(listed).contains(created.codeSigningConfigId(), defaulted.codeSigningConfigId()).doesNotHaveDuplicates();

        var updated = lambda.updateCodeSigningConfig(r -> r.codeSigningConfigArn(created.codeSigningConfigArn()).description("any build")
                .codeSigningPolicies(c -> c.untrustedArtifactOnDeployment(CodeSigningPolicy.WARN))).codeSigningConfig();
        assertThat(updated.description()).isEqualTo("any build");
        assertThat(updated.codeSigningPolicies().untrustedArtifactOnDeployment()).isEqualTo(CodeSigningPolicy.WARN);
        assertThat(updated.allowedPublishers()).isEqualTo(created.allowedPublishers());

        lambda.deleteCodeSigningConfig(r -> r.codeSigningConfigArn(created.codeSigningConfigArn()));
        String gone = "The code signing configuration cannot be found. Check that the provided configuration is not deleted: "
                + created.codeSigningConfigArn() + ".";
        assertError(() -> lambda.getCodeSigningConfig(r -> r.codeSigningConfigArn(created.codeSigningConfigArn())), "ResourceNotFoundException", 404, gone);
        assertError(() -> lambda.deleteCodeSigningConfig(r -> r.codeSigningConfigArn(created.codeSigningConfigArn())), "ResourceNotFoundException", 404, gone);
        assertError(() -> lambda.listFunctionsByCodeSigningConfig(r -> r.codeSigningConfigArn(created.codeSigningConfigArn())),
                "ResourceNotFoundException", 404, gone);
        assertThat(lambda.listCodeSigningConfigs(r -> r.maxItems(100)).codeSigningConfigs()).extracting(c -> c.codeSigningConfigId())
                .contains(defaulted.codeSigningConfigId()).doesNotContain(created.codeSigningConfigId());
    }

    @Test
    void configurationsHaveTags(LambdaClient lambda) {
        String arn = lambda.createCodeSigningConfig(r -> r.allowedPublishers(p -> p.signingProfileVersionArns(PROFILE))
                .tags(Map.of("team", "release"))).codeSigningConfig().codeSigningConfigArn();
        assertThat(lambda.listTags(r -> r.resource(arn)).tags()).isEqualTo(Map.of("team", "release"));
        lambda.tagResource(r -> r.resource(arn).tags(Map.of("env", "prod")));
        lambda.untagResource(r -> r.resource(arn).tagKeys("team"));
        assertThat(lambda.listTags(r -> r.resource(arn)).tags()).isEqualTo(Map.of("env", "prod"));
        assertError(() -> lambda.createCodeSigningConfig(r -> r.allowedPublishers(p -> p.signingProfileVersionArns(PROFILE))
                .tags(Map.of("aws:reserved", "x"))), "InvalidParameterValueException", 400, "Tag keys starting with 'aws:' are reserved for AWS use.");

        lambda.deleteCodeSigningConfig(r -> r.codeSigningConfigArn(arn));
        assertError(() -> lambda.listTags(r -> r.resource(arn)), "ResourceNotFoundException", 404);
    }

    @Test
    void badConfigurationsAreRefused(LambdaClient lambda) {
        int before = lambda.listCodeSigningConfigs(r -> r.maxItems(100)).codeSigningConfigs().size();
        assertError(() -> lambda.createCodeSigningConfig(r -> r.description("none")), "ValidationException", 400,
                "1 validation error detected: Value null at 'allowedPublishers' failed to satisfy constraint: Member must not be null");
        assertError(() -> lambda.createCodeSigningConfig(r -> r.allowedPublishers(p -> p.signingProfileVersionArns(Collections.nCopies(21, PROFILE)))),
                "ValidationException", 400);
        assertError(() -> lambda.createCodeSigningConfig(r -> r.allowedPublishers(p -> p.signingProfileVersionArns("release-profile"))),
                "ValidationException", 400);
        assertError(() -> lambda.createCodeSigningConfig(r -> r.allowedPublishers(p -> p.signingProfileVersionArns(PROFILE))
                        .codeSigningPolicies(c -> c.untrustedArtifactOnDeployment("Block"))), "ValidationException", 400,
                "1 validation error detected: Value 'Block' at 'codeSigningPolicies.untrustedArtifactOnDeployment' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [Enforce, Warn]");
        assertError(() -> lambda.getCodeSigningConfig(r -> r.codeSigningConfigArn("arn:aws:lambda:us-east-1:000000000000:code-signing-config:nope")),
                "ValidationException", 400);
        String tooLong = "d".repeat(257);
        assertError(() -> lambda.createCodeSigningConfig(r -> r.allowedPublishers(p -> p.signingProfileVersionArns(PROFILE)).description(tooLong)),
                "ValidationException", 400, "1 validation error detected: Value '" + tooLong + "' at 'description' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 256");
        assertThat(lambda.listCodeSigningConfigs(r -> r.maxItems(100)).codeSigningConfigs()).hasSize(before);

        // An update with a bad member changes nothing.
        String arn = lambda.createCodeSigningConfig(r -> r.allowedPublishers(p -> p.signingProfileVersionArns(PROFILE)).description("kept"))
                .codeSigningConfig().codeSigningConfigArn();
        assertError(() -> lambda.updateCodeSigningConfig(r -> r.codeSigningConfigArn(arn).description(tooLong)), "ValidationException", 400);
        assertThat(lambda.getCodeSigningConfig(r -> r.codeSigningConfigArn(arn)).codeSigningConfig().description()).isEqualTo("kept");
        lambda.deleteCodeSigningConfig(r -> r.codeSigningConfigArn(arn));
    }

    @Test
    void enforceRefusesUnsignedDeploymentsAndWarnLetsThemThrough(LambdaClient lambda, Stratus stratus) {
        String warn = create(lambda, CodeSigningPolicy.WARN);
        String enforce = create(lambda, CodeSigningPolicy.ENFORCE);

        lambda.createFunction(FunctionZips.request("warned", Runtime.NODEJS20_X, "index.handler", CODE).codeSigningConfigArn(warn).build());
        FunctionStates.awaitActive(lambda, "warned");
        assertThat(lambda.getFunctionCodeSigningConfig(r -> r.functionName("warned")).codeSigningConfigArn()).isEqualTo(warn);
        assertThat(lambda.listFunctionsByCodeSigningConfig(r -> r.codeSigningConfigArn(warn)).functionArns()).containsExactly(FUNCTIONS + "warned");
        assertError(() -> lambda.createFunction(FunctionZips.request("enforced", Runtime.NODEJS20_X, "index.handler", CODE)
                .codeSigningConfigArn(enforce).build()), "CodeVerificationFailedException", 400, REFUSED);
        assertError(() -> lambda.getFunction(r -> r.functionName("enforced")), "ResourceNotFoundException", 404);
        String missing = enforce.substring(0, enforce.length() - 17) + "0".repeat(17);
        assertError(() -> lambda.createFunction(FunctionZips.request("lost", Runtime.NODEJS20_X, "index.handler", CODE)
                        .codeSigningConfigArn(missing).build()), "CodeSigningConfigNotFoundException", 404,
                "The code signing configuration cannot be found. Check that the provided configuration is not deleted: " + missing + ".");
        assertError(() -> lambda.putFunctionCodeSigningConfig(r -> r.functionName("warned").codeSigningConfigArn(missing)),
                "CodeSigningConfigNotFoundException", 404);

        // Attaching Enforce leaves the running code alone; its next deployment is refused.
        var attached = lambda.putFunctionCodeSigningConfig(r -> r.functionName("warned").codeSigningConfigArn(enforce));
        assertThat(attached.codeSigningConfigArn()).isEqualTo(enforce);
        assertThat(attached.functionName()).isEqualTo("warned");
        assertError(() -> lambda.deleteCodeSigningConfig(r -> r.codeSigningConfigArn(enforce)), "ResourceConflictException", 409);

        stratus.restart();

        assertThat(lambda.getFunctionCodeSigningConfig(r -> r.functionName("warned")).codeSigningConfigArn()).isEqualTo(enforce);
        assertThat(lambda.listFunctionsByCodeSigningConfig(r -> r.codeSigningConfigArn(warn)).functionArns()).isEmpty();
        byte[] v2 = FunctionZips.zip(Map.of("index.js", "exports.handler = async () => 'v2';"));
        assertError(() -> lambda.updateFunctionCode(r -> r.functionName("warned").zipFile(SdkBytes.fromByteArray(v2))),
                "CodeVerificationFailedException", 400, REFUSED);
        assertThat(lambda.invoke(r -> r.functionName("warned")).payload().asUtf8String()).isEqualTo("\"v1\"");
        // Layers added to the function are deployed code too.
        String layer = lambda.publishLayerVersion(r -> r.layerName("unsigned-lib")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(FunctionZips.zip(Map.of("nodejs/lib.js", "module.exports = 1;")))))).layerVersionArn();
        assertError(() -> lambda.updateFunctionConfiguration(r -> r.functionName("warned").layers(layer)),
                "CodeVerificationFailedException", 400, REFUSED);
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("warned")).layers()).isEmpty();

        lambda.deleteFunctionCodeSigningConfig(r -> r.functionName("warned"));
        assertThat(lambda.getFunctionCodeSigningConfig(r -> r.functionName("warned")).codeSigningConfigArn()).isEmpty();
        lambda.updateFunctionCode(r -> r.functionName("warned").zipFile(SdkBytes.fromByteArray(v2)));
        FunctionStates.awaitUpdated(lambda, "warned");
        assertThat(lambda.invoke(r -> r.functionName("warned")).payload().asUtf8String()).isEqualTo("\"v2\"");
        lambda.deleteCodeSigningConfig(r -> r.codeSigningConfigArn(enforce));
    }
}
