package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.protocol.HttpEndpoint;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.codec.TimestampFormat;
import io.stratus.s3.ObjectModel.GetObjectRequest;
import io.stratus.s3.ObjectModel.GetObjectResponse;
import java.io.InputStream;
import java.util.Optional;

/**
 * A bucket's website endpoint ({@code http://<bucket>.s3-website-<region>.localhost:4566/},
 * {@code <bucket>.s3-website.<region>.localhost}, or the path form
 * {@code /_aws/s3-website/<bucket>/…}), as S3 serves one: anonymous GET and HEAD only, readable
 * where the bucket policy lets anyone {@code s3:GetObject}; a "folder" ({@code /}, {@code /docs/})
 * serves its index document, {@code /docs} without its slash is redirected to {@code /docs/} when
 * that has one; an object written with {@code x-amz-website-redirect-location} redirects there;
 * routing rules redirect by key prefix or by the error a request would get; errors are HTML pages,
 * or the configured error document with the error's status. Missing keys are 404 where anyone may
 * {@code s3:ListBucket}, else 403, as S3 answers them. Redirects within the site keep the path
 * form's prefix for a request that came in path form. The bucket's CORS configuration applies to its
 * answers, as to the REST endpoint's. Thread-safe.
 */
final class WebsiteEndpoint implements HttpEndpoint {

    private final BucketStore buckets;
    private final ObjectOperations objects;
    private final BucketAccess access;
    private final CorsOperations cors;

    WebsiteEndpoint(BucketStore buckets, ObjectOperations objects, BucketAccess access, CorsOperations cors) {
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.objects = requireNonNull(objects, "objects is null");
        this.access = requireNonNull(access, "access is null");
        this.cors = requireNonNull(cors, "cors is null");
    }

    /** The site's answer, with the CORS headers the bucket's CORS configuration grants the request's {@code Origin}. */
    @Override
    public HttpResponse handle(RequestContext context, String bucketName, HttpRequest request) {
        HttpResponse response = respond(context, bucketName, request);
        cors.filter(request.withPathPrefix("/" + bucketName), response);
        return response;
    }

    private HttpResponse respond(RequestContext context, String bucketName, HttpRequest request) {
        boolean head = request.method().equals("HEAD");
        if (!head && !request.method().equals("GET")) {
            return page(405, "MethodNotAllowed", "The specified method is not allowed against this resource.", context, head)
                    .header("Allow", "GET, HEAD");
        }
        Bucket bucket = BucketStore.read(buckets.store(), bucketName);
        if (bucket == null) {
            return page(404, "NoSuchBucket", "The specified bucket does not exist", context, head);
        }
        Optional<byte[]> document = buckets.config(bucketName, BucketConfig.WEBSITE.subresource()).filter(bytes -> bytes.length > 0);
        if (document.isEmpty()) {
            return page(404, "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration", context, head);
        }
        Website site = Website.parse(document.get());
        String key = request.path().substring(1);
        if (site.redirectAll() != null) {
            return redirect(site.redirectAll(), null, key, bucketName, request);
        }
        Website.RoutingRule byPrefix = site.route(key, null);
        if (byPrefix != null) {
            return redirect(byPrefix.redirect(), byPrefix.keyPrefixEquals(), key, bucketName, request);
        }
        RequestContext owner = ownerContext(context, bucket);
        boolean folder = key.isEmpty() || key.endsWith("/");
        String lookup = folder ? key + site.indexSuffix() : key;
        if (!access.allowsAnyone(context, bucket, "s3:GetObject", "arn:aws:s3:::" + bucketName + "/" + lookup)) {
            return error(site, 403, "AccessDenied", "Access Denied", key, context, owner, bucket, request, head);
        }
        StoredObject object = current(bucketName, lookup);
        if (object == null && !folder && current(bucketName, key + "/" + site.indexSuffix()) != null) {
            return HttpResponse.empty(302).header("Location", root(bucketName, request) + "/" + key + "/");
        }
        if (object == null) {
            boolean listable = access.allowsAnyone(context, bucket, "s3:ListBucket", "arn:aws:s3:::" + bucketName);
            return listable ? error(site, 404, "NoSuchKey", "The specified key does not exist.", key, context, owner, bucket, request, head)
                    : error(site, 403, "AccessDenied", "Access Denied", key, context, owner, bucket, request, head);
        }
        if (object.websiteRedirect() != null) {
            String location = object.websiteRedirect();
            return HttpResponse.empty(301).header("Location", location.startsWith("/") ? root(bucketName, request) + location : location);
        }
        try {
            return serve(owner, bucketName, lookup, request, head, null);
        } catch (AwsException e) {
            int status = e.errorCode().httpStatus();
            if (status == 304 || status == 412) {
                return HttpResponse.empty(status);
            }
            return error(site, status, e.errorCode().code(), e.getMessage(), key, context, owner, bucket, request, head);
        }
    }

    /** The current version of a key, or null when there is none (or a delete marker). */
    private StoredObject current(String bucket, String key) {
        StoredObject object = ObjectStore.read(buckets.store(), bucket, key);
        return object == null || object.deleteMarker() ? null : object;
    }

