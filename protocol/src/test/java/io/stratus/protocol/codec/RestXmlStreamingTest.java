package io.stratus.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** restXml's streamed payloads (S3 GetObject), 405 for a resource's other methods, and path-prefixed requests. */
class RestXmlStreamingTest {

    record Read(@HttpLabel("Bucket") String bucket, @HttpLabel("Key") String key) {}

    record Body(@HttpHeader("Content-Length") Long length, @HttpHeader("ETag") String etag, @HttpPayload InputStream body) {}

    private static final byte[] CONTENT = "streamed body".getBytes(StandardCharsets.UTF_8);

    private static final ServiceDefinition SERVICE = ServiceDefinition.builder("objects")
            .protocol(Protocol.REST_XML)
            .operation("GetObject", "GET", "/{Bucket}/{Key+}", 200, Read.class,
                    (context, read) -> new Body((long) CONTENT.length, "\"" + read.bucket() + "/" + read.key() + "\"", new ByteArrayInputStream(CONTENT)))
            .build();

    private static final RequestContext CONTEXT = new RequestContext("req-1", "000000000000", "us-east-1", null, Principal.root("000000000000"), Instant.EPOCH);

    private static HttpResponse call(HttpRequest request) {
        ProtocolCodec codec = ProtocolCodec.of(Protocol.REST_XML);
        DecodedRequest decoded = codec.decode(SERVICE, request);
        return codec.encode(SERVICE, decoded.operation(), decoded.operation().invoke(CONTEXT, decoded.input()), "req-1");
    }

    @Test
    void anInputStreamPayloadIsStreamedWithItsContentLength() throws Exception {
        HttpResponse response = call(HttpRequest.of("GET", "/b/k", Map.of(), new byte[0]));

        assertThat(response.stream()).isNotNull();
        assertThat(response.bodyLength()).isEqualTo(CONTENT.length);
        assertThat(response.body()).isEmpty();
        assertThat(response.stream().readAllBytes()).isEqualTo(CONTENT);
        assertThat(response.headers()).contains(Map.entry("ETag", "\"b/k\""), Map.entry("Content-Length", "13"));
    }

    @Test
    void anotherMethodOnAKnownResourceIsMethodNotAllowed() {
        assertThatThrownBy(() -> call(HttpRequest.of("PATCH", "/b/k", Map.of(), new byte[0])))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(CommonErrors.METHOD_NOT_ALLOWED);
                    assertThat(e.details()).containsEntry("Method", "PATCH").containsEntry("ResourceType", "OBJECT");
                });
        assertThatThrownBy(() -> call(HttpRequest.of("GET", "/only-a-bucket", Map.of(), new byte[0])))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(CommonErrors.UNKNOWN_OPERATION));
    }

    @Test
    void aPathPrefixMakesAVirtualHostedRequestPathStyle() {
        HttpRequest request = HttpRequest.of("GET", "/dir/key.txt?x=1", Map.of("Host", List.of("bucket.s3.localhost")), new byte[0]);

        assertThat(request.withPathPrefix("/bucket").rawPath()).isEqualTo("/bucket/dir/key.txt");
        assertThat(request.withPathPrefix("/bucket").rawQuery()).isEqualTo("x=1");
        assertThat(HttpRequest.of("GET", "/", Map.of(), new byte[0]).withPathPrefix("/bucket").rawPath()).isEqualTo("/bucket");
        assertThat(call(request.withPathPrefix("/bucket")).headers()).contains(Map.entry("ETag", "\"bucket/dir/key.txt\""));
    }
}
