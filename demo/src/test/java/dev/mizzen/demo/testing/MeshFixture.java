package dev.mizzen.demo.testing;

import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.testing.TestIstiod;
import dev.mizzen.istiod.testing.WorkloadCertificate;
import dev.mizzen.demo.Bookinfo;
import dev.mizzen.demo.Convergence;
import dev.mizzen.demo.ProxylessClient;
import dev.mizzen.istiod.local.LocalApiServer;
import dev.mizzen.istiod.local.ManifestApplier;
import dev.mizzen.istiod.local.Manifests;
import dev.mizzen.pilot.xds.ConnectionStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * istiod on an embedded API server with Bookinfo's stand-in workloads registered, and a proxyless gRPC
 * client (grpc-java's xDS client) in the default namespace. Closing it asserts that no proxy NACKed anything.
 */
public final class MeshFixture implements AutoCloseable {
    public static final Duration TIMEOUT = TestIstiod.TIMEOUT;

    private final LocalApiServer api;
    private final IstiodServer istiod;
    private final Bookinfo bookinfo;
    private final Convergence convergence;
    private final ProxylessClient client;
    private final ManifestApplier applier;

    private MeshFixture(LocalApiServer api, IstiodServer istiod, Bookinfo bookinfo, ProxylessClient client) {
        this.api = api;
        this.istiod = istiod;
        this.bookinfo = bookinfo;
        this.convergence = new Convergence(istiod);
        this.client = client;
        this.applier = new ManifestApplier(api.client());
    }

    public static MeshFixture start() throws IOException {
        LocalApiServer api = LocalApiServer.start();
        IstiodServer istiod = IstiodServer.start(TestIstiod.settings(), api.client());
        Bookinfo bookinfo = Bookinfo.start();
        bookinfo.register(api.client());
        ProxylessClient client = ProxylessClient.isolated(bootstrap(istiod, "test-client", "default"));
        // the first calls connect the client and subscribe it to every Bookinfo service
        for (String app : bookinfo.apps()) {
            client.tally(app + ":" + Bookinfo.SERVICE_PORT, Map.of(), 1);
        }
        return new MeshFixture(api, istiod, bookinfo, client);
    }

    /**
     * A bootstrap for a proxyless client of this istiod, in {@code namespace}, as service account
     * {@code default}: it connects to the authenticated port with a workload certificate from istiod's CA.
     */
    public static Map<String, Object> bootstrap(IstiodServer istiod, String pod, String namespace) {
        Map<String, Object> bootstrap = new java.util.HashMap<>(ProxylessClient.bootstrap("localhost:" + istiod.secureXdsPort(),
                "sidecar~127.0.0.2~" + pod + "." + namespace + "~" + namespace + ".svc.cluster.local", namespace,
                Map.of("app", pod)));
        Path certs;
        try {
            certs = Files.createTempDirectory("mizzen-test-certs");
            certs.toFile().deleteOnExit(); // registered before its files, so deleted after them
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, Object> credentials = TestTlsXdsCredentialsProvider.bootstrapCredentials(
                WorkloadCertificate.issue(istiod, namespace, "default"), certs);
        bootstrap.put("xds_servers", List.of(Map.of("server_uri", "localhost:" + istiod.secureXdsPort(),
                "channel_creds", List.of(credentials), "server_features", List.of("xds_v3"))));
        return bootstrap;
    }

    public KubernetesClient kube() {
        return api.client();
    }

    public IstiodServer istiod() {
        return istiod;
    }

    public Bookinfo bookinfo() {
        return bookinfo;
    }

    public ProxylessClient client() {
        return client;
    }

    /** Applies Istio config YAML and waits until it was pushed and every proxy acknowledged it. */
    public void apply(String yaml) throws Exception {
        List<ConfigKey> keys = new ArrayList<>();
        for (Manifests.Document doc : Manifests.parse(yaml)) {
            ManifestApplier.ObjectRef ref = applier.apply(doc);
            keys.add(ConfigKey.of(ConfigKind.of(ref.apiVersion(), ref.kind()).orElseThrow(), ref.namespace(), ref.name()));
        }
        convergence.awaitPushed(keys, TIMEOUT);
    }

    /** Applies one of Istio's Bookinfo samples (test resources under istio/bookinfo/networking). */
    public void applySample(String name) throws Exception {
        apply(sample(name));
    }

    public static String sample(String name) throws IOException {
        String path = "/istio/bookinfo/networking/" + name + ".yaml";
        try (InputStream in = MeshFixture.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Applies YAML without waiting: for objects that istiod is expected to skip. */
    public List<ManifestApplier.ObjectRef> applyOnly(String yaml) throws Exception {
        List<ManifestApplier.ObjectRef> refs = new ArrayList<>();
        for (Manifests.Document doc : Manifests.parse(yaml)) {
            refs.add(applier.apply(doc));
        }
        return refs;
    }

    /** Waits until every connected proxy acknowledged its whole config. */
    public void awaitInSync() throws Exception {
        convergence.awaitInSync(TIMEOUT);
    }

    /** Counts who answered {@code calls} calls to {@code target}. */
    public Map<String, Integer> tally(String target, Map<String, String> headers, int calls) {
        return client.tally(target, headers, calls);
    }

    public void assertNoNacks() {
        for (ConnectionStatus status : istiod.ads().status()) {
            assertThat(status.nacks()).as("NACKs from %s", status.proxyId()).isZero();
        }
    }

    @Override
    public void close() {
        try {
            assertNoNacks();
        } finally {
            client.close();
            bookinfo.close();
            istiod.close();
            api.close();
        }
    }
}
