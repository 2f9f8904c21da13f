package io.stratus.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** awsJson1_1 in CBOR, as the AWS SDKs write it: timestamps tagged epoch milliseconds, blobs byte strings; answers and errors in CBOR. */
class AwsCborCodecTest {

    private static final CBORMapper CBOR = new CBORMapper();
    private static final ServiceDefinition SERVICE = ServiceDefinition.builder("cborsvc")
            .protocol(Protocol.AWS_JSON_1_1)
            .protocol(Protocol.AWS_CBOR_1_1)
            .targetPrefix("Cbor_20240101")
            .operation("Echo", CodecFixtures.Everything.class, (context, input) -> input)
            .build();
    private static final ProtocolCodec CODEC = ProtocolCodec.of(Protocol.AWS_CBOR_1_1);

    private static HttpRequest request(String contentType, byte[] body) {
        return HttpRequest.of("POST", "/", Map.of("X-Amz-Target", List.of("Cbor_20240101.Echo"), "Content-Type", List.of(contentType)), body);
    }

    /** What an SDK sends: a map with a text, a tag-1 timestamp in milliseconds and a byte string. */
    private static byte[] sdkBody() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator generator = new CBORFactory().createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringField("Name", "cbor");
            generator.writeFieldName("When");
            generator.writeTag(1);
            generator.writeNumber(1_700_000_000_123L);
            generator.writeFieldName("Blob");
            generator.writeBinary(new byte[] {0, 1, (byte) 255});
            generator.writeEndObject();
        }
        return out.toByteArray();
    }

    @Test
    void readsAndAnswersInCbor() throws IOException {
        DecodedRequest decoded = CODEC.decode(SERVICE, request("application/x-amz-cbor-1.1", sdkBody()));
        CodecFixtures.Everything input = (CodecFixtures.Everything) decoded.input();
        assertThat(input.name()).isEqualTo("cbor");
        assertThat(input.when()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(input.blob()).containsExactly(0, 1, 255);

        HttpResponse response = CODEC.encode(SERVICE, decoded.operation(), decoded.operation().invoke(null, input), "req-1");
        assertThat(response.headers()).contains(Map.entry("Content-Type", "application/x-amz-cbor-1.1"));
        JsonNode answer = CBOR.readTree(response.body());
        assertThat(answer.get("Name").asText()).isEqualTo("cbor");
        assertThat(answer.get("When").asLong()).isEqualTo(1_700_000_000_123L);
        assertThat(answer.get("Blob").binaryValue()).containsExactly(0, 1, 255);
    }

    @Test
    void errorsAreCborToo() throws IOException {
        HttpResponse response = CODEC.encodeError(SERVICE, AwsException.of(CommonErrors.VALIDATION, "bad"), "req-2");
        assertThat(response.status()).isEqualTo(400);
        JsonNode error = CBOR.readTree(response.body());
        assertThat(error.get("__type").asText()).isEqualTo("ValidationException");
        assertThat(error.get("message").asText()).isEqualTo("bad");
        assertThat(response.headers()).contains(Map.entry("Content-Type", "application/x-amz-cbor-1.1"));
    }

    @Test
    void malformedCborAndJsonSentAsCborAreRefused() {
        assertThatThrownBy(() -> CODEC.decode(SERVICE, request("application/x-amz-cbor-1.1", new byte[] {(byte) 0xff, 0x00})))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode().code()).isEqualTo("SerializationException"));
        assertThatThrownBy(() -> CODEC.decode(SERVICE, request("application/x-amz-json-1.1", "{}".getBytes())))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode().code()).isEqualTo("UnknownOperationException"));
    }
}
