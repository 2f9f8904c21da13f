package io.stratus.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsIdentityTest {

    @TempDir
    Path dir;

    @Test
    void anAuthorityIsMadeOnceAndIssuesAServerCertificateEachStart() throws Exception {
        TlsIdentity first = TlsIdentity.open(dir, "localhost");
        TlsIdentity second = TlsIdentity.open(dir, "localhost");

        X509Certificate authority = first.authority();
        assertThat(second.authority()).isEqualTo(authority);
        authority.verify(authority.getPublicKey());
        assertThat(authority.getBasicConstraints()).as("a CA").isEqualTo(0);
        assertThat(authority.getKeyUsage()[5]).as("keyCertSign").isTrue();

        X509Certificate server = second.server();
        server.verify(authority.getPublicKey());
        server.checkValidity();
        assertThat(server.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(server.getIssuerX500Principal()).isEqualTo(authority.getSubjectX500Principal());
        assertThat(second.server()).isNotEqualTo(first.server());
    }

    @Test
    void theServerCertificateNamesTheHostAndTheVirtualHostForms() throws Exception {
        X509Certificate server = TlsIdentity.open(dir, "stratus.internal").server();
        Collection<List<?>> names = server.getSubjectAlternativeNames();
        List<Object> values = names.stream().map(name -> name.get(1)).map(Object.class::cast).toList();
        assertThat(values).contains("stratus.internal", "*.stratus.internal", "*.s3.stratus.internal", "*.s3.eu-west-1.stratus.internal",
                "*.lambda-url.us-east-1.stratus.internal", "*.execute-api.stratus.internal", "127.0.0.1", "localhost", "*.s3.localhost",
                "*.lambda-url.eu-west-1.localhost", "*.s3.localhost.localstack.cloud");
        assertThat(server.getEncoded().length).as("a certificate sent with every handshake").isLessThan(16 * 1024);
        assertThat(names).anySatisfy(name -> assertThat(List.<Object>copyOf(name)).containsExactly(7, "0:0:0:0:0:0:0:1"));
    }

    @Test
    void theAuthorityIsReadableItsKeyOnlyByItsOwner() throws Exception {
        TlsIdentity.open(dir, "localhost");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.pem")))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca-key.pem")))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo(TlsIdentity.open(dir, "localhost").authorityPem());
    }

    @Test
    void derEncodesAsX690Says() {
        assertThat(HexFormat.of().formatHex(Der.oid("1.2.840.10045.4.3.2"))).isEqualTo("06082a8648ce3d040302");
        assertThat(HexFormat.of().formatHex(Der.oid("2.5.29.17"))).isEqualTo("0603551d11");
        assertThat(HexFormat.of().formatHex(Der.flags(0x06))).isEqualTo("03020106");
        assertThat(HexFormat.of().formatHex(Der.flags(0x80))).isEqualTo("03020780");
        byte[] long200 = Der.octetString(new byte[200]);
        assertThat(HexFormat.of().formatHex(long200, 0, 3)).isEqualTo("0481c8");
        byte[] long300 = Der.octetString(new byte[300]);
        assertThat(HexFormat.of().formatHex(long300, 0, 4)).isEqualTo("0482012c");
    }
}
