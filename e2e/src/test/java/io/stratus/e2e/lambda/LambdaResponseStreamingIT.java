package io.stratus.e2e.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamCompleteEvent;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamResponse;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Response streaming: Node.js handlers wrapped in {@code awslambda.streamifyResponse},
 * InvokeWithResponseStream through the SDK's event stream, and function URLs in
 * {@code RESPONSE_STREAM} mode.
 */
@StratusTest
class LambdaResponseStreamingIT {

    private static final String NODE_STREAMER = """
            exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
              if (event.rawPath === '/broken') {
                // An HTTP integration response without its prelude.
                responseStream.setContentType('application/vnd.awslambda.http-integration-response');
                responseStream.end('no prelude here');
                return;
              }
              if (event.http) {
                responseStream = awslambda.HttpResponseStream.from(responseStream,
                    { statusCode: 201, headers: { 'x-custom': 'yes', 'Content-Type': 'text/plain' }, cookies: ['a=b'] });
                responseStream.write('streamed ');
                responseStream.end('body');
                return;
              }
              responseStream.setContentType('text/plain');
              responseStream.write('Hello, ');
              await new Promise((resolve) => setTimeout(resolve, 10));
              responseStream.write(event.name || 'world');
              if (event.fail) {
                throw Object.assign(new Error('the stream broke'), { name: 'StreamBroke' });
              }
              if (event.crash) {
                // Outside the handler's promise: the process ends, as on AWS.
                setTimeout(() => { throw Object.assign(new Error('the process broke'), { name: 'ProcessBroke' }); }, 5);
                return new Promise(() => {});
              }
              if (event.hang) {
                return new Promise(() => {});
              }
              if (event.big) {
                responseStream.write(Buffer.alloc(7 * 1024 * 1024, 'a'));
              }
              responseStream.end();
            });
            """;

    /** What InvokeWithResponseStream delivered: the response, the chunks' bytes and the completion event. */
    private record Streamed(InvokeWithResponseStreamResponse response, byte[] payload, int chunks, InvokeWithResponseStreamCompleteEvent complete) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private static Streamed stream(LambdaAsyncClient lambda, String function, String payload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<InvokeWithResponseStreamCompleteEvent> completes = new ArrayList<>();
        int[] chunks = {0};
        InvokeWithResponseStreamResponse[] response = {null};
        InvokeWithResponseStreamResponseHandler handler = InvokeWithResponseStreamResponseHandler.builder()
                .onResponse(r -> response[0] = r)
                .subscriber(InvokeWithResponseStreamResponseHandler.Visitor.builder()
                        .onPayloadChunk(chunk -> {
                            chunks[0]++;
                            bytes.writeBytes(chunk.payload().asByteArray());
                        })
                        .onInvokeComplete(completes::add)
                        .build())
                .build();
        lambda.invokeWithResponseStream(r -> r.functionName(function).payload(SdkBytes.fromUtf8String(payload)).logType(LogType.TAIL), handler)
                .join();
        assertThat(completes).hasSize(1);
        return new Streamed(response[0], bytes.toByteArray(), chunks[0], completes.get(0));
    }

