package dev.mizzen.demo.e2e;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * AuthorizationPolicy and PeerAuthentication enforced between real proxyless gRPC workloads: a grpc-java server
 * built with {@code XdsServerBuilder} and a grpc-java xDS client, both configured by istiod over its authenticated
 * port and both holding certificates from istiod's CA, read by grpc-java's file-watcher certificate providers as
 * Istio's gRPC agent writes them. grpc-java itself enforces what istiod sends: mTLS and the RBAC filter.
 */
class ProxylessAuthorizationTest {
    private static final Duration TIMEOUT = TestIstiod.TIMEOUT;
    private static final String HOST = "echo.default.svc.cluster.local";
    private static final int SERVICE_PORT = 7070;
    private static final AtomicInteger SCHEMES = new AtomicInteger();

    private LocalApiServer api;
    private IstiodServer istiod;
    private ManifestApplier applier;
    private Server server;
    private int serverPort;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        api = LocalApiServer.start();
        istiod = IstiodServer.start(TestIstiod.settings(), api.client());
        applier = new ManifestApplier(api.client());
        serverPort = freePort();
        register();
        // every workload talks mTLS: the server requires it, the client originates it
        apply("""
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
        server = XdsServerBuilder.forPort(serverPort, XdsServerCredentials.create(InsecureServerCredentials.create()))
                .overrideBootstrapForTest(bootstrap("echo-1", "127.0.0.1", "echo", Map.of("app", "echo"), true))
                .addService(echoService())
                .build()
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            for (ConnectionStatus status : istiod.ads().status()) {
                assertThat(status.nacks()).as("NACKs from %s", status.proxyId()).isZero();
            }
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
            if (server != null) {
                server.shutdownNow();
            }
            istiod.close();
            api.close();
        }
    }

    @Test
    void withoutAPolicyTheCallSucceedsOverMutualTls() throws Exception {
        ManagedChannel client = xdsClient("client");
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> call(client).equals("echo"));
    }

    @Test
    void aDenyOnTheClientsPrincipalRefusesIt() throws Exception {
        ManagedChannel client = xdsClient("client");
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> call(client).equals("echo"));
        apply("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: deny-client, namespace: default}
                spec:
                  selector: {matchLabels: {app: echo}}
                  action: DENY
                  rules: [{from: [{source: {principals: ["cluster.local/ns/default/sa/client"]}}]}]
                """);
        await().atMost(TIMEOUT).until(() -> code(client) == Status.Code.PERMISSION_DENIED);
    }

    @Test
    void anAllowForAnotherPrincipalRefusesTheClientAndOneForItsMethodLetsItIn() throws Exception {
        ManagedChannel client = xdsClient("client");
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> call(client).equals("echo"));
        apply("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: allow, namespace: default}
                spec:
                  selector: {matchLabels: {app: echo}}
                  action: ALLOW
                  rules: [{from: [{source: {principals: ["cluster.local/ns/default/sa/someone-else"]}}]}]
                """);
        await().atMost(TIMEOUT).until(() -> code(client) == Status.Code.PERMISSION_DENIED);
        apply("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: allow, namespace: default}
                spec:
                  selector: {matchLabels: {app: echo}}
                  action: ALLOW
                  rules:
                  - from: [{source: {principals: ["cluster.local/ns/default/sa/client"]}}]
                    to: [{operation: {paths: ["/mizzen.demo.Bookinfo/Call"]}}]
                """);
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> call(client).equals("echo"));
    }

    @Test
    void strictMutualTlsRefusesAPlaintextClient() throws Exception {
        ManagedChannel client = xdsClient("client");
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> call(client).equals("echo"));
        ManagedChannel plaintext = Grpc.newChannelBuilderForAddress("127.0.0.1", serverPort,
                InsecureChannelCredentials.create()).build();
        channels.add(plaintext);
        assertThat(code(plaintext)).isEqualTo(Status.Code.UNAVAILABLE);

        // the refusal is STRICT's doing: relaxed to PERMISSIVE (plaintext for a pod not labelled for mTLS, as
        // Istio's gRPC generator has it), the same plaintext client is served
        apply("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: default}
                spec: {mtls: {mode: PERMISSIVE}}
                """);
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> call(plaintext).equals("echo"));
    }

    private String call(ManagedChannel channel) {
        return ClientCalls.blockingUnaryCall(channel, BookinfoRpc.CALL,
                CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hello");
    }

    private Status.Code code(ManagedChannel channel) {
        try {
            call(channel);
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static ServerServiceDefinition echoService() {
        return ServerServiceDefinition.builder("mizzen.demo.Bookinfo")
                .addMethod(BookinfoRpc.CALL, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext("echo");
                    response.onCompleted();
                }))
                .build();
    }

    /** A client of the echo service through xDS, as service account {@code serviceAccount} of {@code default}. */
    private ManagedChannel xdsClient(String serviceAccount) throws Exception {
        String scheme = "mizzen-authz-" + SCHEMES.incrementAndGet();
        NameResolverRegistry.getDefaultRegistry().register(XdsNameResolverProvider.createForTest(scheme,
                bootstrap(serviceAccount + "-1", "127.0.0.2", serviceAccount, Map.of("app", serviceAccount), false)));
        ManagedChannel channel = Grpc.newChannelBuilder(scheme + ":///" + HOST + ":" + SERVICE_PORT,
                XdsChannelCredentials.create(InsecureChannelCredentials.create())).build();
        channels.add(channel);
        return channel;
    }

    /**
     * The bootstrap Istio's gRPC agent writes: istiod's authenticated port with the workload's certificate, the
     * node as the agent describes it, the certificates as a file-watcher provider, and (for a server) the name
     * template of its inbound listeners.
     */
    private Map<String, Object> bootstrap(String pod, String ip, String serviceAccount, Map<String, String> labels,
                                          boolean server) throws Exception {
        Path dir = Files.createTempDirectory("mizzen-authz-" + pod);
        dir.toFile().deleteOnExit(); // registered before its files, so deleted after them
        Map<String, Object> credentials = TestTlsXdsCredentialsProvider.bootstrapCredentials(
                WorkloadCertificate.issue(istiod, "default", serviceAccount), dir);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("GENERATOR", "grpc");
        metadata.put("NAMESPACE", "default");
        metadata.put("SERVICE_ACCOUNT", serviceAccount);
        metadata.put("INSTANCE_IPS", ip);
        metadata.put("LABELS", new TreeMap<>(labels));
        Map<String, Object> bootstrap = new HashMap<>();
        bootstrap.put("xds_servers", List.of(Map.of("server_uri", "localhost:" + istiod.secureXdsPort(),
                "channel_creds", List.of(credentials), "server_features", List.of("xds_v3"))));
        bootstrap.put("node", Map.of("id", "sidecar~" + ip + "~" + pod + ".default~default.svc.cluster.local",
                "metadata", metadata, "locality", Map.of()));
        bootstrap.put("certificate_providers", Map.of("default", Map.of("plugin_name", "file_watcher",
                "config", Map.of("certificate_file", dir.resolve("cert-chain.pem").toString(),
                        "private_key_file", dir.resolve("key.pem").toString(),
                        "ca_certificate_file", dir.resolve("root-cert.pem").toString(),
                        "refresh_interval", "900s"))));
        if (server) {
            bootstrap.put("server_listener_resource_name_template", "xds.istio.io/grpc/lds/inbound/%s");
        }
        return bootstrap;
    }

    /** The echo Service (gRPC port 7070 to the server's port), its pod and its endpoint on loopback. */
    private void register() {
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
    private void apply(String yaml) throws Exception {
        List<ConfigKey> keys = new ArrayList<>();
        for (Manifests.Document doc : Manifests.parse(yaml)) {
            ManifestApplier.ObjectRef ref = applier.apply(doc);
            keys.add(ConfigKey.of(ConfigKind.of(ref.apiVersion(), ref.kind()).orElseThrow(), ref.namespace(), ref.name()));
        }
        new Convergence(istiod).awaitPushed(keys, TIMEOUT);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
