package io.stratus.server.edge;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What the edge answers TLS with: a certificate for the names Stratus is reached by, issued at
 * each start by a certificate authority of this Stratus's own, which is created once and kept in
 * the data directory ({@code tls/ca.pem}, with its key beside it, readable by its owner only).
 * Clients that trust {@code ca.pem} reach every endpoint over HTTPS on the same port as HTTP, and
 * their requests then have {@code aws:SecureTransport} true, as requests to AWS do.
 *
 * <p>The server certificate names the host name Stratus hands out in URLs, {@code localhost} and
 * {@code localhost.localstack.cloud}, every name under them, the virtual-host forms of S3 buckets,
 * API Gateway APIs and function URLs in every region, and the loopback addresses. Keys are ECDSA
 * P-256.
 */
public final class TlsIdentity {

    private static final String CA_FILE = "ca.pem";
    private static final String CA_KEY_FILE = "ca-key.pem";
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String ORGANIZATION = "2.5.4.10";
    private static final String SUBJECT_KEY_ID = "2.5.29.14";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String AUTHORITY_KEY_ID = "2.5.29.35";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int DIGITAL_SIGNATURE = 0x80;
    private static final int KEY_CERT_SIGN = 0x04;
    private static final int CRL_SIGN = 0x02;
    /** AWS's public regions, for the regional virtual-host names (S3, function URLs). */
    private static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1",
            "ap-east-2", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
            "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1",
            "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
            "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate authority;
    private final X509Certificate server;
    private final SslContext sslContext;

    private TlsIdentity(X509Certificate authority, X509Certificate server, PrivateKey serverKey) throws javax.net.ssl.SSLException {
        this.authority = authority;
        this.server = server;
        this.sslContext = SslContextBuilder.forServer(serverKey, server, authority).sslProvider(SslProvider.JDK).build();
    }

