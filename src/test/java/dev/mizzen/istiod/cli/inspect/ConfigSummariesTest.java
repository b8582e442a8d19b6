package dev.mizzen.istiod.cli.inspect;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.mizzen.istiod.testing.SelfSignedCertificate;
import dev.mizzen.istiod.tls.ServingTls;
import dev.mizzen.pilot.xds.debug.EnvoyTypes;
import dev.mizzen.pilot.xds.debug.Redaction;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.SecretsConfigDump;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxy-config secret}'s table read from a config dump as istiod writes it (secrets redacted, then printed
 * as protobuf JSON): the certificate chain and the root, their serials and validity, as istioctl shows them.
 */
class ConfigSummariesTest {
    @Test
    void secretsShowEachCertificateAndItsValidity() {
        ServingTls.Credentials workload = SelfSignedCertificate.generate(List.of("reviews.default.svc"), Clock.systemUTC());
        X509Certificate leaf = workload.leaf();
        Secret chain = Secret.newBuilder().setName("default").setTlsCertificate(TlsCertificate.newBuilder()
                .setCertificateChain(pem(leaf)).setPrivateKey(DataSource.newBuilder().setInlineBytes(
                        ByteString.copyFromUtf8("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n")))).build();
        Secret root = Secret.newBuilder().setName("ROOTCA").setValidationContext(
                CertificateValidationContext.newBuilder().setTrustedCa(pem(leaf))).build();
        ConfigDump dump = ConfigDump.newBuilder().addConfigs(Any.pack(SecretsConfigDump.newBuilder()
                .addDynamicActiveSecrets(SecretsConfigDump.DynamicSecret.newBuilder().setName("default")
                        .setSecret(Redaction.redact(Any.pack(chain))))
                .addDynamicActiveSecrets(SecretsConfigDump.DynamicSecret.newBuilder().setName("ROOTCA")
                        .setSecret(Redaction.redact(Any.pack(root))))
                .build())).build();
        String json = EnvoyTypes.toJson(dump);
        assertThat(json).doesNotContain("PRIVATE KEY");
        ConfigDumpView view = new ConfigDumpView(JsonMapper.builder().build().readTree(json));

        String serial = leaf.getSerialNumber().toString(16);
        String notAfter = leaf.getNotAfter().toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
        String notBefore = leaf.getNotBefore().toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
        List<String> now = ConfigSummaries.secrets(view, Instant.now()).lines().toList();
        assertThat(now.get(0).split("\\s{2,}")).containsExactly("RESOURCE NAME", "TYPE", "STATUS", "VALID CERT",
                "SERIAL NUMBER", "NOT AFTER", "NOT BEFORE");
        assertThat(now.get(1).split("\\s{2,}")).containsExactly("default", "Cert Chain", "ACTIVE", "true", serial, notAfter, notBefore);
        assertThat(now.get(2).split("\\s{2,}")).containsExactly("ROOTCA", "CA", "ACTIVE", "true", serial, notAfter, notBefore);

        List<String> later = ConfigSummaries.secrets(view, leaf.getNotAfter().toInstant().plusSeconds(1)).lines().toList();
        assertThat(later.get(1).split("\\s{2,}")[3]).isEqualTo("false");
    }

    private static DataSource pem(X509Certificate cert) {
        try {
            String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
            return DataSource.newBuilder().setInlineBytes(ByteString.copyFromUtf8(pem)).build();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
