package dev.mizzen.istiod.local;

import dev.mizzen.api.security.ca.v1.IstioCertificateRequest;
import dev.mizzen.api.security.ca.v1.IstioCertificateResponse;
import dev.mizzen.api.security.ca.v1.IstioCertificateServiceGrpc;
import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.istiod.Istiod;
import dev.mizzen.istiod.testing.TestIstiod;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Local mode as kubectl and a workload meet it: the written kubeconfig reaches the embedded apiserver (with its
 * token) and Istio's kinds are known to discovery; a service account's token, from a running istiod or from the
 * directory's state, gets a certificate with the workload's SPIFFE identity from the CA; the CA's root survives a
 * restart.
 */
class LocalIdentityAndKubectlTest {
    private static final String FILES = """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: reviews}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec:
              selector: {app: reviews}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: bookinfo-gateway}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 8080, name: http, protocol: HTTP}
                hosts: ["*"]
            """;

    @Test
    void kubectlWorksTokensGetCertificatesAndTheRootSurvivesARestart(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app.yaml"), FILES);
        LocalMode.Options options = LocalMode.Options.of(dir).withKubeconfig(dir.resolve("kube/config"))
                .withQuiet(Duration.ofMillis(50));
        String rootBefore;
        String offlineToken;
        try (LocalMode local = LocalMode.start(options, TestIstiod.settings(), Optional.empty())) {
            // kubectl's calls, through fabric8 built from the written kubeconfig
            Config config = Config.fromKubeconfig(Files.readString(dir.resolve("kube/config")));
            try (KubernetesClient kubectl = new KubernetesClientBuilder().withConfig(config).build()) {
                assertThat(kubectl.raw("/api")).contains("\"v1\"");
                assertThat(kubectl.getApiGroups().getGroups()).anySatisfy(g -> {
                    assertThat(g.getName()).isEqualTo("networking.istio.io");
                    assertThat(g.getPreferredVersion().getVersion()).isEqualTo("v1");
                });
                assertThat(kubectl.getApiResources("networking.istio.io/v1").getResources())
                        .anySatisfy(r -> assertThat(r.getName()).isEqualTo("gateways"));
                await().atMost(TestIstiod.TIMEOUT).until(() -> !kubectl.genericKubernetesResources("networking.istio.io/v1",
                        "Gateway").inNamespace("default").list().getItems().isEmpty());
                List<GenericKubernetesResource> gateways = kubectl.genericKubernetesResources("networking.istio.io/v1",
                        "Gateway").inNamespace("default").list().getItems();
                assertThat(gateways).extracting(g -> g.getMetadata().getName()).containsExactly("bookinfo-gateway");
                assertThat(kubectl.services().inNamespace("default").withName("reviews").get().getSpec().getClusterIP())
                        .startsWith("10.96.");
                assertThat(kubectl.serviceAccounts().inNamespace("kube-system").withName("default").get()).isNotNull();
                // kubectl create token: TokenRequest, whose token the CA takes
                String requested = kubectl.serviceAccounts().inNamespace("default").withName("reviews")
                        .tokenRequest(new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewSpec()
                                .withAudiences("istio-ca").endSpec().build()).getStatus().getToken();
                assertThat(certificate(local, requested).getSubjectAlternativeNames()).anySatisfy(san ->
                        assertThat(san.get(1)).isEqualTo("spiffe://cluster.local/ns/default/sa/reviews"));
            }
            Config anonymous = Config.fromKubeconfig(Files.readString(dir.resolve("kube/config")));
            anonymous.setOauthToken("not-the-token");
            try (KubernetesClient stranger = new KubernetesClientBuilder().withConfig(anonymous).build()) {
                assertThatThrownBy(() -> stranger.services().inNamespace("default").list())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
            }

            // a workload's token from the running istiod gets its certificate, as in a cluster
            String token = run("token", "--namespace", "default", "--service-account", "reviews",
                    "--istiod-address", "127.0.0.1:" + local.istiod().monitoringPort());
            X509Certificate leaf = certificate(local, token);
            assertThat(leaf.getSubjectAlternativeNames()).anySatisfy(san ->
                    assertThat(san.get(1)).isEqualTo("spiffe://cluster.local/ns/default/sa/reviews"));
            // a service account that does not exist gets no token, and no certificate with a forged one
            assertThat(runFailing("token", "-n", "default", "--service-account", "nobody",
                    "--istiod-address", "127.0.0.1:" + local.istiod().monitoringPort())).contains("404");
            offlineToken = run("token", "-n", "default", "--service-account", "reviews", "--local", dir.toString());
            assertThat(certificate(local, offlineToken).getSubjectAlternativeNames()).anySatisfy(san ->
                    assertThat(san.get(1)).isEqualTo("spiffe://cluster.local/ns/default/sa/reviews"));
            rootBefore = local.istiod().citadel().rootsPem();
            await().atMost(TestIstiod.TIMEOUT).until(() -> local.state().caSecret().isPresent());
        }

        try (LocalMode again = LocalMode.start(options, TestIstiod.settings(), Optional.empty())) {
            assertThat(again.istiod().citadel().rootsPem()).isEqualTo(rootBefore);
            // the same signing key: a token of the previous run still proves the identity
            await().atMost(TestIstiod.TIMEOUT).ignoreExceptions().until(() ->
                    certificate(again, offlineToken).getSubjectAlternativeNames() != null);
        }
    }

    /** CreateCertificate on the secure port with the token, as Istio's agent asks for a workload certificate. */
    private static X509Certificate certificate(LocalMode local, String token) throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", local.istiod().secureXdsPort(),
                        TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(
                                local.istiod().citadel().rootsPem().getBytes(StandardCharsets.UTF_8))).build())
                .overrideAuthority("istiod.istio-system.svc")
                .build();
        try {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            IstioCertificateResponse response = IstioCertificateServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .createCertificate(IstioCertificateRequest.newBuilder().setCsr(csr()).build());
            X509Certificate leaf = Pem.certificates(response.getCertChain(0)).get(0);
            X509Certificate root = Pem.certificates(response.getCertChain(response.getCertChainCount() - 1)).get(0);
            leaf.verify(root.getPublicKey());
            return leaf;
        } finally {
            channel.shutdownNow();
        }
    }

    private static String csr() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("O=cluster.local"), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(request);
        }
        return out.toString();
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Istiod()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        assertThat(exit).as("istiod %s: %s", String.join(" ", args), err).isZero();
        return out.toString().trim();
    }

    private static String runFailing(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Istiod()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err));
        assertThat(cli.execute(args)).isNotZero();
        return err.toString();
    }
}
