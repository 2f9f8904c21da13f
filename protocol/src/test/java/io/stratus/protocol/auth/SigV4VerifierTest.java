package io.stratus.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SigV4VerifierTest {

    private static final String AKID = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant SIGNED_AT = Instant.parse("2015-08-30T12:36:00Z");
    private static final SigV4Signer SIGNER = new SigV4Signer(AKID, SECRET, Optional.empty());
    private static final SignableRequest.Snapshot REQUEST = SignableRequest.Snapshot.of("POST", "/", "Action=ListUsers&Version=2010-05-08")
            .withHeader("host", "iam.amazonaws.com").withHeader("content-type", "application/x-www-form-urlencoded; charset=utf-8");

    private final Map<String, String> secrets = new HashMap<>(Map.of(AKID, SECRET));

    private SigV4Verifier verifierAt(Instant now) {
        return new SigV4Verifier(key -> Optional.ofNullable(secrets.get(key)), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static SignableRequest.Snapshot signed(String service) {
        return SIGNER.sign(REQUEST, "us-east-1", service, SIGNED_AT, Sha256.EMPTY);
    }

    private static SigV4Auth auth(SignableRequest request) {
        return SigV4Parser.parse(request).orElseThrow();
    }

    private static void assertRefused(ThrowingCallable call, String code, int status, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.errorCode().code()).isEqualTo(code);
            assertThat(e.errorCode().httpStatus()).isEqualTo(status);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void acceptsAGoodSignatureWithinTheSkew() {
        SignableRequest.Snapshot request = signed("iam");
        for (Duration offset : new Duration[] {Duration.ZERO, Duration.ofMinutes(15), Duration.ofMinutes(-15)}) {
            verifierAt(SIGNED_AT.plus(offset)).verify(request, auth(request), Sha256.EMPTY);
        }
    }

    @Test
    void refusesAWrongSignatureWithAwsWords() {
        SignableRequest.Snapshot request = signed("iam");
        assertRefused(() -> verifierAt(SIGNED_AT).verify(request.withHeader("content-type", "text/plain"), auth(request), Sha256.EMPTY),
                "SignatureDoesNotMatch", 403, SigV4Verifier.MISMATCH);
        secrets.put(AKID, "another secret");
        assertRefused(() -> verifierAt(SIGNED_AT).verify(request, auth(request), Sha256.EMPTY), "SignatureDoesNotMatch", 403,
                SigV4Verifier.MISMATCH);
    }

    @Test
    void s3MismatchesShowWhatWasExpected() {
        SignableRequest.Snapshot request = signed("s3");
        assertThatThrownBy(() -> verifierAt(SIGNED_AT).verify(request, auth(request), Sha256.hex("x")))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("The request signature we calculated does not match the signature you provided. "
                            + "Check your key and signing method.");
                    assertThat(e.details()).containsEntry("AWSAccessKeyId", AKID).containsKeys("StringToSign", "CanonicalRequest")
                            .containsEntry("SignatureProvided", auth(request).signature());
                });
    }

    @Test
    void refusesUnknownAccessKeys() {
        SignableRequest.Snapshot iam = signed("iam");
        SignableRequest.Snapshot s3 = signed("s3");
        secrets.clear();
        assertRefused(() -> verifierAt(SIGNED_AT).verify(iam, auth(iam), Sha256.EMPTY), "InvalidClientTokenId", 403,
                "The security token included in the request is invalid.");
        assertRefused(() -> verifierAt(SIGNED_AT).verify(s3, auth(s3), Sha256.EMPTY), "InvalidAccessKeyId", 403,
                "The AWS Access Key Id you provided does not exist in our records.");
    }

    @Test
    void refusesHeaderSignaturesOutsideTheSkew() {
        SignableRequest.Snapshot request = signed("iam");
        assertRefused(() -> verifierAt(SIGNED_AT.plus(Duration.ofMinutes(15).plusSeconds(1))).verify(request, auth(request), Sha256.EMPTY),
                "RequestTimeTooSkewed", 403,
                "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T125101Z - 15 min.)");
        assertRefused(() -> verifierAt(SIGNED_AT.minus(Duration.ofMinutes(20))).verify(request, auth(request), Sha256.EMPTY),
                "RequestTimeTooSkewed", 403,
                "Signature not yet current: 20150830T123600Z is still later than 20150830T123100Z (20150830T121600Z + 15 min.)");
        SignableRequest.Snapshot s3 = signed("s3");
        assertThatThrownBy(() -> verifierAt(SIGNED_AT.plus(Duration.ofHours(1))).verify(s3, auth(s3), Sha256.EMPTY))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("The difference between the request time and the current time is too large.");
                    assertThat(e.details()).containsEntry("RequestTime", "20150830T123600Z")
                            .containsEntry("ServerTime", "2015-08-30T13:36:00Z").containsEntry("MaxAllowedSkewMilliseconds", "900000");
                });
    }

    @Test
    void presignedUrlsLiveUntilTheyExpire() {
        SignableRequest.Snapshot url = SIGNER.presign(SignableRequest.Snapshot.of("GET", "/bucket/a%20b.txt", "versionId=1")
                .withHeader("host", "localhost:4566"), "us-east-1", "s3", SIGNED_AT, Duration.ofHours(1), SigV4Signer.UNSIGNED_PAYLOAD);
        SigV4Auth auth = auth(url);
        assertThat(auth.presigned()).isTrue();
        verifierAt(SIGNED_AT.plus(Duration.ofHours(1))).verify(url, auth, SigV4Signer.UNSIGNED_PAYLOAD);
        // Unlike a header signature, a presigned URL may be used long after it was signed.
        verifierAt(SIGNED_AT.plus(Duration.ofMinutes(59))).verify(url, auth, SigV4Signer.UNSIGNED_PAYLOAD);
        verifierAt(SIGNED_AT.minus(Duration.ofMinutes(15))).verify(url, auth, SigV4Signer.UNSIGNED_PAYLOAD);

        assertThatThrownBy(() -> verifierAt(SIGNED_AT.plus(Duration.ofHours(1)).plusSeconds(1)).verify(url, auth, SigV4Signer.UNSIGNED_PAYLOAD))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.errorCode().code()).isEqualTo("AccessDenied");
                    assertThat(e.errorCode().httpStatus()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("Request has expired");
                    assertThat(e.details()).containsEntry("X-Amz-Expires", "3600").containsEntry("Expires", "2015-08-30T13:36:00Z")
                            .containsEntry("ServerTime", "2015-08-30T13:36:01Z");
                });
        assertRefused(() -> verifierAt(SIGNED_AT.minus(Duration.ofMinutes(16))).verify(url, auth, SigV4Signer.UNSIGNED_PAYLOAD),
                "AccessDenied", 403, "Request is not yet valid");
        assertRefused(() -> verifierAt(SIGNED_AT).verify(url.withRawQuery(url.rawQuery().replace("versionId=1", "versionId=2")), auth,
                SigV4Signer.UNSIGNED_PAYLOAD), "SignatureDoesNotMatch", 403, SigV4Verifier.S3_MISMATCH);
    }

    @Test
    void verifiesS3sPublishedPresignedUrl() {
        // Amazon S3 API Reference, "Authenticating Requests: Using Query Parameters", example.
        SignableRequest request = SignableRequest.Snapshot.of("GET", "/test.txt", "X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z"
                + "&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
                .withHeader("host", "examplebucket.s3.amazonaws.com");
        SigV4Verifier verifier = new SigV4Verifier(key -> Optional.of("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                Clock.fixed(Instant.parse("2013-05-24T12:00:00Z"), ZoneOffset.UTC));
        verifier.verify(request, auth(request), SigV4Signer.UNSIGNED_PAYLOAD);
    }

    @Test
    void refusesScopesAwsWouldRefuse() {
        SignableRequest.Snapshot request = signed("iam");
        String header = request.firstHeader("authorization").orElseThrow();
        SignableRequest badTerminator = request.withHeader("authorization", header.replace("aws4_request", "aws4_reques"));
        assertRefused(() -> verifierAt(SIGNED_AT).verify(badTerminator, auth(badTerminator), Sha256.EMPTY), "SignatureDoesNotMatch", 403,
                "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reques'.");
        SignableRequest badDate = request.withHeader("authorization", header.replace("/20150830/", "/20150831/"));
        assertRefused(() -> verifierAt(SIGNED_AT).verify(badDate, auth(badDate), Sha256.EMPTY), "SignatureDoesNotMatch", 403,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150831' != '20150830', "
                        + "from '20150830T123600Z'.");
        SignableRequest.Snapshot s3 = signed("s3");
        SignableRequest s3BadDate = s3.withHeader("authorization", s3.firstHeader("authorization").orElseThrow().replace("/20150830/", "/20150831/"));
        assertRefused(() -> verifierAt(SIGNED_AT).verify(s3BadDate, auth(s3BadDate), Sha256.EMPTY), "AuthorizationHeaderMalformed", 400,
                "The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.");
    }

    @Test
    void hostMustBeSigned() {
        SignableRequest.Snapshot request = signed("iam");
        SignableRequest hostless = request.withHeader("authorization", request.firstHeader("authorization").orElseThrow()
                .replace("SignedHeaders=content-type;host;x-amz-date", "SignedHeaders=content-type;x-amz-date"));
        assertRefused(() -> verifierAt(SIGNED_AT).verify(hostless, auth(hostless), Sha256.EMPTY), "SignatureDoesNotMatch", 403,
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }

    @Test
    void aRotatedSecretIsNeverServedFromTheKeyCache() {
        SigV4Verifier verifier = verifierAt(SIGNED_AT);
        SignableRequest.Snapshot request = signed("iam");
        verifier.verify(request, auth(request), Sha256.EMPTY);
        secrets.put(AKID, "rotated");
        assertRefused(() -> verifier.verify(request, auth(request), Sha256.EMPTY), "SignatureDoesNotMatch", 403, SigV4Verifier.MISMATCH);
        SignableRequest.Snapshot resigned = new SigV4Signer(AKID, "rotated", Optional.empty()).sign(REQUEST, "us-east-1", "iam", SIGNED_AT,
                Sha256.EMPTY);
        verifier.verify(resigned, auth(resigned), Sha256.EMPTY);
    }

    @Test
    void signsAndVerifiesSessionTokens() {
        SignableRequest.Snapshot request = new SigV4Signer(AKID, SECRET, Optional.of("session/token+="))
                .sign(REQUEST, "us-east-1", "sts", SIGNED_AT, Sha256.EMPTY);
        SigV4Auth auth = auth(request);
        assertThat(auth.securityToken()).contains("session/token+=");
        assertThat(auth.signedHeaders()).contains("x-amz-security-token");
        verifierAt(SIGNED_AT).verify(request, auth, Sha256.EMPTY);
        assertRefused(() -> verifierAt(SIGNED_AT).verify(request.withHeader("x-amz-security-token", "other"), auth, Sha256.EMPTY),
                "SignatureDoesNotMatch", 403, SigV4Verifier.MISMATCH);
    }

    /** An S3 browser POST form signs its base64 policy with the credential's signing key. */
    @Test
    void stringSignaturesAreCheckedWithTheCredentialsSigningKey() {
        String policy = "eyJleHBpcmF0aW9uIjogIjIwMzAtMDEtMDFUMDA6MDA6MDBaIiwgImNvbmRpdGlvbnMiOiBbXX0=";
        String credential = AKID + "/20150830/us-east-1/s3/aws4_request";
        String signature = SigningKey.derive(SECRET, "20150830", "us-east-1", "s3").sign(policy);
        verifierAt(SIGNED_AT).verifyStringSignature(credential, policy, signature);
        assertRefused(() -> verifierAt(SIGNED_AT).verifyStringSignature(credential, policy + "x", signature),
                "SignatureDoesNotMatch", 403, SigV4Verifier.S3_MISMATCH);
        assertRefused(() -> verifierAt(SIGNED_AT).verifyStringSignature(AKID + "/20150830/us-east-1/s3", policy, signature),
                "InvalidArgument", 400, "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "
                        + "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        assertRefused(() -> verifierAt(SIGNED_AT).verifyStringSignature("UNKNOWN/20150830/us-east-1/s3/aws4_request", policy, signature),
                "InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.");
    }
}
