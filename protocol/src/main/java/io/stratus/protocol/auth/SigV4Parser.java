package io.stratus.protocol.auth;

import static io.stratus.core.CommonErrors.AUTHORIZATION_QUERY_PARAMETERS_ERROR;
import static io.stratus.core.CommonErrors.INCOMPLETE_SIGNATURE;
import static io.stratus.core.CommonErrors.INVALID_REQUEST;
import static io.stratus.core.CommonErrors.MISSING_AUTHENTICATION_TOKEN;
import static io.stratus.core.CommonErrors.SIGNATURE_DOES_NOT_MATCH;
import static io.stratus.protocol.auth.SigV4Errors.AUTHORIZATION_HEADER_MALFORMED;
import static io.stratus.protocol.auth.SigV4Errors.INVALID_ARGUMENT;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what a request claims about its SigV4 signature, from the {@code Authorization} header or
 * from a presigned URL's query string. It checks syntax only: times, scopes and signatures are
 * {@link SigV4Verifier}'s job, so the edge can parse every request cheaply, even with
 * authentication switched off, to route on the {@link CredentialScope}. Stateless and thread-safe.
 *
 * <p>Malformed requests are refused the way AWS refuses them. S3 has its own dialect, used when
 * the credential names {@code s3} (and, for presigned URLs, when the credential cannot be read,
 * since presigned URLs are S3's in practice); every other service answers like IAM and STS:
 * <ul>
 *   <li>header algorithm other than {@code AWS4-HMAC-SHA256}: {@code IncompleteSignature}
 *       "Unsupported AWS 'algorithm': 'X'."; a Signature Version 2 header ({@code AWS AKID:sig}):
 *       {@code InvalidRequest} "The authorization mechanism you have provided is not supported.
 *       Please use AWS4-HMAC-SHA256.", S3's answer in the regions that only take SigV4 (only S3
 *       clients still send SigV2 headers);
 *   <li>a header element without {@code =}: {@code IncompleteSignature} "'x' not a valid key=value
 *       pair (missing equal-sign) in Authorization header: '…'";
 *   <li>missing {@code Credential}, {@code Signature}, {@code SignedHeaders} or date:
 *       {@code IncompleteSignature} "Authorization header requires 'Credential' parameter. …
 *       Authorization=…"; S3: {@code AuthorizationHeaderMalformed} "…requires three components:
 *       Credential, SignedHeaders, and Signature.", and {@code AccessDenied} "AWS authentication
 *       requires a valid Date or x-amz-date header" for the date;
 *   <li>a credential without five elements: {@code IncompleteSignature} "Credential must have
 *       exactly 5 slash-delimited elements…"; S3: {@code AuthorizationHeaderMalformed} or
 *       {@code AuthorizationQueryParametersError} "…the Credential is mal-formed…";
 *   <li>an unreadable date: {@code IncompleteSignature} "Date must be in ISO-8601 'basic format'…";
 *       S3: {@code AccessDenied} (header) or {@code AuthorizationQueryParametersError} (query);
 *   <li>presigned URLs: {@code AuthorizationQueryParametersError} for a wrong algorithm, missing
 *       parameters, and {@code X-Amz-Expires} that is not a number, negative, or over 604800;
 *       outside S3, missing parameters are {@code IncompleteSignature} and a wrong algorithm
 *       {@code MissingAuthenticationToken};
 *   <li>both a header and a presigned query: S3 {@code InvalidArgument} "Only one auth mechanism
 *       allowed…", elsewhere {@code SignatureDoesNotMatch}.
 * </ul>
 * Sources: AWS's own answers as quoted in public issues (IAM, STS, CloudFormation, S3), the
 * dacut/scratchstack-aws-signature reimplementation of IAM's error order, and MinIO's table of
 * S3 errors.
 */
public final class SigV4Parser {

