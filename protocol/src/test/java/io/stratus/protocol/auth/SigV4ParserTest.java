package io.stratus.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SigV4ParserTest {

    private static final String SIG = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    private static final String IAM = "AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request";
    private static final String S3 = "AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request";

    private static SignableRequest.Snapshot header(String authorization) {
        return SignableRequest.Snapshot.of("GET", "/", "").withHeader("host", "example.amazonaws.com")
                .withHeader("x-amz-date", "20150830T123600Z").withHeader("authorization", authorization);
    }

    private static SignableRequest.Snapshot query(String rawQuery) {
        return SignableRequest.Snapshot.of("GET", "/bucket/key", rawQuery).withHeader("host", "localhost");
    }

    private static String presigned(String credential, String expires) {
        return "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + credential.replace("/", "%2F")
                + "&X-Amz-Date=20150830T123600Z&X-Amz-Expires=" + expires + "&X-Amz-SignedHeaders=host&X-Amz-Signature=" + SIG;
    }

    @Test
    void unsignedRequestsCarryNoAuth() {
        assertThat(SigV4Parser.parse(query("list-type=2"))).isEmpty();
        assertThat(SigV4Parser.credentialScope(query(""))).isEmpty();
    }

    @Test
    void readsTheHeaderToleratingTheSpacingSdksUse() {
        for (String header : List.of(
                "AWS4-HMAC-SHA256 Credential=" + IAM + ", SignedHeaders=host;x-amz-date, Signature=" + SIG,
                "AWS4-HMAC-SHA256 Credential=" + IAM + ",SignedHeaders=host;x-amz-date,Signature=" + SIG,
                "  AWS4-HMAC-SHA256   Credential=" + IAM + " ,  SignedHeaders=Host;X-Amz-Date\t, Signature=" + SIG + " ")) {
            SigV4Auth auth = SigV4Parser.parse(header(header)).orElseThrow();
            assertThat(auth.credential()).isEqualTo(new CredentialScope("AKIDEXAMPLE", "20150830", "us-east-1", "iam", "aws4_request"));
            assertThat(auth.signedHeaders()).containsExactly("host", "x-amz-date");
            assertThat(auth.signature()).isEqualTo(SIG);
            assertThat(auth.requestTime()).isEqualTo(Instant.parse("2015-08-30T12:36:00Z"));
            assertThat(auth.scope()).isEqualTo("20150830/us-east-1/iam/aws4_request");
            assertThat(auth.presigned()).isFalse();
            assertThat(auth.expires()).isEmpty();
        }
    }

    @Test
    void readsTheDateHeaderTokenAndContentSha256() {
        SignableRequest.Snapshot request = SignableRequest.Snapshot.of("PUT", "/b/k", "").withHeader("date", "Fri, 24 May 2013 00:00:00 GMT")
                .withHeader("x-amz-security-token", "token").withHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
                .withHeader("authorization", "AWS4-HMAC-SHA256 Credential=" + S3 + ", SignedHeaders=date;host, Signature=" + SIG);
        SigV4Auth auth = SigV4Parser.parse(request).orElseThrow();
        assertThat(auth.requestTime()).isEqualTo(Instant.parse("2013-05-24T00:00:00Z"));
        assertThat(auth.amzDate()).isEqualTo("20130524T000000Z");
        assertThat(auth.securityToken()).contains("token");
        assertThat(auth.contentSha256()).contains("UNSIGNED-PAYLOAD");
    }

    @Test
    void readsPresignedUrls() {
        SigV4Auth auth = SigV4Parser.parse(query(presigned(S3, "86400") + "&X-Amz-Security-Token=a%2Bb%3D")).orElseThrow();
        assertThat(auth.presigned()).isTrue();
        assertThat(auth.expires()).contains(Duration.ofDays(1));
        assertThat(auth.securityToken()).contains("a+b=");
        assertThat(auth.service()).isEqualTo("s3");
        assertThat(auth.accessKeyId()).isEqualTo("AKIDEXAMPLE");
        assertThat(SigV4Parser.credentialScope(query(presigned(S3, "86400")))).contains(auth.credential());
    }

    @Test
    void credentialScopeIsLenient() {
        assertThat(SigV4Parser.credentialScope(header("AWS4-HMAC-SHA256 Credential=" + IAM + ", Signature=x")))
                .map(CredentialScope::service).contains("iam");
        assertThat(SigV4Parser.credentialScope(header("AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="))).isEmpty();
        assertThat(SigV4Parser.credentialScope(header("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1"))).isEmpty();
    }

    static Stream<Arguments> malformed() {
        String noDate = "AWS4-HMAC-SHA256 Credential=" + IAM + ", SignedHeaders=host, Signature=" + SIG;
        return Stream.of(
                Arguments.of("SigV2 header", header("AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="), "InvalidRequest", 400,
                        "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."),
                Arguments.of("other scheme", header("Bearer eyJ0eXAi"), "IncompleteSignature", 400,
                        "Unsupported AWS 'algorithm': 'Bearer'."),
                Arguments.of("space inside the credential", header("AWS4-HMAC-SHA256 Credential=AKID /20150830/us-east-1/iam/aws4_request, "
                        + "SignedHeaders=host, Signature=" + SIG), "IncompleteSignature", 400,
                        "'/20150830/us-east-1/iam/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: "
                                + "'AWS4-HMAC-SHA256 Credential=AKID /20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=" + SIG + "'"),
                Arguments.of("missing parts", header("AWS4-HMAC-SHA256 Credential=ABCDEF"), "IncompleteSignature", 400,
                        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
                                + "Authorization=AWS4-HMAC-SHA256 Credential=ABCDEF"),
                Arguments.of("no parts, no date", SignableRequest.Snapshot.of("GET", "/", "").withHeader("authorization", "AWS4-HMAC-SHA256"),
                        "IncompleteSignature", 400, "Authorization header requires 'Credential' parameter. Authorization header requires "
                                + "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header "
                                + "requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256"),
                Arguments.of("no date", SignableRequest.Snapshot.of("GET", "/", "").withHeader("authorization", noDate), "IncompleteSignature", 400,
                        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + noDate),
                Arguments.of("four-part credential", header("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam, SignedHeaders=host, "
                        + "Signature=" + SIG), "IncompleteSignature", 400, "Credential must have exactly 5 slash-delimited elements, "
                        + "e.g. keyid/date/region/service/term, got 'AKID/20150830/us-east-1/iam'"),
                Arguments.of("bad date", header("AWS4-HMAC-SHA256 Credential=" + IAM + ", SignedHeaders=host, Signature=" + SIG)
                        .withHeader("x-amz-date", "2015-08-30T12:36:00"), "IncompleteSignature", 400,
                        "Date must be in ISO-8601 'basic format'. Got '2015-08-30T12:36:00'. See http://en.wikipedia.org/wiki/ISO_8601"),
                Arguments.of("S3: missing signature", header("AWS4-HMAC-SHA256 Credential=" + S3 + ", SignedHeaders=host"),
                        "AuthorizationHeaderMalformed", 400, "The authorization header is malformed; the authorization header requires "
                                + "three components: Credential, SignedHeaders, and Signature."),
                Arguments.of("S3: four-part credential", header("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3, SignedHeaders=host, "
                        + "Signature=" + SIG), "AuthorizationHeaderMalformed", 400, "The authorization header is malformed; the Credential "
                        + "is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"."),
                Arguments.of("S3: no date", SignableRequest.Snapshot.of("GET", "/", "").withHeader("authorization",
                        "AWS4-HMAC-SHA256 Credential=" + S3 + ", SignedHeaders=host, Signature=" + SIG), "AccessDenied", 403,
                        "AWS authentication requires a valid Date or x-amz-date header"),
                Arguments.of("S3: header and query", query(presigned(S3, "60")).withHeader("authorization",
                        "AWS4-HMAC-SHA256 Credential=" + S3 + ", SignedHeaders=host, Signature=" + SIG), "InvalidArgument", 400,
                        SigV4Parser.ONE_MECHANISM),
                Arguments.of("presigned: other algorithm", query(presigned(S3, "60").replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512")),
                        "AuthorizationQueryParametersError", 400, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\""),
                Arguments.of("presigned: no expires", query(presigned(S3, "60").replace("&X-Amz-Expires=60", "")),
                        "AuthorizationQueryParametersError", 400, SigV4Parser.S3_QUERY_REQUIRED),
                Arguments.of("presigned: no signature", query(presigned(S3, "60").replace("&X-Amz-Signature=" + SIG, "")),
                        "AuthorizationQueryParametersError", 400, SigV4Parser.S3_QUERY_REQUIRED),
                Arguments.of("presigned: bad credential", query(presigned("AKID/20150830/s3/aws4_request", "60")),
                        "AuthorizationQueryParametersError", 400, "Error parsing the X-Amz-Credential parameter; the Credential is "
                                + "mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"."),
                Arguments.of("presigned: bad date", query(presigned(S3, "60").replace("20150830T123600Z", "20150830")),
                        "AuthorizationQueryParametersError", 400, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""),
                Arguments.of("presigned: expires not a number", query(presigned(S3, "soon")),
                        "AuthorizationQueryParametersError", 400, "X-Amz-Expires should be a number"),
                Arguments.of("presigned: negative expires", query(presigned(S3, "-1")),
                        "AuthorizationQueryParametersError", 400, "X-Amz-Expires must be non-negative"),
                Arguments.of("presigned: over a week", query(presigned(S3, "604801")), "AuthorizationQueryParametersError", 400,
                        "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"),
                Arguments.of("presigned STS: missing signature", query(presigned(IAM, "60").replace("&X-Amz-Signature=" + SIG, "")),
                        "IncompleteSignature", 400, "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the "
                                + "query-string parameters."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesMalformedSignaturesAsAwsDoes(String name, SignableRequest request, String code, int status, String message) {
        assertThatThrownBy(() -> SigV4Parser.parse(request)).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.errorCode().code()).isEqualTo(code);
            assertThat(e.errorCode().httpStatus()).isEqualTo(status);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void aWeekIsTheLongestExpiry() {
        assertThat(SigV4Parser.parse(query(presigned(S3, "604800"))).flatMap(SigV4Auth::expires)).contains(Duration.ofDays(7));
        assertThat(SigV4Parser.parse(query(presigned(IAM, "60").replace("&X-Amz-Expires=60", "")))
                .map(SigV4Auth::expires)).contains(Optional.empty());
    }
}