    @Test
    void aStreamingHandlersResponseArrivesThroughInvokeWithResponseStreamAndInvoke(LambdaClient lambda, Stratus stratus) {
        FunctionZips.create(lambda, "streamer", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_STREAMER));
        FunctionStates.awaitActive(lambda, "streamer");
        try (LambdaAsyncClient async = stratus.configure(LambdaAsyncClient.builder()).build()) {
            Streamed streamed = stream(async, "streamer", "{\"name\":\"stream\"}");
            assertThat(streamed.text()).isEqualTo("Hello, stream");
            assertThat(streamed.response().statusCode()).isEqualTo(200);
            assertThat(streamed.response().executedVersion()).isEqualTo("$LATEST");
            assertThat(streamed.response().responseStreamContentType()).isEqualTo("text/plain");
            assertThat(streamed.complete().errorCode()).isNull();
            assertThat(new String(java.util.Base64.getDecoder().decode(streamed.complete().logResult()), StandardCharsets.UTF_8))
                    .contains("START RequestId:").contains("REPORT RequestId:");

            // An error midway: what was streamed arrives, then the completion names the error.
            Streamed broken = stream(async, "streamer", "{\"fail\":true}");
            assertThat(broken.text()).isEqualTo("Hello, world");
            assertThat(broken.complete().errorCode()).isEqualTo("StreamBroke");
            assertThat(broken.complete().errorDetails()).isEqualTo("the stream broke");

            // A stream is not held to the 6 MB of a buffered response.
            Streamed big = stream(async, "streamer", "{\"big\":true}");
            assertThat(big.payload()).hasSize(7 * 1024 * 1024 + "Hello, world".length());
            assertThat(big.complete().errorCode()).isNull();

            // A crash midway ends the stream with the error; the next invocation gets a new environment.
            Streamed crashed = stream(async, "streamer", "{\"crash\":true}");
            assertThat(crashed.text()).isEqualTo("Hello, world");
            assertThat(crashed.complete().errorCode()).isEqualTo("ProcessBroke");
            assertThat(stream(async, "streamer", "{}").text()).isEqualTo("Hello, world");

            // A timeout midway: what was streamed arrives, then the completion names the timeout.
            lambda.updateFunctionConfiguration(r -> r.functionName("streamer").timeout(1));
            FunctionStates.awaitUpdated(lambda, "streamer");
            Streamed timedOut = stream(async, "streamer", "{\"hang\":true}");
            assertThat(timedOut.text()).isEqualTo("Hello, world");
            assertThat(timedOut.complete().errorCode()).isEqualTo("Sandbox.Timedout");
            assertThat(timedOut.complete().errorDetails()).endsWith("Task timed out after 1.00 seconds");
            lambda.updateFunctionConfiguration(r -> r.functionName("streamer").timeout(10));
            FunctionStates.awaitUpdated(lambda, "streamer");

            assertThatThrownBy(() -> async.invokeWithResponseStream(r -> r.functionName("streamer").invocationType("Event"),
                    InvokeWithResponseStreamResponseHandler.builder().subscriber(e -> {}).build()).join())
                    .isInstanceOf(CompletionException.class).cause().isInstanceOfSatisfying(LambdaException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("Member must satisfy enum value set: [RequestResponse, DryRun]");
                    });
        }

        // Invoke waits for the whole stream, and holds it to the limit of a buffered response.
        InvokeResponse tooLarge = lambda.invoke(r -> r.functionName("streamer").payload(SdkBytes.fromUtf8String("{\"big\":true}")));
        assertThat(tooLarge.functionError()).isEqualTo("Unhandled");
        assertThat(tooLarge.payload().asUtf8String()).isEqualTo("{\"errorType\":\"Function.ResponseSizeTooLarge\","
                + "\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (6291556 bytes).\"}");
        InvokeResponse buffered = lambda.invoke(r -> r.functionName("streamer").payload(SdkBytes.fromUtf8String("{}")));
        assertThat(buffered.functionError()).isNull();
        assertThat(buffered.payload().asUtf8String()).isEqualTo("Hello, world");
        InvokeResponse failed = lambda.invoke(r -> r.functionName("streamer").payload(SdkBytes.fromUtf8String("{\"fail\":true}")));
        assertThat(failed.functionError()).isEqualTo("Unhandled");
        assertThat(failed.payload().asUtf8String()).contains("\"errorType\":\"StreamBroke\"").contains("\"errorMessage\":\"the stream broke\"");
    }

    @Test
    void aFunctionThatDoesNotStreamAnswersInOneChunk(LambdaClient lambda, Stratus stratus) {
        FunctionZips.create(lambda, "plain", Runtime.PYTHON3_12, "app.handler",
                Map.of("app.py", "def handler(event, context):\n    if event.get('fail'):\n        raise ValueError('nope')\n    return {'ok': True}\n"));
        FunctionStates.awaitActive(lambda, "plain");
        try (LambdaAsyncClient async = stratus.configure(LambdaAsyncClient.builder()).build()) {
            Streamed streamed = stream(async, "plain", "{}");
            assertThat(streamed.chunks()).isEqualTo(1);
            assertThat(streamed.text()).isEqualTo("{\"ok\": true}");
            assertThat(streamed.response().responseStreamContentType()).isEqualTo("application/json");
            assertThat(streamed.complete().errorCode()).isNull();

            Streamed failed = stream(async, "plain", "{\"fail\":true}");
            assertThat(failed.chunks()).isZero();
            assertThat(failed.complete().errorCode()).isEqualTo("ValueError");
            assertThat(failed.complete().errorDetails()).isEqualTo("nope");
        }
    }

    @Test
    void aResponseStreamUrlAnswersWithThePreludesStatusHeadersAndCookies(LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "url-streamer", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_STREAMER.replace(
                "if (event.http)", "if (event.requestContext)")));
        FunctionStates.awaitActive(lambda, "url-streamer");
        String url = lambda.createFunctionUrlConfig(r -> r.functionName("url-streamer").authType(FunctionUrlAuthType.NONE)
                .invokeMode("RESPONSE_STREAM")).functionUrl();
        FunctionUrlIT.allowPublic(lambda, "url-streamer", null);
        assertThat(lambda.getFunctionUrlConfig(r -> r.functionName("url-streamer")).invokeModeAsString()).isEqualTo("RESPONSE_STREAM");

        HttpResponse<String> response = FunctionUrlIT.call(stratus, FunctionUrlIT.urlId(url), "GET", "/", null);
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("x-custom")).contains("yes");
        assertThat(response.headers().firstValue("content-type")).contains("text/plain");
        assertThat(response.headers().allValues("set-cookie")).containsExactly("a=b");
        assertThat(response.body()).isEqualTo("streamed body");

        // A stream that claims a prelude and has none is no response: 502, as function URLs answer a function error.
        HttpResponse<String> broken = FunctionUrlIT.call(stratus, FunctionUrlIT.urlId(url), "GET", "/broken", null);
        assertThat(broken.statusCode()).isEqualTo(502);
        assertThat(broken.body()).isEqualTo("Internal Server Error");
        assertThat(FunctionUrlIT.call(stratus, FunctionUrlIT.urlId(url), "GET", "/", null).statusCode()).as("the URL goes on").isEqualTo(201);
    }

    /**
     * Writes {@code first;}, then waits (at most 20 s) for the file named by {@code gate} that the
     * test creates only once {@code first;} reached it, then writes the rest: a response held back
     * until the function ends would end in "the gate never opened".
     */
    private static final String NODE_GATED = """
            const fs = require('fs');
            exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
              const gate = event.gate || (event.queryStringParameters || {}).gate;
              let out = responseStream;
              if (event.requestContext) {
                out = awslambda.HttpResponseStream.from(responseStream, { statusCode: 200, headers: { 'Content-Type': 'text/plain' } });
              } else {
                responseStream.setContentType('text/plain');
              }
              out.write('first;');
              const deadline = Date.now() + 20000;
              while (!fs.existsSync(gate) && Date.now() < deadline) {
                await new Promise((resolve) => setTimeout(resolve, 20));
              }
              out.end(fs.existsSync(gate) ? 'second' : 'the gate never opened');
            });
            """;

    @Test
    void aStreamReachesItsReaderAsTheFunctionWritesIt(LambdaClient lambda, Stratus stratus, @TempDir Path gates) throws Exception {
        lambda.createFunction(FunctionZips.request("gated", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_GATED)).timeout(30).build());
        FunctionStates.awaitActive(lambda, "gated");

        // InvokeWithResponseStream: the first chunk arrives while the function still waits for it to arrive.
        Path gate = gates.resolve("invoke");
        StringBuilder text = new StringBuilder();
        InvokeWithResponseStreamResponseHandler handler = InvokeWithResponseStreamResponseHandler.builder()
                .subscriber(InvokeWithResponseStreamResponseHandler.Visitor.builder()
                        .onPayloadChunk(chunk -> {
                            text.append(chunk.payload().asUtf8String());
                            if (text.toString().startsWith("first;")) {
                                touch(gate);
                            }
                        })
                        .build())
                .build();
        try (LambdaAsyncClient async = stratus.configure(LambdaAsyncClient.builder()).build()) {
            async.invokeWithResponseStream(r -> r.functionName("gated").payload(SdkBytes.fromUtf8String("{\"gate\":\"" + gate + "\"}")), handler)
                    .join();
        }
        assertThat(text).hasToString("first;second");

        // A RESPONSE_STREAM function URL: the body is sent chunked, as it is written.
        String url = lambda.createFunctionUrlConfig(r -> r.functionName("gated").authType(FunctionUrlAuthType.NONE).invokeMode("RESPONSE_STREAM"))
                .functionUrl();
        FunctionUrlIT.allowPublic(lambda, "gated", null);
        Path urlGate = gates.resolve("url");
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(stratus.endpoint() + "/_aws/lambda-url/"
                + FunctionUrlIT.urlId(url) + "/?gate=" + java.net.URLEncoder.encode(urlGate.toString(), StandardCharsets.UTF_8))).build();
        HttpResponse<java.io.InputStream> response = java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("transfer-encoding")).contains("chunked");
        try (java.io.InputStream body = response.body()) {
            assertThat(new String(body.readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("first;");
            touch(urlGate);
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second");
        }
    }

    private static void touch(Path file) {
        try {
            Files.writeString(file, "open");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
