package dev.mizzen.it;

import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.demo.BookinfoRpc;
import dev.mizzen.demo.Convergence;
import dev.mizzen.demo.testing.TestTlsXdsCredentialsProvider;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.local.LocalApiServer;
import dev.mizzen.istiod.local.ManifestApplier;
import dev.mizzen.istiod.local.Manifests;
import dev.mizzen.istiod.testing.TestIstiod;
import dev.mizzen.istiod.testing.WorkloadCertificate;
import dev.mizzen.pilot.xds.ConnectionStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.xds.XdsChannelCredentials;
import io.grpc.xds.XdsNameResolverProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Proxyless mTLS and authorization as grpc-go enforces them: a grpc-go xDS server ({@code xds.NewGRPCServer},
 * through {@code grpcgo -serve}) called by a grpc-go and a grpc-java xDS client, all configured by istiod over its authenticated port
 * and holding certificates from istiod's CA that grpc-go's {@code file_watcher} certificate providers read, as
 * Istio's agent writes them. Under DestinationRule ISTIO_MUTUAL and PeerAuthentication STRICT the server sees
 * each client's SPIFFE identity; grpc-go's RBAC filter then applies AuthorizationPolicy DENY and ALLOW; a
 * plaintext client is refused; and neither workload rejects anything istiod sends. The grpc-java counterpart is
 * the demo's ProxylessAuthorizationTest.
 */