    /** What S3 answers a request signed with Signature Version 2, which it no longer takes. */
    public static final String SIGV2_UNSUPPORTED =
            "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.";
    static final String S3_HEADER_MALFORMED = "The authorization header is malformed; ";
    static final String S3_THREE_COMPONENTS =
            S3_HEADER_MALFORMED + "the authorization header requires three components: Credential, SignedHeaders, and Signature.";
    static final String S3_CREDENTIAL_FORM = "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";
    static final String S3_NO_DATE = "AWS authentication requires a valid Date or x-amz-date header";
    static final String S3_QUERY_REQUIRED = "Query-string authentication version 4 requires the X-Amz-Algorithm, "
            + "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.";
    static final String ONE_MECHANISM = "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
            + "Signature query string parameter or the Authorization header should be specified";
    static final long MAX_EXPIRES_SECONDS = 604_800;

    private static final String ALGORITHM_PARAMETER = "X-Amz-Algorithm";
    private static final String CREDENTIAL_PARAMETER = "X-Amz-Credential";

    private SigV4Parser() {}

    /**
     * The SigV4 claims of {@code request}; empty when it carries none (no {@code Authorization}
     * header and no {@code X-Amz-Algorithm} query parameter), which the edge treats as anonymous.
     *
     * @throws AwsException when the request carries a signature AWS could not parse
     */
    public static Optional<SigV4Auth> parse(SignableRequest request) {
        Optional<String> authorization = request.firstHeader("authorization");
        Map<String, String> query = request.rawQuery().contains(ALGORITHM_PARAMETER) ? amzParameters(request.rawQuery()) : Map.of();
        boolean presigned = query.containsKey(ALGORITHM_PARAMETER);
        if (authorization.isPresent() && presigned) {
            if (credentialScope(request).map(CredentialScope::isS3).orElse(true)) {
                throw new AwsException(INVALID_ARGUMENT, ONE_MECHANISM,
                        Map.of("ArgumentName", "Authorization", "ArgumentValue", authorization.get()), null);
            }
            throw new AwsException(SIGNATURE_DOES_NOT_MATCH, ONE_MECHANISM);
        }
        if (authorization.isPresent()) {
            return Optional.of(parseHeader(request, authorization.get().strip()));
        }
        return presigned ? Optional.of(parseQuery(request, query)) : Optional.empty();
    }

    /**
     * The credential scope of a signed request, read leniently: empty instead of an error when the
     * request is unsigned or its credential cannot be read. For routing with authentication off.
     */
    public static Optional<CredentialScope> credentialScope(SignableRequest request) {
        Optional<String> authorization = request.firstHeader("authorization");
        if (authorization.isPresent()) {
            String header = authorization.get();
            int at = header.indexOf("Credential=");
            if (!header.stripLeading().startsWith(SigV4Auth.ALGORITHM) || at < 0) {
                return Optional.empty();
            }
            int end = at + "Credential=".length();
            while (end < header.length() && !isSeparator(header.charAt(end))) {
                end++;
            }
            return CredentialScope.parse(header.substring(at + "Credential=".length(), end));
        }
        String query = request.rawQuery();
        if (!query.contains(CREDENTIAL_PARAMETER)) {
            return Optional.empty();
        }
        return Optional.ofNullable(amzParameters(query).get(CREDENTIAL_PARAMETER)).flatMap(CredentialScope::parse);
    }

