package io.stratus.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Targets;
import io.stratus.core.spi.Topics;
import io.stratus.storage.MemoryStore;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Topics SPI's access check: the default policy lets no service publish; a policy allowing one, with conditions, does. */
class TopicAccessTest {

    private static final Arn TOPIC = Arn.of("sns", "us-east-1", "000000000000", "guarded");
    private static final ServiceCaller BUCKET = new ServiceCaller("s3.amazonaws.com", "arn:aws:s3:::uploads", "000000000000");
    private static final ServiceCaller OTHER_BUCKET = new ServiceCaller("s3.amazonaws.com", "arn:aws:s3:::elsewhere", "000000000000");

    private static final Targets NOWHERE = new Targets() {
        @Override
        public boolean exists(Arn target) {
            return false;
        }

        @Override
        public boolean allows(Arn target, ServiceCaller caller) {
            return false;
        }

        @Override
        public void deliver(Arn target, byte[] payload, Options options) {}
    };

    private static void topic(MemoryStore store, Map<String, String> attributes) {
        store.transaction(txn -> {
            SnsStore.write(txn, new Topic(TOPIC.accountId(), TOPIC.region(), TOPIC.resource(), attributes, Map.of(), 0, 0));
            return null;
        });
    }

    @Test
    void theDefaultPolicyLetsNoServicePublish() {
        try (MemoryStore store = new MemoryStore();
                SnsService sns = new SnsService(store, new MovableClock(), URI.create("http://localhost"), NOWHERE, Duration.ofMillis(10))) {
            topic(store, Map.of());
            Topics topics = sns.topics();
            assertThat(topics.exists(TOPIC)).isTrue();
            assertThat(topics.exists(Arn.of("sns", "us-east-1", "000000000000", "absent"))).isFalse();
            assertThat(topics.allows(TOPIC, BUCKET)).isFalse();
            assertThatThrownBy(() -> topics.publish(TOPIC, Topics.Message.of("x"), BUCKET)).isInstanceOfSatisfying(AwsException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(SnsErrors.AUTHORIZATION_ERROR));
            // As the topic's own account, no policy is needed.
            assertThat(topics.publish(TOPIC, Topics.Message.of("x"))).isNotBlank();
            assertThatThrownBy(() -> topics.publish(Arn.of("sns", "us-east-1", "000000000000", "absent"), Topics.Message.of("x")))
                    .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(SnsErrors.NOT_FOUND));
        }
    }

    @Test
    void aPolicyAllowingAServiceForOneSourceLetsOnlyThatSourcePublish() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},"
                + "\"Action\":\"SNS:Publish\",\"Resource\":\"" + TOPIC + "\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:*:*:uploads\"},"
                + "\"StringEquals\":{\"aws:SourceAccount\":\"000000000000\"}}}]}";
        try (MemoryStore store = new MemoryStore();
                SnsService sns = new SnsService(store, new MovableClock(), URI.create("http://localhost"), NOWHERE, Duration.ofMillis(10))) {
            topic(store, Map.of(TopicAttributes.POLICY, policy));
            assertThat(sns.topics().allows(TOPIC, BUCKET)).isTrue();
            assertThat(sns.topics().allows(TOPIC, OTHER_BUCKET)).isFalse();
            assertThat(sns.topics().publish(TOPIC, Topics.Message.of("x"), BUCKET)).isNotBlank();
        }
    }
}
