package io.stratus.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.AwsErrorCode;
import io.stratus.core.AwsException;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** Each protocol's error writer produces exactly AWS's error shape. */
class ErrorShapesTest {

    /** An error whose Query code differs, as SQS's do. */
    enum QueueErrors implements AwsErrorCode {
        QUEUE_DOES_NOT_EXIST;

        @Override
        public String code() {
            return "QueueDoesNotExist";
        }

        @Override
        public int httpStatus() {
            return 400;
        }

        @Override
        public String queryCode() {
            return "AWS.SimpleQueueService.NonExistentQueue";
        }
    }

    private static final AwsException ERROR = new AwsException(QueueErrors.QUEUE_DOES_NOT_EXIST, "The specified queue does not exist.");

    @Test
    void awsJsonErrorHasNamespacedTypeMessageAndQueryCompatibleHeader() {
        HttpResponse response = ProtocolCodec.of(CodecFixtures.awsJson().primaryProtocol()).encodeError(CodecFixtures.awsJson(), ERROR, "req-9");

        assertThat(response.status()).isEqualTo(400);
        assertThat(body(response)).isEqualTo("{\"__type\":\"com.example.jsonsvc#QueueDoesNotExist\",\"message\":\"The specified queue does not exist.\"}");
        assertThat(response.headers()).contains(
                Map.entry("x-amzn-RequestId", "req-9"),
                Map.entry("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"),
                Map.entry("Content-Type", "application/x-amz-json-1.0"));
    }

    @Test
    void awsJsonErrorCarriesStructuredDetailsAndTheCrc32WhenTheServiceAsks() {
        ServiceDefinition service = ServiceDefinition.builder("crcsvc").protocol(Protocol.AWS_JSON_1_0).targetPrefix("Crc_20240101")
                .errorNamespace("com.example.crcsvc").crc32Header().build();
        AwsException error = new AwsException(QueueErrors.QUEUE_DOES_NOT_EXIST, "gone", Map.of(),
                Map.of("Reasons", List.of(new CodecFixtures.Tag("k", "v"))), null);

        HttpResponse response = ProtocolCodec.of(Protocol.AWS_JSON_1_0).encodeError(service, error, "req-9");

        assertThat(body(response)).isEqualTo("{\"__type\":\"com.example.crcsvc#QueueDoesNotExist\",\"message\":\"gone\",\"Reasons\":[{\"Key\":\"k\",\"Value\":\"v\"}]}");
        CRC32 crc = new CRC32();
        crc.update(response.body());
        assertThat(response.headers()).contains(Map.entry("x-amz-crc32", Long.toString(crc.getValue())));
        assertThat(ProtocolCodec.of(Protocol.AWS_JSON_1_0).encodeError(CodecFixtures.awsJson(), error, "req-9").hasHeader("x-amz-crc32")).isFalse();
    }

    @Test
    void awsQueryErrorIsAnErrorResponseWithTheQueryCode() {
        HttpResponse response = ProtocolCodec.of(CodecFixtures.awsQuery().primaryProtocol()).encodeError(CodecFixtures.awsQuery(), ERROR, "req-9");

        assertThat(response.status()).isEqualTo(400);
        assertThat(body(response)).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ErrorResponse xmlns=\"https://querysvc.example.com/doc/2024-01-01/\"><Error><Type>Sender</Type>"
                + "<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message></Error>"
                + "<RequestId>req-9</RequestId></ErrorResponse>");
    }

    @Test
    void restJsonErrorCarriesTheCodeInAHeader() {
        HttpResponse response = ProtocolCodec.of(CodecFixtures.restJson().primaryProtocol()).encodeError(CodecFixtures.restJson(), ERROR, "req-9");

        assertThat(body(response)).isEqualTo("{\"message\":\"The specified queue does not exist.\"}");
        assertThat(response.headers()).contains(Map.entry("x-amzn-ErrorType", "QueueDoesNotExist"), Map.entry("x-amzn-RequestId", "req-9"));
    }

    @Test
    void restXmlErrorIsS3sErrorDocumentWithDetails() {
        AwsException noSuchKey = new AwsException(new AwsErrorCode() {
            @Override
            public String code() {
                return "NoSuchKey";
            }

            @Override
            public int httpStatus() {
                return 404;
            }
        }, "The specified key does not exist.", Map.of("Key", "a<b"), null);

        HttpResponse response = ProtocolCodec.of(CodecFixtures.restXml().primaryProtocol()).encodeError(CodecFixtures.restXml(), noSuchKey, "req-9");

        assertThat(response.status()).isEqualTo(404);
        assertThat(body(response)).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
                + "<Message>The specified key does not exist.</Message><Key>a&lt;b</Key><RequestId>req-9</RequestId><HostId>");
        assertThat(response.headers()).contains(Map.entry("x-amz-request-id", "req-9"));
    }

    @Test
    void serverFaultsAreReceiverFaults() {
        AwsException internal = new AwsException(io.stratus.core.CommonErrors.INTERNAL_FAILURE, "boom");

        HttpResponse response = ProtocolCodec.of(CodecFixtures.awsQuery().primaryProtocol()).encodeError(CodecFixtures.awsQuery(), internal, "r");

        assertThat(response.status()).isEqualTo(500);
        assertThat(body(response)).contains("<Type>Receiver</Type><Code>InternalFailure</Code>");
    }

    private static String body(HttpResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
