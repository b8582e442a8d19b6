package dev.mizzen.it;

import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.IstiodSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live analysis judges a Gateway's {@code credentialName} against the cluster's Secrets, as Istio's
 * {@code gateway.SecretAnalyzer}: the Secret is looked up in the gateway pod's namespace; missing, it is IST0101;
 * with an expired certificate, IST0161; with a valid one, nothing. Istiod reads Secrets through the watch its
 * service registry already has, as its own ServiceAccount.
 */
class GatewaySecretsAnalysisTest {
    /** Istio's analysis interval paces live analysis (10 s): a message follows a change within about that. */
    private static final Duration ANALYSIS = Duration.ofSeconds(45);
    private static final String NS = "shop";
    private static final String MESH = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: shop-gateway, namespace: shop, labels: {istio: shop-gateway}}
            spec: {containers: [{name: istio-proxy, image: proxyv2}]}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: shop, namespace: shop}
            spec:
              selector: {istio: shop-gateway}
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [shop.example.com]
                tls: {mode: SIMPLE, credentialName: shop-cert}
            """;
    private static final String NOT_FOUND =
            "Error [IST0101] (Gateway shop/shop) Referenced credentialName not found: \"shop-cert\"";
    private static final String INVALID = "Error [IST0161] (Gateway shop/shop) The credential referenced by the"
            + " Gateway shop in namespace shop is invalid, which can cause the traffic not to work as expected.";

    @Test
    void credentialSecretsAreJudgedAsTheyChange() throws Exception {
        int webhookPort = ClusterIstiod.freePort();
        try (KubeCluster cluster = KubeCluster.start("gateway-secrets", ClusterIstiod.serviceAddressFlag(webhookPort))) {
            KubernetesClient admin = cluster.client();
            MizzenInstall.apply(admin, Duration.ofMinutes(1));
            try (KubernetesClient asIstiod = ClusterIstiod.clientAs(cluster, MizzenInstall.NAMESPACE,
                    MizzenInstall.SERVICE_ACCOUNT);
                 IstiodServer istiod = ClusterIstiod.start(asIstiod,
                         new IstiodSettings.Ports(0, 0, webhookPort, 0))) {
                MizzenInstall.applyYaml(admin, MESH);
                await().atMost(ANALYSIS).untilAsserted(() -> assertThat(debugAnalyze(istiod)).contains(NOT_FOUND));

                Instant now = Instant.now();
                MizzenInstall.applyYaml(admin, tlsSecret(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))));
                await().atMost(ANALYSIS).untilAsserted(() -> assertThat(debugAnalyze(istiod))
                        .contains(INVALID).doesNotContain(NOT_FOUND));

                MizzenInstall.applyYaml(admin, tlsSecret(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))));
                await().atMost(ANALYSIS).untilAsserted(() -> assertThat(debugAnalyze(istiod))
                        .doesNotContain("[IST0161]").doesNotContain("[IST0101] (Gateway shop/shop)"));
            }
        }
    }

    /** The Secret {@code shop/shop-cert} with a self-signed certificate valid in this window, and its key. */
    private static String tlsSecret(Instant notBefore, Instant notAfter) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = gen.generateKeyPair();
        X500Name subject = new X500Name("CN=shop.example.com");
        byte[] cert = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(System.nanoTime()),
                Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())).getEncoded();
        Base64.Encoder b64 = Base64.getEncoder();
        return "apiVersion: v1\nkind: Secret\nmetadata: {name: shop-cert, namespace: " + NS + "}\n"
                + "type: kubernetes.io/tls\ndata:\n"
                + "  tls.crt: " + b64.encodeToString(pem("CERTIFICATE", cert).getBytes()) + "\n"
                + "  tls.key: " + b64.encodeToString(pem("PRIVATE KEY", pair.getPrivate().getEncoded()).getBytes()) + "\n";
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String debugAnalyze(IstiodServer istiod) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + istiod.monitoringPort() + "/debug/analyze")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
