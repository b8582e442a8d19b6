package dev.mizzen.istiod.local;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.galley.config.KubeConfigStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;

/**
 * An embedded Kubernetes API server for running without a cluster: fabric8's mock server in CRUD mode
 * (list and watch work), with Istio's config kinds registered. istiod reads it through the same informers
 * it uses against a real apiserver.
 */
public final class LocalApiServer implements AutoCloseable {
    /** The mock server logs every connection through java.util.logging; held so the level sticks. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private LocalApiServer(KubernetesMockServer server, KubernetesClient client) {
        this.server = server;
        this.client = client;
    }

    public static LocalApiServer start() {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        List<CustomResourceDefinitionContext> crds = ConfigKind.all().stream()
                .map(KubeConfigStore::crdContext)
                .toList();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(crds), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        crds.forEach(server::expectCustomResource);
        return new LocalApiServer(server, server.createClient());
    }

    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
