package io.stratus.e2e.dynamodb;

import static io.stratus.e2e.dynamodb.Tables.key;
import static io.stratus.e2e.dynamodb.Tables.n;
import static io.stratus.e2e.dynamodb.Tables.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** Time to live: expired items are swept by the server's clock, others stay. */
@StratusTest
class TtlIT {

    @Test
    void expiredItemsAreDeletedWhenTheClockPassesTheirTime(Stratus stratus, DynamoDbClient dynamo) throws Exception {
        Tables.create(dynamo, "ttl", null);
        dynamo.updateTimeToLive(r -> r.tableName("ttl").timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        long now = stratus.clock().instant().getEpochSecond();
        dynamo.putItem(r -> r.tableName("ttl").item(Map.of("pk", s("soon"), "expires", n(Long.toString(now + 60)))));
        dynamo.putItem(r -> r.tableName("ttl").item(Map.of("pk", s("later"), "expires", n(Long.toString(now + 3600)))));
        dynamo.putItem(r -> r.tableName("ttl").item(Map.of("pk", s("text"), "expires", s("not a number"))));

        assertThat(dynamo.describeTimeToLive(r -> r.tableName("ttl")).timeToLiveDescription().timeToLiveStatus())
                .isEqualTo(TimeToLiveStatus.ENABLED);
        stratus.clock().advance(Duration.ofMinutes(2));

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (dynamo.getItem(r -> r.tableName("ttl").key(key("soon"))).hasItem() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(dynamo.getItem(r -> r.tableName("ttl").key(key("soon"))).hasItem()).isFalse();
        assertThat(dynamo.getItem(r -> r.tableName("ttl").key(key("later"))).hasItem()).isTrue();
        assertThat(dynamo.getItem(r -> r.tableName("ttl").key(key("text"))).hasItem()).isTrue();
    }

    @Test
    void enablingTtlCoversItemsWrittenBefore(Stratus stratus, DynamoDbClient dynamo) throws Exception {
        Tables.create(dynamo, "ttl-late", null);
        long now = stratus.clock().instant().getEpochSecond();
        dynamo.putItem(r -> r.tableName("ttl-late").item(Map.of("pk", s("old"), "expires", n(Long.toString(now - 10)))));
        dynamo.putItem(r -> r.tableName("ttl-late").item(Map.of("pk", s("ancient"), "expires", n(Long.toString(now - 6L * 366 * 86400)))));

        dynamo.updateTimeToLive(r -> r.tableName("ttl-late").timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (dynamo.getItem(r -> r.tableName("ttl-late").key(key("old"))).hasItem() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(dynamo.getItem(r -> r.tableName("ttl-late").key(key("old"))).hasItem()).isFalse();
        assertThat(dynamo.getItem(r -> r.tableName("ttl-late").key(key("ancient"))).hasItem()).as("more than five years past").isTrue();
    }

    @Test
    void enablingTwiceIsAValidationError(DynamoDbClient dynamo) {
        Tables.create(dynamo, "ttl-twice", null);
        dynamo.updateTimeToLive(r -> r.tableName("ttl-twice").timeToLiveSpecification(t -> t.enabled(true).attributeName("e")));

        assertThatThrownBy(() -> dynamo.updateTimeToLive(r -> r.tableName("ttl-twice").timeToLiveSpecification(t -> t.enabled(true).attributeName("e"))))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("TimeToLive is already enabled"));
        dynamo.updateTimeToLive(r -> r.tableName("ttl-twice").timeToLiveSpecification(t -> t.enabled(false).attributeName("e")));
        assertThat(dynamo.describeTimeToLive(r -> r.tableName("ttl-twice")).timeToLiveDescription().timeToLiveStatus())
                .isEqualTo(TimeToLiveStatus.DISABLED);
    }
}
