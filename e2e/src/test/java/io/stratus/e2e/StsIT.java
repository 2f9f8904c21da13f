package io.stratus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.services.sts.model.Tag;

@StratusTest
class StsIT {

    @Test
    void callerIdentityIsTheDefaultAccountsRoot(StsClient sts) {
        GetCallerIdentityResponse identity = sts.getCallerIdentity();

        assertThat(identity.account()).isEqualTo("000000000000");
        assertThat(identity.arn()).isEqualTo("arn:aws:iam::000000000000:root");
        assertThat(identity.userId()).isEqualTo("000000000000");
    }

    @Test
    void twelveDigitAccessKeySelectsThatAccount(Stratus stratus) {
        try (StsClient sts = stratus.configure(StsClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("123456789012", "test")))
                .build()) {
            assertThat(sts.getCallerIdentity().account()).isEqualTo("123456789012");
        }
    }

    @Test
    void assumedRoleCredentialsActAsTheRoleInItsAccount(Stratus stratus, StsClient sts) {
        AssumeRoleResponse assumed = sts.assumeRole(r -> r.roleArn("arn:aws:iam::111122223333:role/app/deployer").roleSessionName("ci-run"));

        Credentials credentials = assumed.credentials();
        assertThat(credentials.accessKeyId()).startsWith("ASIA").hasSize(20);
        assertThat(credentials.expiration()).isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(assumed.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::111122223333:assumed-role/deployer/ci-run");
        assertThat(assumed.assumedRoleUser().assumedRoleId()).startsWith("AROA").endsWith(":ci-run");

        try (StsClient asRole = stratus.configure(StsClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())))
                .build()) {
            GetCallerIdentityResponse identity = asRole.getCallerIdentity();
            assertThat(identity.account()).isEqualTo("111122223333");
            assertThat(identity.arn()).isEqualTo("arn:aws:sts::111122223333:assumed-role/deployer/ci-run");
            assertThat(identity.userId()).isEqualTo(assumed.assumedRoleUser().assumedRoleId());
        }
        assertThat(sts.getAccessKeyInfo(r -> r.accessKeyId(credentials.accessKeyId())).account()).isEqualTo("111122223333");
    }

    @Test
    void sessionPolicyReportsItsPackedSizeAndIsLimited(StsClient sts) {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";

        AssumeRoleResponse assumed = sts.assumeRole(r -> r.roleArn("arn:aws:iam::000000000000:role/r").roleSessionName("p1").policy(policy));

        assertThat(assumed.packedPolicySize()).isBetween(1, 10);
        String bigPolicy = "{\"Statement\":\"" + "x".repeat(1500) + "\"}";
        List<Tag> tags = IntStream.range(0, 30).mapToObj(i -> Tag.builder().key("k" + i).value("v").build()).toList();
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::000000000000:role/r").roleSessionName("p2")
                .policy(bigPolicy).tags(tags)))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PackedPolicyTooLarge");
                });
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::000000000000:role/r").roleSessionName("p3")
                .policy("{\"Statement\":\"" + "x".repeat(3000) + "\"}")))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
    }

    @Test
    void sessionTokenHonoursDuration(StsClient sts) {
        Credentials credentials = sts.getSessionToken(r -> r.durationSeconds(900)).credentials();

        assertThat(credentials.expiration()).isBetween(Instant.now().plus(Duration.ofMinutes(14)), Instant.now().plus(Duration.ofMinutes(16)));
        assertThat(credentials.secretAccessKey()).isNotBlank();
        assertThat(credentials.sessionToken()).isNotBlank();
    }

    @Test
    void expiredSessionCredentialsAreRefusedNotMovedToAnotherAccount(Stratus stratus, StsClient sts) {
        Credentials credentials = sts.assumeRole(r -> r.roleArn("arn:aws:iam::222233334444:role/short").roleSessionName("brief")
                .durationSeconds(900)).credentials();
        try (StsClient asRole = stratus.configure(StsClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())))
                .build()) {
            stratus.clock().advance(Duration.ofMinutes(16));
            assertThatThrownBy(asRole::getCallerIdentity).isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredToken");
            });
        } finally {
            stratus.clock().reset();
        }
    }

    @Test
    void sessionTokensOfTheRootUserLastAnHourAtMostAndCannotBeChained(Stratus stratus, StsClient sts) {
        Credentials credentials = sts.getSessionToken(r -> r.durationSeconds(7200)).credentials();

        assertThat(credentials.expiration()).isBefore(Instant.now().plus(Duration.ofMinutes(61)));
        try (StsClient session = stratus.configure(StsClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())))
                .build()) {
            assertThatThrownBy(session::getSessionToken).isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            });
        }
    }

    @Test
    void accessKeyInfoOfAPlainKeyIsTheDefaultAccount(StsClient sts) {
        assertThat(sts.getAccessKeyInfo(r -> r.accessKeyId("AKIAIOSFODNN7EXAMPLE")).account()).isEqualTo("000000000000");
    }

    @Test
    void assumeRoleWithoutRoleArnIsAValidationError(StsClient sts) {
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleSessionName("s1")))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("'roleArn'").contains("must not be null");
                    assertThat(e.requestId()).isNotBlank();
                });
    }

    @Test
    void assumeRoleRejectsOutOfRangeDurationAndBadSessionName(StsClient sts) {
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::000000000000:role/r").roleSessionName("ok-name").durationSeconds(899)))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("greater than or equal to 900");
                });
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::000000000000:role/r").roleSessionName("bad name!")))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("not-an-arn-but-long-enough").roleSessionName("ok-name")))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
    }
}
