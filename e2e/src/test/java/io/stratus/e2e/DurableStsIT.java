package io.stratus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/** Acknowledged means durable: credentials STS issued still work after the server restarts. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class DurableStsIT {

    @Test
    void issuedCredentialsSurviveRestart(Stratus stratus, StsClient sts) {
        Credentials credentials = sts.assumeRole(r -> r.roleArn("arn:aws:iam::444455556666:role/worker").roleSessionName("night-shift"))
                .credentials();

        stratus.restart();

        try (StsClient asRole = stratus.configure(StsClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())))
                .build()) {
            assertThat(asRole.getCallerIdentity().arn()).isEqualTo("arn:aws:sts::444455556666:assumed-role/worker/night-shift");
        }
    }
}
