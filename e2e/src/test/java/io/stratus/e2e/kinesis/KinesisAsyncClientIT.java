package io.stratus.e2e.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

/**
 * The Java SDK's asynchronous Kinesis client, which speaks HTTP/2 by default (in cleartext, by prior
 * knowledge): many requests at once over one connection's streams, and over HTTP/1.1 when asked.
 */
@StratusTest
class KinesisAsyncClientIT {

    @Test
    void theDefaultClientSpeaksHttp2(Stratus stratus) throws Exception {
        KinesisAsyncClient kinesis = stratus.client(KinesisAsyncClient.builder());
        kinesis.createStream(r -> r.streamName("async-h2").shardCount(1)).get(20, TimeUnit.SECONDS);
        List<CompletableFuture<PutRecordResponse>> puts = IntStream.range(0, 50)
                .mapToObj(i -> kinesis.putRecord(r -> r.streamName("async-h2").partitionKey("k" + i).data(SdkBytes.fromUtf8String("x" + i))))
                .toList();
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        String iterator = kinesis.getShardIterator(r -> r.streamName("async-h2").shardId("shardId-000000000000").shardIteratorType("TRIM_HORIZON"))
                .get(20, TimeUnit.SECONDS).shardIterator();
        assertThat(kinesis.getRecords(r -> r.shardIterator(iterator)).get(20, TimeUnit.SECONDS).records()).hasSize(50);
        // An error travels on its stream too.
        assertThat(kinesis.describeStream(r -> r.streamName("missing")).handle((ok, failure) -> failure).get(20, TimeUnit.SECONDS))
                .hasMessageContaining("ResourceNotFoundException");
    }

    @Test
    void theClientWorksOverHttp11(Stratus stratus) throws Exception {
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