    /**
     * The identity for a Stratus reached as {@code hostname}: its authority read from
     * {@code directory}, or created there first, and a server certificate issued now. One at a
     * time in the JVM, so a server restarted at once cannot pair its predecessor's key with
     * another certificate.
     */
    public static synchronized TlsIdentity open(Path directory, String hostname) {
        requireNonNull(directory, "directory is null");
        requireNonNull(hostname, "hostname is null");
        try {
            Path caFile = directory.resolve(CA_FILE);
            Path caKeyFile = directory.resolve(CA_KEY_FILE);
            X509Certificate authority;
            PrivateKey authorityKey;
            if (Files.isRegularFile(caFile) && Files.isRegularFile(caKeyFile)) {
                authority = certificate(pemContent(Files.readString(caFile), "CERTIFICATE"));
                authorityKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pemContent(Files.readString(caKeyFile),
                        "PRIVATE KEY")));
            } else {
                KeyPair keys = newKeyPair();
                authorityKey = keys.getPrivate();
                authority = issueAuthority(keys);
                Files.createDirectories(directory);
                // The key first, so a certificate on disk always has its key.
                write(caKeyFile, pem("PRIVATE KEY", authorityKey.getEncoded()), "rw-------");
                write(caFile, pem("CERTIFICATE", authority.getEncoded()), "rw-r--r--");
            }
            KeyPair serverKeys = newKeyPair();
            X509Certificate server = issueServer(serverKeys.getPublic(), hostname, authority, authorityKey);
            return new TlsIdentity(authority, server, serverKeys.getPrivate());
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("Cannot set up TLS: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the TLS authority in " + directory, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot make the TLS identity (delete " + directory + " to start afresh): " + e.getMessage(), e);
        }
    }

    /** The certificate authority clients trust to reach this Stratus over HTTPS. */
    public X509Certificate authority() {
        return authority;
    }

    /** The certificate the edge presents (issued by {@link #authority()}). */
    public X509Certificate server() {
        return server;
    }

    /** The server side of TLS for the edge, through the JDK's own TLS. */
    SslContext sslContext() {
        return sslContext;
    }

    /** The authority as PEM text, as {@code ca.pem} holds it. */
    public String authorityPem() {
        try {
            return pem("CERTIFICATE", authority.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate issueAuthority(KeyPair keys) throws GeneralSecurityException {
        byte[] name = name("Stratus local certificate authority");
        byte[] keyId = keyId(keys.getPublic());
        ZonedDateTime now = ZonedDateTime.now();
        byte[] extensions = Der.sequence(
                extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true), Der.integer(BigInteger.ZERO))),
                extension(KEY_USAGE, true, Der.flags(KEY_CERT_SIGN | CRL_SIGN)),
                extension(SUBJECT_KEY_ID, false, Der.octetString(keyId)));
        return sign(tbs(name, name, now.minusDays(1), now.plusYears(10), keys.getPublic(), extensions), keys.getPrivate());
    }

    private static X509Certificate issueServer(PublicKey key, String hostname, X509Certificate authority, PrivateKey authorityKey)
            throws GeneralSecurityException {
        List<byte[]> names = new ArrayList<>();
        for (String dnsName : dnsNames(hostname)) {
            // dNSName [2] IA5String
            names.add(Der.implicit(2, dnsName.getBytes(StandardCharsets.US_ASCII)));
        }
        for (String address : List.of("127.0.0.1", "::1")) {
            // iPAddress [7] OCTET STRING
            names.add(Der.implicit(7, address(address)));
        }
        ZonedDateTime now = ZonedDateTime.now();
        byte[] extensions = Der.sequence(
                extension(BASIC_CONSTRAINTS, true, Der.sequence()),
                extension(KEY_USAGE, true, Der.flags(DIGITAL_SIGNATURE)),
                extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH))),
                extension(SUBJECT_ALT_NAME, false, Der.sequence(names.toArray(byte[][]::new))),
                extension(SUBJECT_KEY_ID, false, Der.octetString(keyId(key))),
                extension(AUTHORITY_KEY_ID, false, Der.sequence(Der.implicit(0, keyId(authority.getPublicKey())))));
        byte[] issuer = authority.getSubjectX500Principal().getEncoded();
        return sign(tbs(issuer, name(hostname), now.minusDays(1), now.plusYears(1), key, extensions), authorityKey);
    }

    /**
     * The names the server certificate covers: the host name Stratus hands out, {@code localhost}
     * and LocalStack's {@code localhost.localstack.cloud} (which Stratus routes too), each with the
     * names under it and the virtual-host forms of buckets, APIs and function URLs.
     */
    static List<String> dnsNames(String hostname) {
        List<String> names = new ArrayList<>();
        for (String base : new java.util.LinkedHashSet<>(List.of(hostname, "localhost", "localhost.localstack.cloud"))) {
            names.addAll(List.of(base, "*." + base, "*.s3." + base, "*.execute-api." + base));
            for (String region : REGIONS) {
                names.add("*.s3." + region + "." + base);
                names.add("*.lambda-url." + region + "." + base);
                names.add("*.execute-api." + region + "." + base);
            }
        }
        return names;
    }

    private static byte[] tbs(byte[] issuer, byte[] subject, ZonedDateTime notBefore, ZonedDateTime notAfter, PublicKey key, byte[] extensions) {
        return Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)), // v3
                Der.integer(new BigInteger(127, RANDOM).add(BigInteger.ONE)),
                Der.sequence(Der.oid(ECDSA_WITH_SHA256)),
                issuer,
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                subject,
                key.getEncoded(), // SubjectPublicKeyInfo
                Der.explicit(3, extensions));
    }

    private static X509Certificate sign(byte[] tbs, PrivateKey key) throws GeneralSecurityException {
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(key);
        signature.update(tbs);
        return certificate(Der.sequence(tbs, Der.sequence(Der.oid(ECDSA_WITH_SHA256)), Der.bitString(signature.sign())));
    }

    private static byte[] name(String commonName) {
        return Der.sequence(
                Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8("Stratus"))),
                Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value)) : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** RFC 5280's method 1: the SHA-1 of the key's bits (the SubjectPublicKeyInfo's last element, past its bit string's header). */
    private static byte[] keyId(PublicKey key) throws GeneralSecurityException {
        byte[] info = key.getEncoded();
        // SEQUENCE { AlgorithmIdentifier, BIT STRING }: the bit string ends the encoding; a P-256 point is 65 bytes.
        int bits = info.length - 65;
        return MessageDigest.getInstance("SHA-1").digest(java.util.Arrays.copyOfRange(info, bits, info.length));
    }

    private static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type
                + "-----\n";
    }

    private static byte[] pemContent(String text, String type) {
        int begin = text.indexOf("-----BEGIN " + type + "-----");
        int end = text.indexOf("-----END " + type + "-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("no " + type + " in the file");
        }
        return Base64.getMimeDecoder().decode(text.substring(begin + type.length() + 16, end));
    }

    /** Writes a whole file, in place at once, with {@code permissions} where the file system has POSIX ones. */
    private static void write(Path file, String text, String permissions) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its own defaults apply.
        }
        Files.writeString(temp, text);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
