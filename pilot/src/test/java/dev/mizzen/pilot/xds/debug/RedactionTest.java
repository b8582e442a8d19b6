package dev.mizzen.pilot.xds.debug;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.GenericSecret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsSessionTicketKeys;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A config dump never carries a private key, whatever shape the secret has: a TLS certificate's key as bytes or
 * as a string, its password, a PKCS#12 bundle, a generic secret, session ticket keys; bare, packed in an
 * {@code Any} as SDS sends it, or deep inside a cluster's or listener's TLS transport socket. What is not secret
 * (the certificate chain) stays.
 */
class RedactionTest {
    private static String keyPem;
    private static final String CHAIN = "-----BEGIN CERTIFICATE-----\nMIIBcertificatechain\n-----END CERTIFICATE-----\n";

    @BeforeAll
    static void realKey() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        keyPem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void everySecretShapeIsRedacted() {
        for (Map.Entry<String, Message> shape : shapes().entrySet()) {
            Message redacted = shape.getValue() instanceof Any any ? Redaction.redact(any) : Redaction.redact(shape.getValue());
            assertNoKey(shape.getKey(), redacted);
        }
    }

    @Test
    void theCertificateChainStays() {
        Secret secret = Secret.newBuilder().setName("default").setTlsCertificate(TlsCertificate.newBuilder()
                .setCertificateChain(bytes(CHAIN)).setPrivateKey(bytes(keyPem))).build();
        Secret redacted = Redaction.redact(secret);
        assertThat(redacted.getTlsCertificate().getCertificateChain().getInlineBytes().toStringUtf8()).isEqualTo(CHAIN);
        assertThat(redacted.getTlsCertificate().getPrivateKey().getInlineBytes()).isEqualTo(Redaction.REDACTED);
        assertThat(secret.getTlsCertificate().getPrivateKey().getInlineBytes().toStringUtf8())
                .as("the original is not touched").isEqualTo(keyPem);
    }

    @Test
    void aPackedTypeThatCannotBeReadIsNeverPrinted() {
        Any unknown = Any.newBuilder().setTypeUrl("type.googleapis.com/acme.v1.KeyHolder")
                .setValue(ByteString.copyFromUtf8(keyPem)).build();
        assertThatThrownBy(() -> EnvoyTypes.toJson(Redaction.redact(unknown))).isInstanceOf(IllegalStateException.class);
    }

    private static Map<String, Message> shapes() {
        Map<String, Message> out = new LinkedHashMap<>();
        out.put("tls private_key inline_bytes", secret(TlsCertificate.newBuilder().setCertificateChain(bytes(CHAIN))
                .setPrivateKey(bytes(keyPem)).build()));
        out.put("tls private_key inline_string", secret(TlsCertificate.newBuilder().setCertificateChain(bytes(CHAIN))
                .setPrivateKey(DataSource.newBuilder().setInlineString(keyPem)).build()));
        out.put("tls password", secret(TlsCertificate.newBuilder().setPrivateKey(DataSource.newBuilder().setFilename("/k"))
                .setPassword(DataSource.newBuilder().setInlineString(keyPem)).build()));
        out.put("tls pkcs12", secret(TlsCertificate.newBuilder().setPkcs12(bytes(keyPem)).build()));
        out.put("generic secret inline_bytes", Secret.newBuilder().setName("token")
                .setGenericSecret(GenericSecret.newBuilder().setSecret(bytes(keyPem))).build());
        out.put("generic secret inline_string", Secret.newBuilder().setName("token")
                .setGenericSecret(GenericSecret.newBuilder().setSecret(DataSource.newBuilder().setInlineString(keyPem))).build());
        out.put("session ticket keys", Secret.newBuilder().setName("tickets").setSessionTicketKeys(
                TlsSessionTicketKeys.newBuilder().addKeys(bytes(keyPem)).addKeys(bytes(keyPem + "2"))).build());
        out.put("secret packed as SDS sends it", Any.pack(secret(TlsCertificate.newBuilder().setPrivateKey(bytes(keyPem)).build())));
        out.put("generic secret packed", Any.pack(Secret.newBuilder().setName("token")
                .setGenericSecret(GenericSecret.newBuilder().setSecret(DataSource.newBuilder().setInlineString(keyPem))).build()));
        TlsCertificate inline = TlsCertificate.newBuilder().setCertificateChain(bytes(CHAIN)).setPrivateKey(bytes(keyPem)).build();
        out.put("cluster upstream TLS", Cluster.newBuilder().setName("outbound|443||x").setTransportSocket(
                TransportSocket.newBuilder().setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(
                        UpstreamTlsContext.newBuilder().setCommonTlsContext(CommonTlsContext.newBuilder()
                                .addTlsCertificates(inline)).build()))).build());
        out.put("listener downstream TLS, packed", Any.pack(Listener.newBuilder().setName("0.0.0.0_443").addFilterChains(
                FilterChain.newBuilder().setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
                        .setTypedConfig(Any.pack(DownstreamTlsContext.newBuilder().setCommonTlsContext(
                                CommonTlsContext.newBuilder().addTlsCertificates(inline)).build())))).build()));
        return out;
    }

    private static void assertNoKey(String shape, Message redacted) {
        String json = EnvoyTypes.toJson(redacted);
        String keyBody = keyPem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThat(json).as(shape).doesNotContain("PRIVATE KEY").doesNotContain(keyBody)
                .doesNotContain(Base64.getEncoder().encodeToString(keyPem.getBytes(StandardCharsets.UTF_8)).substring(0, 40))
                .contains(Base64.getEncoder().encodeToString(Redaction.REDACTED.toByteArray()));
        assertThat(redacted.toByteString().toStringUtf8()).as(shape + " (binary)").doesNotContain(keyBody)
                .doesNotContain("PRIVATE KEY");
    }

    private static Secret secret(TlsCertificate cert) {
        return Secret.newBuilder().setName("default").setTlsCertificate(cert).build();
    }

    private static DataSource bytes(String s) {
        return DataSource.newBuilder().setInlineBytes(ByteString.copyFromUtf8(s)).build();
    }
}