    private static SigV4Auth parseHeader(SignableRequest request, String header) {
        int space = 0;
        while (space < header.length() && !Character.isWhitespace(header.charAt(space))) {
            space++;
        }
        String scheme = header.substring(0, space);
        if (!scheme.equals(SigV4Auth.ALGORITHM)) {
            if (scheme.equals("AWS")) {
                throw new AwsException(INVALID_REQUEST, SIGV2_UNSUPPORTED);
            }
            throw AwsException.of(INCOMPLETE_SIGNATURE, "Unsupported AWS 'algorithm': '%s'.", scheme);
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        String malformed = null;
        // AWS splits on whitespace as well as commas: "Credential= AKID/…" fails on the credential.
        int i = space;
        while (i < header.length()) {
            while (i < header.length() && isSeparator(header.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < header.length() && !isSeparator(header.charAt(i))) {
                i++;
            }
            if (start == i) {
                break;
            }
            String token = header.substring(start, i);
            int eq = token.indexOf('=');
            if (eq < 0) {
                malformed = malformed == null ? token : malformed;
                continue;
            }
            String value = token.substring(eq + 1);
            switch (token.substring(0, eq)) {
                case "Credential" -> credential = value;
                case "SignedHeaders" -> signedHeaders = value;
                case "Signature" -> signature = value;
                default -> { }
            }
        }
        if (malformed != null) {
            throw AwsException.of(INCOMPLETE_SIGNATURE,
                    "'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'", malformed, header);
        }
        Optional<CredentialScope> scope = credential == null ? Optional.empty() : CredentialScope.parse(credential);
        boolean s3 = scope.isPresent() ? scope.get().isS3() : credential != null && namesS3(credential);
        Optional<String> date = request.firstHeader("x-amz-date").or(() -> request.firstHeader("date"));
        List<String> missing = new ArrayList<>();
        if (credential == null) {
            missing.add("Authorization header requires 'Credential' parameter.");
        }
        if (signature == null) {
            missing.add("Authorization header requires 'Signature' parameter.");
        }
        if (signedHeaders == null) {
            missing.add("Authorization header requires 'SignedHeaders' parameter.");
        }
        if (s3 && !missing.isEmpty()) {
            throw new AwsException(AUTHORIZATION_HEADER_MALFORMED, S3_THREE_COMPONENTS);
        }
        if (date.isEmpty()) {
            if (s3) {
                throw new AwsException(CommonErrors.ACCESS_DENIED, S3_NO_DATE);
            }
            missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (!missing.isEmpty()) {
            throw new AwsException(INCOMPLETE_SIGNATURE, String.join(" ", missing) + " Authorization=" + header);
        }
        if (scope.isEmpty()) {
            throw s3 ? new AwsException(AUTHORIZATION_HEADER_MALFORMED, S3_HEADER_MALFORMED + S3_CREDENTIAL_FORM)
                    : fiveElements(credential);
        }
        Optional<Instant> time = request.firstHeader("x-amz-date").isPresent() ? parseAmzDate(date.get()) : parseHttpDate(date.get());
        if (time.isEmpty()) {
            throw s3 ? new AwsException(CommonErrors.ACCESS_DENIED, S3_NO_DATE) : badDate(date.get());
        }
        return new SigV4Auth(scope.get(), headerNames(signedHeaders), signature, time.get(), false, Optional.empty(),
                request.firstHeader("x-amz-security-token"), request.firstHeader("x-amz-content-sha256"));
    }

    private static SigV4Auth parseQuery(SignableRequest request, Map<String, String> query) {
        String credential = query.get(CREDENTIAL_PARAMETER);
        Optional<CredentialScope> scope = credential == null ? Optional.empty() : CredentialScope.parse(credential);
        boolean s3 = scope.map(CredentialScope::isS3).orElse(true);
        if (!SigV4Auth.ALGORITHM.equals(query.get(ALGORITHM_PARAMETER))) {
            throw s3 ? new AwsException(AUTHORIZATION_QUERY_PARAMETERS_ERROR, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
                    : new AwsException(MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token");
        }
        List<String> missing = new ArrayList<>();
        for (String name : List.of(CREDENTIAL_PARAMETER, "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date")) {
            if (!query.containsKey(name)) {
                missing.add("AWS query-string parameters must include '" + name + "'.");
            }
        }
        if (s3 && (!missing.isEmpty() || !query.containsKey("X-Amz-Expires"))) {
            throw new AwsException(AUTHORIZATION_QUERY_PARAMETERS_ERROR, S3_QUERY_REQUIRED);
        }
        if (!missing.isEmpty()) {
            throw new AwsException(INCOMPLETE_SIGNATURE, String.join(" ", missing) + " Re-examine the query-string parameters.");
        }
        if (scope.isEmpty()) {
            throw s3 ? new AwsException(AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "Error parsing the X-Amz-Credential parameter; " + S3_CREDENTIAL_FORM) : fiveElements(credential);
        }
        String date = query.get("X-Amz-Date");
        Optional<Instant> time = parseAmzDate(date);
        if (time.isEmpty()) {
            throw s3 ? new AwsException(AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"") : badDate(date);
        }
        Optional<Duration> expires = Optional.ofNullable(query.get("X-Amz-Expires")).map(SigV4Parser::parseExpires);
        Optional<String> token = Optional.ofNullable(query.get("X-Amz-Security-Token"))
                .or(() -> request.firstHeader("x-amz-security-token"));
        return new SigV4Auth(scope.get(), headerNames(query.get("X-Amz-SignedHeaders")), query.get("X-Amz-Signature"),
                time.get(), true, expires, token, request.firstHeader("x-amz-content-sha256"));
    }

    private static Duration parseExpires(String value) {
        long seconds;
        try {
            seconds = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new AwsException(AUTHORIZATION_QUERY_PARAMETERS_ERROR, "X-Amz-Expires should be a number");
        }
        if (seconds < 0) {
            throw new AwsException(AUTHORIZATION_QUERY_PARAMETERS_ERROR, "X-Amz-Expires must be non-negative");
        }
        if (seconds > MAX_EXPIRES_SECONDS) {
            throw new AwsException(AUTHORIZATION_QUERY_PARAMETERS_ERROR, "X-Amz-Expires must be less than a week (in seconds); "
                    + "that is, the given X-Amz-Expires must be less than " + MAX_EXPIRES_SECONDS + " seconds");
        }
        return Duration.ofSeconds(seconds);
    }

    /** The decoded {@code X-Amz-*} query parameters; the first of repeated names wins, as at AWS. */
    private static Map<String, String> amzParameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        int start = 0;
        while (start < rawQuery.length()) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? rawQuery.length() : amp;
            if (rawQuery.startsWith("X-Amz-", start)) {
                int eq = rawQuery.indexOf('=', start);
                String name = eq < 0 || eq > end ? rawQuery.substring(start, end) : rawQuery.substring(start, eq);
                String value = eq < 0 || eq > end ? "" : CanonicalRequest.decode(rawQuery.substring(eq + 1, end));
                parameters.putIfAbsent(name, value);
            }
            start = end + 1;
        }
        return parameters;
    }

    private static List<String> headerNames(String signedHeaders) {
        List<String> names = new ArrayList<>();
        int start = 0;
        while (start <= signedHeaders.length()) {
            int semicolon = signedHeaders.indexOf(';', start);
            int end = semicolon < 0 ? signedHeaders.length() : semicolon;
            String name = signedHeaders.substring(start, end);
            if (!name.isBlank()) {
                names.add(name.strip().toLowerCase(Locale.ROOT));
            }
            start = end + 1;
        }
        return names;
    }

    /** {@code yyyyMMdd'T'HHmmss'Z'}, the only form {@code X-Amz-Date} takes. */
    static Optional<Instant> parseAmzDate(String text) {
        if (text.length() != 16 || text.charAt(8) != 'T' || text.charAt(15) != 'Z') {
            return Optional.empty();
        }
        for (int i = 0; i < 15; i++) {
            if (i != 8 && (text.charAt(i) < '0' || text.charAt(i) > '9')) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(LocalDateTime.of(number(text, 0, 4), number(text, 4, 6), number(text, 6, 8),
                    number(text, 9, 11), number(text, 11, 13), number(text, 13, 15)).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> parseHttpDate(String text) {
        try {
            return Optional.of(ZonedDateTime.parse(text.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeException e) {
            return parseAmzDate(text.strip());
        }
    }

    private static int number(String text, int start, int end) {
        return Integer.parseInt(text, start, end, 10);
    }

    private static AwsException fiveElements(String credential) {
        return AwsException.of(INCOMPLETE_SIGNATURE,
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", credential);
    }

    private static AwsException badDate(String date) {
        return AwsException.of(INCOMPLETE_SIGNATURE,
                "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", date);
    }

    private static boolean namesS3(String credential) {
        String[] parts = credential.split("/");
        return parts.length >= 4 && parts[3].equals("s3");
    }

    private static boolean isSeparator(char c) {
        return c == ',' || c == ' ' || c == '\t';
    }
}
