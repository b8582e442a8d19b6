package dev.mizzen.istiod.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mizzen.istiod.tls.PemFiles;
import dev.mizzen.istiod.testing.SelfSignedCertificate;
import dev.mizzen.istiod.tls.ServingTls;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The serving certificate as istiod makes it (self-signed) or reads it (--tls-cert-file, --tls-key-file). */
class PemFilesTest {
    @TempDir
    Path dir;

    @Test
    void selfSignedCertificatesNameIstiodServiceAndLocalhost() throws Exception {
        ServingTls.Credentials credentials = SelfSignedCertificate.generate(
                SelfSignedCertificate.istiodNames("istio-system", "cluster.local"), Clock.systemUTC());

        X509Certificate leaf = credentials.leaf();
        assertThat(leaf.getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1)).containsExactly(
                "istiod.istio-system.svc", "istiod.istio-system.svc.cluster.local", "istiod", "localhost");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        leaf.checkValidity();
        assertThat(leaf.getNotAfter().toInstant()).isAfter(Instant.now().plus(SelfSignedCertificate.VALIDITY).minusSeconds(60));
        leaf.verify(leaf.getPublicKey());
    }

    @Test
    void aChainAndKeyRoundTripThroughPemFiles() throws Exception {
        ServingTls.Credentials credentials = SelfSignedCertificate.generate(List.of("istiod.example"), Clock.systemUTC());
        Path cert = write("cert.pem", credentials.leaf());
        Path key = write("key.pem", credentials.key());

        ServingTls.Credentials read = PemFiles.read(cert, key);

        assertThat(read.chain()).containsExactly(credentials.leaf());
        assertThat(read.key().getEncoded()).isEqualTo(credentials.key().getEncoded());
    }

    @Test
    void aFileWithoutCertificateIsRefusedWithItsName() throws Exception {
        ServingTls.Credentials credentials = SelfSignedCertificate.generate(List.of("istiod.example"), Clock.systemUTC());
        Path key = write("key.pem", credentials.key());

        assertThatThrownBy(() -> PemFiles.read(key, key))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("key.pem").hasMessageContaining("no PEM CERTIFICATE block");
    }

    @Test
    void aFileWithoutKeyIsRefusedWithItsName() throws Exception {
        ServingTls.Credentials credentials = SelfSignedCertificate.generate(List.of("istiod.example"), Clock.systemUTC());
        Path cert = write("cert.pem", credentials.leaf());

        assertThatThrownBy(() -> PemFiles.read(cert, cert))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cert.pem").hasMessageContaining("no unencrypted PEM private key");
    }

    private Path write(String name, Object pemObject) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(pemObject instanceof PrivateKey key
                    ? new JcaPKCS8Generator(key, null) : pemObject);
        }
        return Files.writeString(dir.resolve(name), text.toString());
    }
}
