package io.stratus.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AWS's published SigV4 vectors (the Signature Version 4 test suite and the S3 API reference
 * examples): the canonical request, string to sign and signature must come out exactly, the signer
 * must reproduce the signature, and the verifier must accept the signed request.
 */
class SigV4TestSuiteTest {

    static Stream<SigV4Fixtures.Vector> vectors() {
        return SigV4Fixtures.vectors().stream();
    }

    private static SigV4Fixtures.Suite suiteOf(SigV4Fixtures.Vector vector) {
        return SigV4Fixtures.suite(vector.name().startsWith("s3-") ? "s3-examples.json" : "aws-sig-v4-test-suite.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void canonicalRequestStringToSignAndSignatureMatchAws(SigV4Fixtures.Vector vector) {
        SigV4Fixtures.Suite suite = suiteOf(vector);
        CanonicalRequest canonical = CanonicalRequest.of(vector.request(), vector.signedHeaders(), vector.payloadHash(), suite.service(), false);
        assertThat(canonical.toString()).isEqualTo(vector.canonicalRequest());

        String scope = suite.amzDate().substring(0, 8) + "/" + suite.region() + "/" + suite.service() + "/aws4_request";
        String stringToSign = SigV4Signer.stringToSign(suite.amzDate(), scope, canonical.hash());
        assertThat(stringToSign).isEqualTo(vector.stringToSign());

        SigningKey key = SigningKey.derive(suite.secretAccessKey(), suite.amzDate().substring(0, 8), suite.region(), suite.service());
        assertThat(key.sign(stringToSign)).isEqualTo(vector.signature());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void signerProducesThePublishedAuthorizationAndTheVerifierAcceptsIt(SigV4Fixtures.Vector vector) {
        SigV4Fixtures.Suite suite = suiteOf(vector);
        Instant time = SigV4Parser.parseAmzDate(suite.amzDate()).orElseThrow();
        // The signer signs every header present; the one vector that signs fewer keeps the rest out.
        SignableRequest.Snapshot unsigned = vector.request();
        for (String name : List.copyOf(unsigned.headerNames())) {
            if (!vector.signedHeaders().contains(name)) {
                unsigned = withoutHeader(unsigned, name);
            }
        }
        SigV4Signer signer = new SigV4Signer(suite.accessKeyId(), suite.secretAccessKey(), Optional.empty());
        SignableRequest.Snapshot signed = signer.sign(unsigned, suite.region(), suite.service(), time, vector.payloadHash());

        CredentialScope scope = new CredentialScope(suite.accessKeyId(), suite.amzDate().substring(0, 8), suite.region(), suite.service(),
                "aws4_request");
        assertThat(signed.firstHeader("authorization")).contains(SigV4Signer.authorization(scope, vector.signedHeaders(), vector.signature()));

        SigV4Auth auth = SigV4Parser.parse(vector.request().withHeader("authorization", signed.firstHeader("authorization").orElseThrow()))
                .orElseThrow();
        SigV4Verifier verifier = new SigV4Verifier(key -> Optional.of(suite.secretAccessKey()).filter(s -> key.equals(suite.accessKeyId())),
                Clock.fixed(time, ZoneOffset.UTC));
        verifier.verify(vector.request(), auth, vector.payloadHash());
    }

    private static SignableRequest.Snapshot withoutHeader(SignableRequest.Snapshot request, String name) {
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.remove(name);
        return new SignableRequest.Snapshot(request.method(), request.rawPath(), request.rawQuery(), headers);
    }
}
