package io.stratus.apigateway.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.apigateway.http.HttpApiResources.Authorizer;
import io.stratus.apigateway.http.HttpApiResources.Route;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JWT authorizers: the token from the identity source (a {@code Bearer } prefix is dropped) must be
 * a JWT signed (RS256/384/512 or ES256/384/512) by a key of the issuer's JWKS (found through
 * {@code <issuer>/.well-known/openid-configuration}), with the issuer's {@code iss}, an {@code aud}
 * or {@code client_id} among the audiences, an {@code exp} in the future and an {@code nbf} (if any)
 * in the past; else 401. A route with authorization scopes also needs one of them in the token's
 * {@code scope} or {@code scp}; else 403. Thread-safe: keys are cached per issuer in a concurrent map.
 */
final class JwtAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger(JwtAuthorizer.class);
    private static final Duration KEYS_FOR = Duration.ofMinutes(5);
    /** JWS algorithms and the JDK signatures that check them (ECDSA signatures in JWS are r‖s, the P1363 form). */
    private static final Map<String, String> ALGORITHMS = Map.of("RS256", "SHA256withRSA", "RS384", "SHA384withRSA", "RS512", "SHA512withRSA",
            "ES256", "SHA256withECDSAinP1363Format", "ES384", "SHA384withECDSAinP1363Format", "ES512", "SHA512withECDSAinP1363Format");
    private static final Map<String, String> CURVES = Map.of("P-256", "secp256r1", "P-384", "secp384r1", "P-521", "secp521r1");

    private record Keys(Map<String, PublicKey> byKid, List<PublicKey> all, Instant fetched) {}

    /** Why a token was refused, for {@code www-authenticate}. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final HttpClient client;
    private final Clock clock;
    private final Map<String, Keys> keysByIssuer = new ConcurrentHashMap<>();

    JwtAuthorizer(HttpClient client, Clock clock) {
        this.client = requireNonNull(client, "client is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    AuthorizerDecision authorize(Authorizer authorizer, Route route, HttpApiCall call) {
        Optional<String> source = IdentitySources.value(authorizer.identitySource().getFirst(), call);
        if (source.isEmpty()) {
            return AuthorizerDecision.unauthorized();
        }
        String token = source.get().strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).strip();
        }
        JsonNode claims;
        try {
            claims = verify(token, authorizer);
        } catch (Refused e) {
            return refused(e.getMessage());
        }
        List<String> scopes = scopes(claims);
        if (!route.authorizationScopes().isEmpty() && route.authorizationScopes().stream().noneMatch(scopes::contains)) {
            return AuthorizerDecision.forbidden();
        }
        ObjectNode claimValues = ProxyEventV2.JSON.createObjectNode();
        claims.properties().forEach(claim -> claimValues.put(claim.getKey(),
                claim.getValue().isValueNode() ? claim.getValue().asText() : claim.getValue().toString()));
        ObjectNode v2 = ProxyEventV2.JSON.createObjectNode();
        ObjectNode jwt = v2.putObject("jwt");
        jwt.set("claims", claimValues);
        ObjectNode v1 = ProxyEventV2.JSON.createObjectNode();
        v1.set("claims", claimValues.deepCopy());
        if (scopes.isEmpty()) {
            jwt.putNull("scopes");
            v1.putNull("scopes");
        } else {
            ArrayNode array = jwt.putArray("scopes");
            scopes.forEach(array::add);
            v1.set("scopes", array.deepCopy());
        }
        return new AuthorizerDecision.Allow(v2, v1);
    }

    private static AuthorizerDecision refused(String reason) {
        return new AuthorizerDecision.Deny(AuthorizerDecision.unauthorized().response()
                .header("www-authenticate", "Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + reason + "\""));
    }

    private JsonNode verify(String token, Authorizer authorizer) throws Refused {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new Refused("the token is not a JWT");
        }
        JsonNode header = decodePart(parts[0]);
        JsonNode claims = decodePart(parts[1]);
        String algorithm = ALGORITHMS.get(header.path("alg").asText());
        if (algorithm == null) {
            throw new Refused("the token's algorithm is not supported");
        }
        String issuer = authorizer.jwtConfiguration().issuer();
        if (!issuer.equals(claims.path("iss").asText(null))) {
            throw new Refused("the token has an invalid issuer");
        }
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = base64Url(parts[2]);
        String kid = header.path("kid").asText(null);
        if (!verifies(keys(issuer, kid, false), kid, algorithm, signed, signature)
                && !verifies(keys(issuer, kid, true), kid, algorithm, signed, signature)) {
            throw new Refused("the token's signature is invalid");
        }
        long now = clock.instant().getEpochSecond();
        if (!claims.path("exp").isNumber()) {
            throw new Refused("the token has no expiry");
        }
        if (claims.get("exp").asLong() <= now) {
            throw new Refused("the token has expired");
        }
        if (claims.path("nbf").isNumber() && claims.get("nbf").asLong() > now) {
            throw new Refused("the token is not valid yet");
        }
        Set<String> audiences = new HashSet<>();
        JsonNode aud = claims.path("aud");
        if (aud.isArray()) {
            aud.forEach(value -> audiences.add(value.asText()));
        } else if (aud.isTextual()) {
            audiences.add(aud.asText());
        } else if (claims.path("client_id").isTextual()) {
            audiences.add(claims.get("client_id").asText());
        }
        if (authorizer.jwtConfiguration().audience().stream().noneMatch(audiences::contains)) {
            throw new Refused("the token does not have a valid audience");
        }
        return claims;
    }

    private static boolean verifies(List<PublicKey> keys, String kid, String algorithm, byte[] signed, byte[] signature) {
        for (PublicKey key : keys) {
            try {
                Signature verifier = Signature.getInstance(algorithm);
                verifier.initVerify(key);
                verifier.update(signed);
                if (verifier.verify(signature)) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                LOG.debug("Key {} cannot verify a token", kid, e);
            }
        }
        return false;
    }

    /** The issuer's keys with this kid (all of them when the token names none); fetched again when {@code refresh} or stale. */
    private List<PublicKey> keys(String issuer, String kid, boolean refresh) throws Refused {
        Keys keys = keysByIssuer.get(issuer);
        if (keys == null || refresh || keys.fetched().plus(KEYS_FOR).isBefore(clock.instant())) {
            keys = fetchKeys(issuer);
            keysByIssuer.put(issuer, keys);
        }
        if (kid == null) {
            return keys.all();
        }
        PublicKey key = keys.byKid().get(kid);
        return key == null ? List.of() : List.of(key);
    }

    private Keys fetchKeys(String issuer) throws Refused {
        try {
            String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            JsonNode configuration = fetch(URI.create(base + "/.well-known/openid-configuration"));
            String jwksUri = configuration.path("jwks_uri").asText(null);
            if (jwksUri == null) {
                throw new Refused("the issuer's configuration has no jwks_uri");
            }
            JsonNode jwks = fetch(URI.create(jwksUri));
            Map<String, PublicKey> byKid = new java.util.HashMap<>();
            List<PublicKey> all = new ArrayList<>();
            for (JsonNode key : jwks.path("keys")) {
                Optional<PublicKey> read = publicKey(key);
                if (read.isEmpty()) {
                    continue;
                }
                PublicKey publicKey = read.get();
                all.add(publicKey);
                if (key.path("kid").isTextual()) {
                    byKid.put(key.get("kid").asText(), publicKey);
                }
            }
            return new Keys(Map.copyOf(byKid), List.copyOf(all), clock.instant());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            LOG.debug("Cannot read the keys of issuer {}", issuer, e);
            throw new Refused("the issuer's keys cannot be read");
        }
    }

    /** An RSA or EC (P-256, P-384, P-521) key of a JWKS; empty for other kinds. */
    private static Optional<PublicKey> publicKey(JsonNode key) throws GeneralSecurityException {
        switch (key.path("kty").asText()) {
            case "RSA" -> {
                if (!key.path("n").isTextual() || !key.path("e").isTextual()) {
                    return Optional.empty();
                }
                return Optional.of(KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                        new BigInteger(1, base64Url(key.get("n").asText())), new BigInteger(1, base64Url(key.get("e").asText())))));
            }
            case "EC" -> {
                String curve = CURVES.get(key.path("crv").asText());
                if (curve == null || !key.path("x").isTextual() || !key.path("y").isTextual()) {
                    return Optional.empty();
                }
                AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                parameters.init(new ECGenParameterSpec(curve));
                ECPoint point = new ECPoint(new BigInteger(1, base64Url(key.get("x").asText())), new BigInteger(1, base64Url(key.get("y").asText())));
                return Optional.of(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point,
                        parameters.getParameterSpec(ECParameterSpec.class))));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private JsonNode fetch(URI uri) throws Refused {
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new Refused("the issuer's keys cannot be fetched");
            }
            return ProxyEventV2.JSON.readTree(response.body());
        } catch (IOException e) {
            LOG.debug("Cannot fetch {}", uri, e);
            throw new Refused("the issuer's keys cannot be fetched");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("the issuer's keys cannot be fetched");
        }
    }

    /** The token's scopes: {@code scope} (space-separated) or {@code scp} (a list or a string). */
    private static List<String> scopes(JsonNode claims) {
        List<String> scopes = new ArrayList<>();
        for (String member : List.of("scope", "scp")) {
            JsonNode value = claims.path(member);
            if (value.isTextual()) {
                for (String scope : value.asText().split(" ")) {
                    if (!scope.isBlank()) {
                        scopes.add(scope);
                    }
                }
            } else if (value.isArray()) {
                value.forEach(scope -> scopes.add(scope.asText()));
            }
        }
        return scopes;
    }

    private static JsonNode decodePart(String part) throws Refused {
        try {
            JsonNode node = ProxyEventV2.JSON.readTree(base64Url(part));
            if (node == null || !node.isObject()) {
                throw new Refused("the token is not a JWT");
            }
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw new Refused("the token is not a JWT");
        }
    }

    private static byte[] base64Url(String text) {
        return Base64.getUrlDecoder().decode(text.replace("=", ""));
    }
}
