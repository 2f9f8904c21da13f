package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.RequestContext;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.ResponseFilter;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * CORS as S3 serves it from a bucket's {@link Cors} configuration: preflight requests
 * ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) answered with
 * the matching rule's grants or {@code 403 AccessForbidden}, and the {@code Access-Control-*}
 * headers added to every successful response to a request whose {@code Origin} a rule allows.
 * Thread-safe.
 */
final class CorsOperations implements ResponseFilter {

    record PreflightRequest(@HttpLabel("Bucket") String bucket, @HttpHeader("Origin") String origin,
            @HttpHeader("Access-Control-Request-Method") String method, @HttpHeader("Access-Control-Request-Headers") String headers) implements BucketAddressed {}

    record PreflightObjectRequest(@HttpLabel("Bucket") String bucket, @HttpLabel("Key") String key, @HttpHeader("Origin") String origin,
            @HttpHeader("Access-Control-Request-Method") String method, @HttpHeader("Access-Control-Request-Headers") String headers) implements ObjectAddressed {}

    record PreflightResponse(@HttpHeader("Access-Control-Allow-Origin") String allowOrigin,
            @HttpHeader("Access-Control-Allow-Methods") String allowMethods, @HttpHeader("Access-Control-Allow-Headers") String allowHeaders,
            @HttpHeader("Access-Control-Expose-Headers") String exposeHeaders, @HttpHeader("Access-Control-Max-Age") String maxAge,
            @HttpHeader("Access-Control-Allow-Credentials") String allowCredentials, @HttpHeader("Vary") String vary) {}

    private static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

    private final BucketStore buckets;

    CorsOperations(BucketStore buckets) {
        this.buckets = requireNonNull(buckets, "buckets is null");
    }

    PreflightResponse preflightObject(RequestContext context, PreflightObjectRequest request) {
        return preflight(context, new PreflightRequest(request.bucket(), request.origin(), request.method(), request.headers()));
    }

    PreflightResponse preflight(RequestContext context, PreflightRequest request) {
        if (request.origin() == null || request.origin().isEmpty()) {
            throw AwsException.of(CommonErrors.BAD_REQUEST, "Insufficient information. Origin request header needed.");
        }
        if (request.method() == null || !List.of("GET", "PUT", "HEAD", "POST", "DELETE").contains(request.method())) {
            throw AwsException.of(CommonErrors.BAD_REQUEST, "Invalid Access-Control-Request-Method: %s", request.method());
        }
        BucketStore.require(buckets.store(), context, request.bucket());
        Cors cors = config(request.bucket())
                .orElseThrow(() -> AwsException.of(S3Errors.ACCESS_FORBIDDEN, "CORSResponse: CORS is not enabled for this bucket."));
        List<String> requested = headerList(request.headers());
        Cors.Rule rule = cors.match(request.origin(), request.method(), requested)
                .orElseThrow(() -> AwsException.of(S3Errors.ACCESS_FORBIDDEN,
                        "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / "
                                + "Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."));
        String allowOrigin = rule.allowOrigin(request.origin());
        return new PreflightResponse(allowOrigin, String.join(", ", rule.methods()), requested.isEmpty() ? null : String.join(", ", requested),
                rule.exposeHeaders().isEmpty() ? null : String.join(", ", rule.exposeHeaders()),
                rule.maxAgeSeconds() == null ? null : rule.maxAgeSeconds().toString(), allowOrigin.equals("*") ? null : "true", VARY);
    }

    /** Adds the grants of the rule that allows this request's {@code Origin} and method, if one does. */
    @Override
    public void filter(HttpRequest request, HttpResponse response) {
        Optional<String> origin = request.header("origin");
        if (origin.isEmpty() || response.hasHeader("Access-Control-Allow-Origin")) {
            return;
        }
        String bucket = BucketNames.ofPath(request.path());
        if (bucket == null) {
            return;
        }
        Optional<Cors.Rule> rule = config(bucket).flatMap(cors -> cors.match(origin.get(), request.method(), List.of()));
        if (rule.isEmpty()) {
            return;
        }
        String allowOrigin = rule.get().allowOrigin(origin.get());
        response.header("Access-Control-Allow-Origin", allowOrigin);
        response.header("Access-Control-Allow-Methods", String.join(", ", rule.get().methods()));
        if (!rule.get().exposeHeaders().isEmpty()) {
            response.header("Access-Control-Expose-Headers", String.join(", ", rule.get().exposeHeaders()));
        }
        if (rule.get().maxAgeSeconds() != null) {
            response.header("Access-Control-Max-Age", rule.get().maxAgeSeconds().toString());
        }
        if (!allowOrigin.equals("*")) {
            response.header("Access-Control-Allow-Credentials", "true");
        }
        response.header("Vary", VARY);
    }

    private Optional<Cors> config(String bucket) {
        return buckets.config(bucket, BucketConfig.CORS.subresource()).map(Cors::parse);
    }

    private static List<String> headerList(String headers) {
        if (headers == null || headers.isBlank()) {
            return List.of();
        }
        return Arrays.stream(headers.split(",")).map(String::strip).filter(h -> !h.isEmpty()).map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }
}