class GrpcGoMutualTlsTest {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcGoMutualTlsTest.class);
    private static final Duration TIMEOUT = TestIstiod.TIMEOUT;
    private static final String HOST = "echo.default.svc.cluster.local";
    private static final int SERVICE_PORT = 7070;
    private static final String CLIENT_ID = "spiffe://cluster.local/ns/default/sa/client";

    /** A proxyless client, whichever library it is built with. */
    private interface Client {
        Map<String, Integer> tally(String target, int calls);
    }

    @Test
    void theServerSeesTheClientsIdentityAndEnforcesAuthorizationPolicy(@TempDir Path dir) throws Exception {
        try (LocalApiServer api = LocalApiServer.start();
             IstiodServer istiod = IstiodServer.start(TestIstiod.settings(), api.client())) {
            ManifestApplier applier = new ManifestApplier(api.client());
            int serverPort = freePort();
            register(api, serverPort);
            apply(istiod, applier, """
                    apiVersion: security.istio.io/v1
                    kind: PeerAuthentication
                    metadata: {name: default, namespace: default}
                    spec: {mtls: {mode: STRICT}}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: DestinationRule
                    metadata: {name: echo, namespace: default}
                    spec: {host: %s, trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}
                    """.formatted(HOST));
            String stamp = String.valueOf(System.currentTimeMillis());
            try (GrpcGoServer server = GrpcGoServer.start("127.0.0.1:" + serverPort,
                         bootstrap(istiod, dir.resolve("echo"), "echo-1", "127.0.0.1", "echo", true, false),
                         logDir().resolve("grpcgo-server-" + stamp + ".log"));
                 GrpcGoClient client = GrpcGoClient.start(
                         bootstrap(istiod, dir.resolve("client"), "client-1", "127.0.0.2", "client", false, false),
                         logDir().resolve("grpcgo-client-" + stamp + ".log"));
                 GrpcJavaClient java = new GrpcJavaClient(
                         bootstrap(istiod, dir.resolve("client-java"), "client-java-1", "127.0.0.3", "client", false, true))) {
                await().atMost(TIMEOUT).until(() -> server.mode().equals("SERVING"));
                String target = HOST + ":" + SERVICE_PORT;
                // both clients run as service account "client": one principal for the policies below
                Map<String, Client> clients = new LinkedHashMap<>();
                clients.put("grpc-go", (t, n) -> client.tally(t, Map.of(), n));
                clients.put("grpc-java", java::tally);

                // mTLS: the server authenticated the client's workload certificate
                for (var c : clients.entrySet()) {
                    await().atMost(TIMEOUT).ignoreExceptions().until(() ->
                            c.getValue().tally(target, 5).equals(Map.of("echo " + CLIENT_ID, 5)));
                }

                // STRICT: a plaintext client (grpc-java, no xDS) is refused at the handshake
                ManagedChannel plaintext = Grpc.newChannelBuilderForAddress("127.0.0.1", serverPort,
                        InsecureChannelCredentials.create()).build();
                try {
                    assertThat(code(plaintext)).isEqualTo(Status.Code.UNAVAILABLE);
                } finally {
                    plaintext.shutdownNow();
                }

                String policy = """
                        apiVersion: security.istio.io/v1
                        kind: AuthorizationPolicy
                        metadata: {name: authz, namespace: default}
                        spec:
                          selector: {matchLabels: {app: echo}}
                          action: %s
                          rules: [{from: [{source: {principals: ["%s"]}}]}]
                        """;
                apply(istiod, applier, policy.formatted("DENY", "cluster.local/ns/default/sa/client"));
                for (var c : clients.entrySet()) {
                    await().atMost(TIMEOUT).until(() ->
                            c.getValue().tally(target, 5).equals(Map.of("error:PERMISSION_DENIED", 5)));
                }

                // apply() waited for the server's ACK: refused now for not being allowed
                apply(istiod, applier, policy.formatted("ALLOW", "cluster.local/ns/default/sa/someone-else"));
                for (var c : clients.entrySet()) {
                    assertThat(c.getValue().tally(target, 5)).as(c.getKey()).isEqualTo(Map.of("error:PERMISSION_DENIED", 5));
                }

                apply(istiod, applier, policy.formatted("ALLOW", "cluster.local/ns/default/sa/client"));
                for (var c : clients.entrySet()) {
                    await().atMost(TIMEOUT).until(() ->
                            c.getValue().tally(target, 5).equals(Map.of("echo " + CLIENT_ID, 5)));
                }
                assertThat(server.mode()).isEqualTo("SERVING");

                List<ConnectionStatus> streams = istiod.ads().status();
                LOG.info("{} xDS streams, NACKs per stream: {}", streams.size(),
                        streams.stream().map(s -> s.connectionId() + "=" + s.nacks()).toList());
                assertThat(streams).extracting(s -> s.proxy().podName()).contains("echo-1", "client-1", "client-java-1");
                for (ConnectionStatus s : streams) {
                    assertThat(s.nacks()).as("NACKs from " + s.connectionId() + ": " + s.types()).isZero();
                    s.types().values().forEach(t -> assertThat(t.lastError()).as(s.connectionId() + " " + t.typeUrl()).isEmpty());
                }
            }
        }
    }

    /** A grpc-java xDS client with xDS credentials (the TLS istiod sends for the cluster) and its own bootstrap. */
    private static final class GrpcJavaClient implements AutoCloseable {
        private static final java.util.concurrent.atomic.AtomicInteger SCHEMES = new java.util.concurrent.atomic.AtomicInteger();
        private final String scheme = "mizzen-grpcgo-mtls-" + SCHEMES.incrementAndGet();
        private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();

        GrpcJavaClient(Map<String, Object> bootstrap) {
            NameResolverRegistry.getDefaultRegistry().register(XdsNameResolverProvider.createForTest(scheme, bootstrap));
        }

        Map<String, Integer> tally(String target, int calls) {
            ManagedChannel channel = channels.computeIfAbsent(target, t -> Grpc.newChannelBuilder(scheme + ":///" + t,
                    XdsChannelCredentials.create(InsecureChannelCredentials.create())).build());
            Map<String, Integer> counts = new TreeMap<>();
            for (int i = 0; i < calls; i++) {
                try {
                    counts.merge(ClientCalls.blockingUnaryCall(channel, BookinfoRpc.CALL,
                            CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hello"), 1, Integer::sum);
                } catch (StatusRuntimeException e) {
                    counts.merge("error:" + e.getStatus().getCode(), 1, Integer::sum);
                }
            }
            return counts;
        }

        @Override
        public void close() {
            channels.values().forEach(ManagedChannel::shutdownNow);
        }
    }

    /**
     * The bootstrap Istio's agent writes for a proxyless workload: istiod's authenticated port with the workload
     * certificate, the node as the agent describes it, the certificates as the {@code default} file_watcher
     * provider, and (for a server) the name template of its inbound listeners. The workload certificate for
     * istiod's port is the one difference between the libraries: grpc-go's channel_creds {@code tls} reads the
     * files (gRFC A65), grpc-java's ignores its config, so a grpc-java client names the test provider that
     * reads them.
     */
    private static Map<String, Object> bootstrap(IstiodServer istiod, Path dir, String pod, String ip,
                                                 String serviceAccount, boolean server, boolean grpcJava) throws Exception {
        WorkloadCertificate workload = WorkloadCertificate.issue(istiod, "default", serviceAccount);
        Map<String, Object> credentials = TestTlsXdsCredentialsProvider.bootstrapCredentials(workload, dir);
        @SuppressWarnings("unchecked")
        Map<String, Object> files = (Map<String, Object>) credentials.get("config");
        if (!grpcJava) {
            credentials = Map.of("type", "tls", "config", files);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("GENERATOR", "grpc");
        metadata.put("NAMESPACE", "default");
        metadata.put("SERVICE_ACCOUNT", serviceAccount);
        metadata.put("INSTANCE_IPS", ip);
        metadata.put("LABELS", new TreeMap<>(Map.of("app", serviceAccount)));
        Map<String, Object> bootstrap = new LinkedHashMap<>();
        bootstrap.put("xds_servers", List.of(Map.of("server_uri", "localhost:" + istiod.secureXdsPort(),
                "channel_creds", List.of(credentials),
                "server_features", List.of("xds_v3"))));
        bootstrap.put("node", Map.of("id", "sidecar~" + ip + "~" + pod + ".default~default.svc.cluster.local",
                "metadata", metadata, "locality", Map.of()));
        Map<String, Object> provider = new LinkedHashMap<>(files);
        provider.put("refresh_interval", "900s");
        bootstrap.put("certificate_providers", Map.of("default", Map.of("plugin_name", "file_watcher", "config", provider)));
        if (server) {
            bootstrap.put("server_listener_resource_name_template", "xds.istio.io/grpc/lds/inbound/%s");
        }
        return bootstrap;
    }

    /** The echo Service (gRPC port 7070 to the server's port), its pod and its endpoint on loopback. */
    private static void register(LocalApiServer api, int serverPort) {
        api.client().resource(new ServiceBuilder().withNewMetadata().withName("echo").withNamespace("default").endMetadata()
                .withNewSpec().withClusterIP("10.96.0.70").withSelector(Map.of("app", "echo"))
                .addNewPort().withName("grpc").withPort(SERVICE_PORT).withTargetPort(new IntOrString(serverPort)).endPort()
                .endSpec().build()).create();
        api.client().resource(new PodBuilder().withNewMetadata().withName("echo-1").withNamespace("default")
                .withLabels(Map.of("app", "echo")).endMetadata()
                .withNewSpec().withServiceAccountName("echo").endSpec()
                .withNewStatus().withPodIP("127.0.0.1").endStatus().build()).create();
        api.client().resource(new EndpointSliceBuilder().withNewMetadata().withName("echo-abc").withNamespace("default")
                .withLabels(Map.of("kubernetes.io/service-name", "echo")).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("grpc").withPort(serverPort).endPort()
                .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(true).endConditions()
                .withNewTargetRef().withKind("Pod").withName("echo-1").withNamespace("default").endTargetRef()
                .endEndpoint().build()).create();
    }

    /** Applies Istio config and waits until it was pushed and every connected proxy acknowledged it. */
    private static void apply(IstiodServer istiod, ManifestApplier applier, String yaml) throws Exception {
        List<ConfigKey> keys = new ArrayList<>();
        for (Manifests.Document doc : Manifests.parse(yaml)) {
            ManifestApplier.ObjectRef ref = applier.apply(doc);
            keys.add(ConfigKey.of(ConfigKind.of(ref.apiVersion(), ref.kind()).orElseThrow(), ref.namespace(), ref.name()));
        }
        new Convergence(istiod).awaitPushed(keys, TIMEOUT);
    }

    private static Status.Code code(ManagedChannel channel) {
        try {
            ClientCalls.blockingUnaryCall(channel, BookinfoRpc.CALL,
                    CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hello");
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Path logDir() {
        return Paths.get(System.getProperty("mizzen.it.logs", "target/it-logs")).toAbsolutePath();
    }
}