    /**
     * An error as the website answers it: a routing rule for its status redirects; else the error
     * document, readable by anyone, with the error's status; else S3's HTML page.
     */
    private HttpResponse error(Website site, int status, String code, String message, String key, RequestContext context, RequestContext owner,
            Bucket bucket, HttpRequest request, boolean head) {
        Website.RoutingRule byError = site.route(key, status);
        if (byError != null) {
            return redirect(byError.redirect(), byError.keyPrefixEquals(), key, bucket.name(), request);
        }
        if (site.errorKey() != null && status >= 400 && status < 500 && current(bucket.name(), site.errorKey()) != null
                && access.allowsAnyone(context, bucket, "s3:GetObject", "arn:aws:s3:::" + bucket.name() + "/" + site.errorKey())) {
            try {
                return serve(owner, bucket.name(), site.errorKey(), request, head, status);
            } catch (AwsException e) {
                // The error document cannot be read (archived, say): S3's own page instead.
            }
        }
        return page(status, code, message, context, head);
    }

    /** An object's body (or, for HEAD, its headers) as GetObject gives it, with {@code status} in place of 200 when given. */
    private HttpResponse serve(RequestContext owner, String bucket, String key, HttpRequest request, boolean head, Integer status) {
        GetObjectRequest get = new GetObjectRequest(bucket, key, null, null, status == null ? request.header("range").orElse(null) : null,
                request.header("if-match").orElse(null), request.header("if-none-match").orElse(null),
                request.header("if-modified-since").orElse(null), request.header("if-unmodified-since").orElse(null), null, null,
                null, null, null, null, null, null);
        GetObjectResponse object = head ? objects.headObject(owner, get) : objects.getObject(owner, get);
        if (object.status() == 304) {
            return HttpResponse.empty(304).header("ETag", object.etag());
        }
        InputStream body = head || object.body() == null ? InputStream.nullInputStream() : object.body();
        HttpResponse response = HttpResponse.streaming(status != null ? status : object.status(), body, object.contentLength());
        header(response, "Content-Type", object.contentType());
        header(response, "ETag", object.etag());
        header(response, "Last-Modified", object.lastModified() == null ? null : TimestampFormat.HTTP_DATE.format(object.lastModified()));
        header(response, "Content-Range", object.contentRange());
        header(response, "Cache-Control", object.cacheControl());
        header(response, "Content-Disposition", object.contentDisposition());
        header(response, "Content-Encoding", object.contentEncoding());
        header(response, "Content-Language", object.contentLanguage());
        header(response, "Expires", object.expires());
        if (object.metadata() != null) {
            object.metadata().forEach((name, value) -> response.header("x-amz-meta-" + name, value));
        }
        return response;
    }

    private static void header(HttpResponse response, String name, String value) {
        if (value != null) {
            response.header(name, value);
        }
    }

    /**
     * A redirect as a rule (or the bucket's redirect of everything) gives it: its protocol and host,
     * else the request's; its key, its prefix in place of the condition's, or the request's key.
     */
    private static HttpResponse redirect(Website.Redirect redirect, String conditionPrefix, String key, String bucket, HttpRequest request) {
        String target = key;
        if (redirect.replaceKeyWith() != null) {
            target = redirect.replaceKeyWith();
        } else if (redirect.replaceKeyPrefixWith() != null) {
            target = redirect.replaceKeyPrefixWith() + (conditionPrefix == null ? key : key.substring(conditionPrefix.length()));
        }
        String location = "/" + target;
        if (redirect.hostName() != null) {
            String protocol = redirect.protocol() != null ? redirect.protocol() : request.secure() ? "https" : "http";
            location = protocol + "://" + redirect.hostName() + location;
        } else if (redirect.protocol() != null) {
            location = redirect.protocol() + "://" + request.host() + root(bucket, request) + location;
        } else {
            location = root(bucket, request) + location;
        }
        int status = redirect.httpRedirectCode() == null ? 301 : Integer.parseInt(redirect.httpRedirectCode());
        return HttpResponse.empty(status).header("Location", location);
    }

    /**
     * Where the website's paths begin for this request: nothing for the host forms (its host names
     * the website), {@code /_aws/s3-website/<bucket>} for the path form, so a redirect within the
     * site leads its client back to it either way.
     */
    private static String root(String bucket, HttpRequest request) {
        return request.host().startsWith(bucket + ".s3-website") ? "" : "/_aws/s3-website/" + bucket;
    }

    /** What the bucket's own account may read: the object operations' view of the bucket. */
    private static RequestContext ownerContext(RequestContext context, Bucket bucket) {
        return new RequestContext(context.requestId(), bucket.account(), bucket.region(), null, Principal.root(bucket.account()),
                context.receivedAt(), context.connection(), null);
    }

    /** S3's HTML error page (for HEAD, its status alone). */
    private static HttpResponse page(int status, String code, String message, RequestContext context, boolean head) {
        String title = status + " " + reason(status);
        if (head) {
            return HttpResponse.empty(status);
        }
        String html = "<html>\n<head><title>" + title + "</title></head>\n<body>\n<h1>" + title + "</h1>\n<ul>\n<li>Code: " + code
                + "</li>\n<li>Message: " + escape(message) + "</li>\n<li>RequestId: " + context.requestId() + "</li>\n</ul>\n<hr/>\n</body>\n</html>\n";
        return HttpResponse.of(status, "text/html; charset=utf-8", html);
    }

    private static String reason(int status) {
        return switch (status) {
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 416 -> "Requested Range Not Satisfiable";
            default -> status >= 500 ? "Internal Server Error" : "Bad Request";
        };
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
