package io.stratus.e2e.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.e2e.RawHttp;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The invoke URLs of APIs, before any API is involved: what an unknown API id answers. */
@StratusTest
class InvokeUrlIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anUnknownApiIsNotFoundInBothUrlForms(Stratus stratus) throws Exception {
        HttpResponse<String> byPath = HTTP.send(HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/_aws/execute-api/nosuchapi1/prod/items")).build(),
                HttpResponse.BodyHandlers.ofString());
        String byHost;
        try (RawHttp http = new RawHttp(stratus.port())) {
            byHost = http.send("GET /prod/items HTTP/1.1\r\nHost: nosuchapi1.execute-api.localhost:" + stratus.port() + "\r\n\r\n").readResponse();
        }

        assertThat(byPath.statusCode()).isEqualTo(404);
        assertThat(byPath.body()).isEqualTo("{\"message\":\"Not Found\"}");
        assertThat(byPath.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(byHost).startsWith("HTTP/1.1 404").endsWith("{\"message\":\"Not Found\"}");
    }
}
