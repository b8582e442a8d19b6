package dev.mizzen.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mizzen.api.config.SpecReader;
import dev.mizzen.demo.BookinfoRpc;
import dev.mizzen.demo.ProxylessClient;
import dev.mizzen.demo.Workload;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.IstiodSettings;
import dev.mizzen.istiod.testing.WorkloadCertificate;
import dev.mizzen.pilot.xds.ConnectionStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.xds.XdsChannelCredentials;
import io.grpc.xds.XdsNameResolverProvider;
import io.grpc.xds.XdsServerBuilder;
import io.grpc.xds.XdsServerCredentials;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 13, scenario 5: Istio's own {@code pilot-agent}, run as the {@code istio-proxy} container istiod's
 * injector made from the {@code grpc-agent} template (proxyless gRPC), with a projected token from the real
 * apiserver: it gets its certificate from Mizzen's CA on the authenticated port (the CA has the apiserver review
 * the token), writes the gRPC bootstrap, and proxies xDS for the app; grpc-java, bootstrapped from that file,
 * calls a server through the config istiod serves.
 *
 * <p>The server runs in this JVM on 127.0.0.1, registered with a ServiceEntry ({@link EchoWorkloads} says why).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentTest {
    private static final Duration WAIT = Duration.ofMinutes(1);
    private static final String NS = "grpc-echo";
    private static final String POD = "echo-client";

    private static KubeCluster cluster;
    private static KubernetesClient admin;
    private static KubernetesClient asIstiod;
    private static IstiodServer istiod;
    private static Workload server;
    private static Pod pod;
    private static PilotAgent agent;
    private static ProxylessClient client;
    /** The channels of {@link #callWithXdsCredentials}, by target, on one XdsClient (one scheme). */
    private static final Map<String, ManagedChannel> XDS_CREDENTIALS_CHANNELS = new ConcurrentHashMap<>();
    private static String xdsCredentialsScheme;

    @BeforeAll
    static void start() throws Exception {
        int webhookPort = ClusterIstiod.freePort();
        cluster = KubeCluster.start("agent-test", ClusterIstiod.serviceAddressFlag(webhookPort));
        admin = cluster.client();
        MizzenInstall.apply(admin, WAIT);
        asIstiod = ClusterIstiod.clientAs(cluster, MizzenInstall.NAMESPACE, MizzenInstall.SERVICE_ACCOUNT);
        istiod = ClusterIstiod.start(asIstiod, new IstiodSettings.Ports(0, 0, webhookPort, 0));

        server = Workload.start("echo", "v1", "127.0.0.1", 0);
        EchoWorkloads.registerServer(admin, NS, server.port());
        pod = EchoWorkloads.deployProxyless(admin, NS, POD, WAIT);
        agent = PilotAgent.start(cluster, pod, istiod.secureXdsPort());
    }

    @AfterAll
    static void stop() {
        XDS_CREDENTIALS_CHANNELS.values().forEach(ManagedChannel::shutdownNow);
        for (AutoCloseable c : new AutoCloseable[] {client, agent, server, istiod, asIstiod, cluster}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the others still close
                }
            }
        }
    }

    private static String spiffeId() {
        return "spiffe://cluster.local/ns/" + NS + "/sa/" + POD;
    }

    private static String nodeId() {
        return "sidecar~" + pod.getStatus().getPodIP() + "~" + POD + "." + NS + "~" + NS + ".svc.cluster.local";
    }

    @Test
    @Order(1)
    void theInjectedPodRunsTheAgentWithAProjectedIstioCaToken() {
        Container proxy = Stream.concat(pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
                .filter(c -> c.getName().equals("istio-proxy")).findFirst().orElseThrow();
        assertThat(proxy.getArgs()).startsWith("proxy", "sidecar");
        assertThat(proxy.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("ISTIO_META_GENERATOR");
            assertThat(e.getValue()).isEqualTo("grpc");
        });
        assertThat(pod.getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("istio-token");
            assertThat(v.getProjected().getSources()).singleElement()
                    .satisfies(s -> assertThat(s.getServiceAccountToken().getAudience()).isEqualTo("istio-ca"));
        });
        assertThat(pod.getSpec().getContainers()).filteredOn(c -> c.getName().equals("app")).singleElement()
                .satisfies(app -> assertThat(app.getEnv()).anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("GRPC_XDS_BOOTSTRAP");
                    assertThat(e.getValue()).isEqualTo("/etc/istio/proxy/grpc-bootstrap.json");
                }));
    }

    /** The agent's CSR went to our CA with the token; the certificate names the pod's SPIFFE identity. */
    @Test
    @Order(2)
    void theAgentGetsItsCertificateFromOurCa() throws Exception {
        Path certs = agent.certificates();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(agent.isAlive()).as("pilot-agent runs; its log:\n%s", agent.log()).isTrue();
            assertThat(certs.resolve("cert-chain.pem")).as(agent.log()).exists();
            assertThat(certs.resolve("key.pem")).exists();
            assertThat(certs.resolve("root-cert.pem")).exists();
        });
        List<X509Certificate> chain = certificates(certs.resolve("cert-chain.pem"));
        X509Certificate leaf = chain.get(0);
        assertThat(sanUris(leaf)).containsExactly(spiffeId());
        List<X509Certificate> roots = certificates(certs.resolve("root-cert.pem"));
        assertThat(roots).containsExactlyElementsOf(istiod.citadel().roots());
        leaf.verify(chain.size() > 1 ? chain.get(1).getPublicKey() : roots.get(0).getPublicKey());
        // the app reads the key too: grpc-java's file_watcher provider reads PKCS#8 ("PRIVATE KEY") and nothing else
        assertThat(Files.readString(certs.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    /** The bootstrap the agent writes for the app: xDS through the agent's socket, the node of this pod. */
    @Test
    @Order(3)
    void theAgentWritesTheGrpcBootstrap() throws Exception {
        await().atMost(WAIT).untilAsserted(() -> assertThat(agent.grpcBootstrap()).as(agent.log()).exists());
        Map<String, Object> bootstrap = bootstrap();
        @SuppressWarnings("unchecked")
        Map<String, Object> server0 = ((List<Map<String, Object>>) bootstrap.get("xds_servers")).get(0);
        assertThat((String) server0.get("server_uri")).startsWith("unix:///").endsWith("/etc/istio/proxy/XDS");
        @SuppressWarnings("unchecked")
        Map<String, Object> node = (Map<String, Object>) bootstrap.get("node");
        assertThat(node.get("id")).isEqualTo(nodeId());
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) node.get("metadata");
        assertThat(metadata).containsEntry("GENERATOR", "grpc").containsEntry("NAMESPACE", NS)
                .containsEntry("SERVICE_ACCOUNT", POD);
        // the pod's labels, read from its downward API volume: what selects its policies
        assertThat(metadata.get("LABELS")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("app", POD);
        assertThat(SpecReader.mapper().writeValueAsString(bootstrap.get("certificate_providers")))
                .contains(agent.certificates().resolve("cert-chain.pem").toString());
    }

    /** grpc-java, bootstrapped from that file, resolves and calls through the config istiod served the agent. */
    @Test
    @Order(4)
    void grpcJavaCallsThroughXdsFromIstiodViaTheAgent() throws Exception {
        client = ProxylessClient.isolated(bootstrap());
        Calls.awaitAnswer(WAIT, "echo v1", () -> client.call(EchoWorkloads.target(), Map.of()));
        // the stream istiod serves is the agent's, on the authenticated port, acknowledged in full
        await().atMost(WAIT).untilAsserted(() -> assertThat(istiod.ads().status())
                .filteredOn(s -> s.proxyId().equals(nodeId())).singleElement()
                .satisfies(s -> {
                    assertThat(s.nacks()).isZero();
                    assertThat(s.inSync()).as("%s", s).isTrue();
                }));
        assertThat(istiod.ads().status()).extracting(ConnectionStatus::nacks).containsOnly(0);
    }

    /**
     * The CA signs only for tokens the apiserver vouches for with the audience istio-ca (the mock apiserver of the
     * unit tests said yes to any token): not for the same Pod's token of the apiserver's own audience, not for a
     * token no apiserver signed, not for a token bound to a Pod that is gone.
     */
    @Test
    @Order(5)
    void theCaSignsOnlyForTokensTheApiserverVouchesForAsIstioCa() throws Exception {
        ManagedChannel channel = XdsConnections.secureChannel(istiod.secureXdsPort(), XdsConnections.publishedRoot(admin, NS));
        try {
            CaClient.Answer signed = CaClient.createCertificate(channel, podToken(pod, List.of("istio-ca")));
            assertThat(signed.refused()).isNull();
            assertThat(sanUris(signed.chain().get(0))).containsExactly(spiffeId());

            assertThat(CaClient.createCertificate(channel, podToken(pod, List.of())).refused())
                    .as("a token for the apiserver's audience").isIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);
            assertThat(CaClient.createCertificate(channel, forgedToken()).refused())
                    .as("a token no apiserver signed").isIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);

            Pod gone = admin.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("gone")
                    .endMetadata().withNewSpec().withServiceAccountName(POD)
                    .addNewContainer().withName("app").withImage("example.invalid/gone:1").endContainer().endSpec()
                    .build()).create();
            String orphan = podToken(gone, List.of("istio-ca"));
            admin.pods().inNamespace(NS).withName("gone").delete();
            await().atMost(WAIT).until(() -> admin.pods().inNamespace(NS).withName("gone").get() == null);
            assertThat(CaClient.createCertificate(channel, orphan).refused())
                    .as("a token bound to a deleted Pod").isIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * With a DestinationRule ISTIO_MUTUAL, grpc-java takes its certificate and the mesh root from the files the agent
     * wrote (the bootstrap's {@code default} file_watcher provider, which istiod's TLS config names): the server,
     * which requires a client certificate from the mesh CA, sees the pod's SPIFFE identity on the wire.
     */
    @Test
    @Order(6)
    void grpcJavaCallsOverMutualTlsWithTheAgentsCertificate() throws Exception {
        // Istio's agent serves one xDS client at a time (a new downstream stream closes the one before), as a pod
        // has one gRPC process sharing one XdsClient: the plaintext client of the test before goes first
        if (client != null) {
            client.close();
            client = null;
        }
        AtomicReference<X509Certificate> peer = new AtomicReference<>();
        Server secure = MutualTlsEcho.start(WorkloadCertificate.issue(istiod, NS, "echo-server"), peer);
        try {
            MizzenInstall.applyYaml(admin, """
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: secure-echo, namespace: %s}
                    spec:
                      hosts: [secure-echo.mesh.test]
                      location: MESH_INTERNAL
                      resolution: STATIC
                      ports: [{number: 7071, name: grpc, protocol: GRPC}]
                      endpoints: [{address: 127.0.0.1, ports: {grpc: %d}, serviceAccount: echo-server}]
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: DestinationRule
                    metadata: {name: secure-echo, namespace: %s}
                    spec:
                      host: secure-echo.mesh.test
                      trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
                    """.formatted(NS, secure.getPort(), NS));
            Calls.awaitAnswer(WAIT, "secure echo", () -> callWithXdsCredentials("secure-echo.mesh.test:7071"));
            assertThat(sanUris(peer.get())).containsExactly(spiffeId());
            assertThat(peer.get()).isEqualTo(certificates(agent.certificates().resolve("cert-chain.pem")).get(0));
        } finally {
            secure.shutdownNow();
        }
    }

    /**
     * A proxyless gRPC server (grpc-java's XdsServerBuilder on 127.0.0.1), configured through its own pod's agent:
     * the port is served because a Service selecting the pod targets it; PeerAuthentication STRICT makes it require
     * mTLS; its AuthorizationPolicy is judged on the client's certificate (the client's agent wrote it), first
     * denying, then, once the policy names the client's principal, allowing. A plaintext client is never served.
     */
    @Test
    @Order(7)
    void aProxylessServerRequiresMutualTlsAndJudgesThePrincipalOfTheAgentsCertificate() throws Exception {
        int port = ClusterIstiod.freePort();
        Pod serverPod = EchoWorkloads.deployProxyless(admin, NS, "echo-server", WAIT);
        MizzenInstall.applyYaml(admin, """
                apiVersion: v1
                kind: Service
                metadata: {name: echo-server, namespace: %1$s}
                spec:
                  selector: {app: echo-server}
                  ports: [{name: grpc, port: 7072, targetPort: %2$d}]
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: echo-server, namespace: %1$s}
                spec:
                  selector: {matchLabels: {app: echo-server}}
                  mtls: {mode: STRICT}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: echo-server, namespace: %1$s}
                spec:
                  selector: {matchLabels: {app: echo-server}}
                  action: ALLOW
                  rules: [{from: [{source: {principals: [cluster.local/ns/%1$s/sa/someone-else]}}]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: xds-echo, namespace: %1$s}
                spec:
                  hosts: [xds-echo.mesh.test]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 7072, name: grpc, protocol: GRPC}]
                  endpoints: [{address: 127.0.0.1, ports: {grpc: %2$d}, serviceAccount: echo-server}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: xds-echo, namespace: %1$s}
                spec:
                  host: xds-echo.mesh.test
                  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
                """.formatted(NS, port));
        try (PilotAgent serverAgent = PilotAgent.start(cluster, serverPod, istiod.secureXdsPort())) {
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(serverAgent.grpcBootstrap()).as(serverAgent.log()).exists());
            @SuppressWarnings("unchecked")
            Map<String, Object> serverBootstrap =
                    SpecReader.mapper().readValue(Files.readString(serverAgent.grpcBootstrap()), Map.class);
            Server server = XdsServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port),
                            XdsServerCredentials.create(InsecureServerCredentials.create()))
                    .overrideBootstrapForTest(serverBootstrap)
                    .addService(ServerServiceDefinition.builder("mizzen.demo.Bookinfo")
                            .addMethod(BookinfoRpc.CALL, ServerCalls.asyncUnaryCall((request, response) -> {
                                response.onNext("xds echo");
                                response.onCompleted();
                            }))
                            .build())
                    .build()
                    .start();
            try {
                Calls.awaitAnswer(WAIT, "PERMISSION_DENIED",
                        () -> statusOf(() -> callWithXdsCredentials("xds-echo.mesh.test:7072")));
                MizzenInstall.applyYaml(admin, """
                        apiVersion: security.istio.io/v1
                        kind: AuthorizationPolicy
                        metadata: {name: echo-server, namespace: %1$s}
                        spec:
                          selector: {matchLabels: {app: echo-server}}
                          action: ALLOW
                          rules: [{from: [{source: {principals: [cluster.local/ns/%1$s/sa/%2$s]}}]}]
                        """.formatted(NS, POD));
                Calls.awaitAnswer(WAIT, "xds echo", () -> callWithXdsCredentials("xds-echo.mesh.test:7072"));

                ManagedChannel plaintext = Grpc.newChannelBuilderForAddress("127.0.0.1", port,
                        InsecureChannelCredentials.create()).build();
                try {
                    assertThat(statusOf(() -> ClientCalls.blockingUnaryCall(plaintext, BookinfoRpc.CALL,
                            CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hello")))
                            .isIn("UNAVAILABLE", "DEADLINE_EXCEEDED");
                } finally {
                    plaintext.shutdownNow();
                }
            } finally {
                server.shutdownNow();
            }
        }
    }

    /**
     * One call through a channel with xDS credentials (the TLS config istiod sends, with the certificates of the
     * bootstrap's providers) on the client agent's bootstrap. One scheme and channels kept open, so one XdsClient
     * for the whole class, as in a pod's one gRPC process: the agent serves one downstream stream at a time.
     */
    private static synchronized String callWithXdsCredentials(String target) {
        if (xdsCredentialsScheme == null) {
            try {
                NameResolverRegistry.getDefaultRegistry().register(
                        XdsNameResolverProvider.createForTest("agent-xds-credentials", bootstrap()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            xdsCredentialsScheme = "agent-xds-credentials";
        }
        ManagedChannel channel = XDS_CREDENTIALS_CHANNELS.computeIfAbsent(target, t -> Grpc.newChannelBuilder(
                xdsCredentialsScheme + ":///" + t, XdsChannelCredentials.create(InsecureChannelCredentials.create()))
                .build());
        return ClientCalls.blockingUnaryCall(channel, BookinfoRpc.CALL,
                CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hello");
    }

    /** The answer of a call, or the name of the status code it failed with. */
    private static String statusOf(Supplier<String> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode().name();
        }
    }

    /** A token as the kubelet gets it for a projected volume: bound to the Pod. */
    private static String podToken(Pod of, List<String> audiences) {
        return admin.serviceAccounts().inNamespace(NS).withName(of.getSpec().getServiceAccountName())
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withAudiences(audiences).withExpirationSeconds(600L)
                        .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod")
                        .withName(of.getMetadata().getName()).withUid(of.getMetadata().getUid()).endBoundObjectRef()
                        .endSpec().build())
                .getStatus().getToken();
    }

    /** JWT-shaped, with the claims of this Pod's account and audience istio-ca, signed by nobody. */
    private static String forgedToken() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"RS256\",\"kid\":\"forged\"}";
        String claims = ("{\"aud\":[\"istio-ca\"],\"iss\":\"%s\",\"sub\":\"system:serviceaccount:%s:%s\","
                + "\"exp\":%d}").formatted(cluster.serviceAccountIssuer(), NS, POD, System.currentTimeMillis() / 1000 + 600);
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("not a signature".getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> sanUris(X509Certificate certificate) throws Exception {
        return certificate.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bootstrap() throws Exception {
        return SpecReader.mapper().readValue(Files.readString(agent.grpcBootstrap()), Map.class);
    }

    private static List<X509Certificate> certificates(Path pem) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (var c : factory.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(pem)))) {
            out.add((X509Certificate) c);
        }
        return out;
    }
}
