package io.stratus.e2e.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/** The Java SDK's asynchronous Kinesis client, as docs/kinesis.md says to build it: over HTTP/1.1 (its default is HTTP/2). */
@StratusTest
class KinesisAsyncClientIT {

    @Test
    void theAsyncClientWorksOverHttp11(Stratus stratus) throws Exception {
        KinesisAsyncClient kinesis = stratus.client(KinesisAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)));
        kinesis.createStream(r -> r.streamName("async").shardCount(1)).get(20, TimeUnit.SECONDS);
        var put = kinesis.putRecord(r -> r.streamName("async").partitionKey("k").data(SdkBytes.fromUtf8String("x"))).get(20, TimeUnit.SECONDS);
        assertThat(put.shardId()).isEqualTo("shardId-000000000000");
        String iterator = kinesis.getShardIterator(r -> r.streamName("async").shardId(put.shardId()).shardIteratorType("TRIM_HORIZON"))
                .get(20, TimeUnit.SECONDS).shardIterator();
        assertThat(kinesis.getRecords(r -> r.shardIterator(iterator)).get(20, TimeUnit.SECONDS).records()).hasSize(1);
    }
}
