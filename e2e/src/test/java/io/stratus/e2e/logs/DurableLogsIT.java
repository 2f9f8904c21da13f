package io.stratus.e2e.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/** Logs on the durable store: acknowledged events survive a restart, and retention removes old ones. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class DurableLogsIT {

    @Test
    void eventsSurviveARestartAndExpireWithTheirGroupsRetention(CloudWatchLogsClient logs, Stratus stratus) throws InterruptedException {
        logs.createLogGroup(r -> r.logGroupName("durable"));
        logs.createLogStream(r -> r.logGroupName("durable").logStreamName("s"));
        long now = stratus.clock().millis();
        logs.putLogEvents(r -> r.logGroupName("durable").logStreamName("s").logEvents(
                InputLogEvent.builder().timestamp(now - 1000).message("kept").build()));

        stratus.restart();

        assertThat(logs.getLogEvents(r -> r.logGroupName("durable").logStreamName("s")).events())
                .extracting(OutputLogEvent::message).containsExactly("kept");

        logs.putRetentionPolicy(r -> r.logGroupName("durable").retentionInDays(1));
        stratus.clock().advance(Duration.ofDays(2));
        logs.putLogEvents(r -> r.logGroupName("durable").logStreamName("s").logEvents(
                InputLogEvent.builder().timestamp(stratus.clock().millis()).message("fresh").build()));
        stratus.restart(); // the sweeper passes once as the service starts

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (logs.getLogEvents(r -> r.logGroupName("durable").logStreamName("s").startFromHead(true)).events().size() > 1
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(logs.getLogEvents(r -> r.logGroupName("durable").logStreamName("s").startFromHead(true)).events())
                .extracting(OutputLogEvent::message).containsExactly("fresh");
        // What expired no longer counts as stored.
        assertThat(logs.describeLogStreams(r -> r.logGroupName("durable")).logStreams().getFirst().storedBytes()).isEqualTo("fresh".length());
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix("durable")).logGroups().getFirst().storedBytes()).isEqualTo("fresh".length());
    }
}
