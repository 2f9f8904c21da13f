package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.e2e.RawHttp;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetBucketWebsiteResponse;
import software.amazon.awssdk.services.s3.model.Protocol;

/**
 * Static website hosting: the website configuration through the SDK, and the website endpoint
 * answering anonymous browsers as S3's does — index and error documents, redirects, routing rules,
 * and only what the bucket policy makes public.
 */
@StratusTest
class WebsiteIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private static HttpResponse<String> get(Stratus stratus, String bucket, String path) throws Exception {
        return send(stratus, bucket, "GET", path);
    }

    private static HttpResponse<String> send(Stratus stratus, String bucket, String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(stratus.endpoint().resolve("/_aws/s3-website/" + bucket + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void html(S3Client s3, String bucket, String key, String body) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/html"), RequestBody.fromString(body));
    }

    /** Makes the bucket public for reading (and, with {@code list}, listing), as a static site's must be. */
    private static void makePublic(S3Client s3, String bucket, boolean list) {
        s3.deletePublicAccessBlock(b -> b.bucket(bucket));
        String listing = list ? ",{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::" + bucket + "\"}" : "";
        s3.putBucketPolicy(b -> b.bucket(bucket).policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + bucket + "/*\"}" + listing + "]}"));
    }

    @Test
    void theConfigurationIsCheckedStoredAndRemoved(S3Client s3) {
        s3.createBucket(b -> b.bucket("site-config"));
        assertS3Error(() -> s3.getBucketWebsite(b -> b.bucket("site-config")), 404, "NoSuchWebsiteConfiguration");
        assertS3Error(() -> s3.putBucketWebsite(b -> b.bucket("site-config").websiteConfiguration(w -> w.errorDocument(e -> e.key("e.html")))),
                400, "InvalidArgument");
        assertS3Error(() -> s3.putBucketWebsite(b -> b.bucket("site-config").websiteConfiguration(w -> w.indexDocument(i -> i.suffix("a/index.html")))),
                400, "InvalidArgument");
        assertS3Error(() -> s3.putBucketWebsite(b -> b.bucket("site-config").websiteConfiguration(w -> w.indexDocument(i -> i.suffix("index.html"))
                .redirectAllRequestsTo(r -> r.hostName("example.com")))), 400, "InvalidRequest");

        assertS3Error(() -> s3.putBucketWebsite(b -> b.bucket("site-config").websiteConfiguration(w -> w.indexDocument(i -> i.suffix("index.html"))
                .routingRules(r -> r.redirect(d -> d.replaceKeyWith("a").replaceKeyPrefixWith("b"))))), 400, "InvalidRequest");
        assertS3Error(() -> s3.putBucketWebsite(b -> b.bucket("site-config").websiteConfiguration(w -> w.indexDocument(i -> i.suffix("index.html"))
                .routingRules(r -> r.condition(c -> c.httpErrorCodeReturnedEquals("200")).redirect(d -> d.hostName("h"))))), 400, "InvalidArgument");
        assertS3Error(() -> s3.putBucketWebsite(b -> b.bucket("site-config").websiteConfiguration(w -> w.indexDocument(i -> i.suffix("index.html"))
                .routingRules(r -> r.redirect(d -> d.hostName("h").httpRedirectCode("200"))))), 400, "InvalidArgument");
        assertS3Error(() -> s3.putBucketWebsite(b -> b.bucket("site-config").websiteConfiguration(w -> w.indexDocument(i -> i.suffix("index.html"))
                .routingRules(r -> r.redirect(d -> d.hostName("h").protocol("gopher"))))), 400, "InvalidRequest");

        s3.putBucketWebsite(b -> b.bucket("site-config").websiteConfiguration(w -> w.indexDocument(i -> i.suffix("index.html"))
                .errorDocument(e -> e.key("error.html")).routingRules(r -> r.condition(c -> c.keyPrefixEquals("old/"))
                        .redirect(d -> d.replaceKeyPrefixWith("new/")))));
        GetBucketWebsiteResponse website = s3.getBucketWebsite(b -> b.bucket("site-config"));
        assertThat(website.indexDocument().suffix()).isEqualTo("index.html");
        assertThat(website.errorDocument().key()).isEqualTo("error.html");
        assertThat(website.routingRules()).hasSize(1);
        s3.deleteBucketWebsite(b -> b.bucket("site-config"));
        assertS3Error(() -> s3.getBucketWebsite(b -> b.bucket("site-config")), 404, "NoSuchWebsiteConfiguration");
    }

    @Test
    void theEndpointServesWhatThePolicyMakesPublic(S3Client s3, Stratus stratus) throws Exception {
        s3.createBucket(b -> b.bucket("site"));
        html(s3, "site", "index.html", "<h1>home</h1>");
        html(s3, "site", "docs/index.html", "<h1>docs</h1>");
        html(s3, "site", "error.html", "<h1>oops</h1>");
        s3.putObject(b -> b.bucket("site").key("old.html").websiteRedirectLocation("/new.html"), RequestBody.fromString(""));
        assertThat(get(stratus, "site", "/").statusCode()).as("no website configuration").isEqualTo(404);
        s3.putBucketWebsite(b -> b.bucket("site").websiteConfiguration(w -> w.indexDocument(i -> i.suffix("index.html"))
                .errorDocument(e -> e.key("error.html"))));

        HttpResponse<String> privately = get(stratus, "site", "/");
        assertThat(privately.statusCode()).as("the bucket is not public yet").isEqualTo(403);
        assertThat(privately.body()).contains("<li>Code: AccessDenied</li>");

        makePublic(s3, "site", false);
        HttpResponse<String> home = get(stratus, "site", "/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).isEqualTo("<h1>home</h1>");
        assertThat(home.headers().firstValue("content-type")).hasValue("text/html");
        assertThat(get(stratus, "site", "/docs/").body()).isEqualTo("<h1>docs</h1>");
        HttpResponse<String> folder = get(stratus, "site", "/docs");
        assertThat(folder.statusCode()).isEqualTo(302);
        assertThat(folder.headers().firstValue("location")).as("the path form's own prefix").hasValue("/_aws/s3-website/site/docs/");
        HttpResponse<String> moved = get(stratus, "site", "/old.html");
        assertThat(moved.statusCode()).isEqualTo(301);
        assertThat(moved.headers().firstValue("location")).hasValue("/_aws/s3-website/site/new.html");
        // Without s3:ListBucket for anyone a missing key is 403, with it 404 — the error document either way.
        HttpResponse<String> hidden = get(stratus, "site", "/missing.html");
        assertThat(hidden.statusCode()).isEqualTo(403);
        assertThat(hidden.body()).isEqualTo("<h1>oops</h1>");
        makePublic(s3, "site", true);
        HttpResponse<String> missing = get(stratus, "site", "/missing.html");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("<h1>oops</h1>");
        assertThat(send(stratus, "site", "POST", "/").statusCode()).isEqualTo(405);
        HttpResponse<String> head = send(stratus, "site", "HEAD", "/");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-length")).hasValue("13");

        // The host form, as a browser sends it.
        try (RawHttp http = new RawHttp(stratus.port())) {
            String raw = http.send("GET /docs/ HTTP/1.1\r\nHost: site.s3-website-us-east-1.localhost:" + stratus.port() + "\r\n\r\n").readResponse();
            assertThat(raw).startsWith("HTTP/1.1 200").endsWith("<h1>docs</h1>");
            raw = http.send("GET / HTTP/1.1\r\nHost: site.s3-website.us-east-1.localhost:" + stratus.port() + "\r\n\r\n").readResponse();
            assertThat(raw).startsWith("HTTP/1.1 200").endsWith("<h1>home</h1>");
            raw = http.send("GET /docs HTTP/1.1\r\nHost: site.s3-website-us-east-1.localhost:" + stratus.port() + "\r\n\r\n").readResponse();
            assertThat(raw).startsWith("HTTP/1.1 302").containsIgnoringCase("location: /docs/\r\n");
        }
    }

    @Test
    void theBucketsCorsConfigurationAppliesToTheSite(S3Client s3, Stratus stratus) throws Exception {
        s3.createBucket(b -> b.bucket("cors-site"));
        s3.putBucketWebsite(b -> b.bucket("cors-site").websiteConfiguration(w -> w.indexDocument(i -> i.suffix("index.html"))));
        makePublic(s3, "cors-site", false);
        html(s3, "cors-site", "data.json", "{}");
        s3.putBucketCors(b -> b.bucket("cors-site").corsConfiguration(c -> c.corsRules(
                software.amazon.awssdk.services.s3.model.CORSRule.builder().allowedOrigins("https://app.example.com").allowedMethods("GET").build())));

        HttpResponse<String> allowed = HTTP.send(HttpRequest.newBuilder(stratus.endpoint().resolve("/_aws/s3-website/cors-site/data.json"))
                .header("Origin", "https://app.example.com").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(stratus.endpoint().resolve("/_aws/s3-website/cors-site/nothing.json"))
                .header("Origin", "https://app.example.com").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(missing.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(stratus.endpoint().resolve("/_aws/s3-website/cors-site/data.json"))
                .header("Origin", "https://elsewhere.example").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(get(stratus, "cors-site", "/data.json").headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void routingRulesAndWholeBucketRedirectsSendBrowsersOn(S3Client s3, Stratus stratus) throws Exception {
        s3.createBucket(b -> b.bucket("routed"));
        html(s3, "routed", "index.html", "home");
        makePublic(s3, "routed", true);
        s3.putBucketWebsite(b -> b.bucket("routed").websiteConfiguration(w -> w.indexDocument(i -> i.suffix("index.html")).routingRules(
                r -> r.condition(c -> c.keyPrefixEquals("old/")).redirect(d -> d.replaceKeyPrefixWith("new/")),
                r -> r.condition(c -> c.httpErrorCodeReturnedEquals("404")).redirect(d -> d.hostName("fallback.example.com")
                        .protocol(Protocol.HTTPS).replaceKeyWith("not-found").httpRedirectCode("302")))));

        HttpResponse<String> prefixed = get(stratus, "routed", "/old/page.html");
        assertThat(prefixed.statusCode()).isEqualTo(301);
        assertThat(prefixed.headers().firstValue("location")).hasValue("/_aws/s3-website/routed/new/page.html");
        HttpResponse<String> lost = get(stratus, "routed", "/nowhere");
        assertThat(lost.statusCode()).isEqualTo(302);
        assertThat(lost.headers().firstValue("location")).hasValue("https://fallback.example.com/not-found");
        assertThat(get(stratus, "routed", "/").body()).isEqualTo("home");

        s3.createBucket(b -> b.bucket("moved-away"));
        s3.putBucketWebsite(b -> b.bucket("moved-away").websiteConfiguration(w -> w.redirectAllRequestsTo(r -> r.hostName("www.example.com")
                .protocol(Protocol.HTTPS))));
        HttpResponse<String> away = get(stratus, "moved-away", "/a/b.html");
        assertThat(away.statusCode()).isEqualTo(301);
        assertThat(away.headers().firstValue("location")).hasValue("https://www.example.com/a/b.html");
        assertThat(get(stratus, "no-such-bucket", "/").statusCode()).isEqualTo(404);
    }
}
