package dev.mizzen.istiod.local;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.galley.config.KubeConfigStore;
import dev.mizzen.istiod.local.apiserver.Cidr;
import dev.mizzen.istiod.local.apiserver.Discovery;
import dev.mizzen.istiod.local.apiserver.IpAllocator;
import dev.mizzen.istiod.local.apiserver.Kubeconfig;
import dev.mizzen.istiod.local.apiserver.LocalDispatcher;
import dev.mizzen.istiod.local.identity.ServiceAccountTokens;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An embedded Kubernetes API server for running without a cluster: fabric8's mock server in CRUD mode (list and
 * watch work) on loopback, behind {@link LocalDispatcher} (a bearer token on every request, discovery, cluster IPs,
 * TokenReview and TokenRequest, CRDs served at all their versions). Istio's CRDs are installed in it, so kubectl
 * knows Istio's kinds; istiod reads it through the same informers it uses against a real apiserver.
 */
public final class LocalApiServer implements AutoCloseable {
    /** The mock server logs every connection through java.util.logging; held so the level sticks. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    /** Istio's CRDs as we ship them (install/kubernetes/crds, packaged into galley's jar). */
    private static final String ISTIO_CRDS = "/dev/mizzen/galley/schema/crds/crd-all.gen.yaml";
    /** The Kubernetes release the discovery documents claim. */
    private static final VersionInfo VERSION = new VersionInfo.Builder().withMajor("1").withMinor("34").build();

    /**
     * @param port         the port on 127.0.0.1 (0 picks a free one)
     * @param adminToken   the bearer token every client must send
     * @param serviceRange where Service cluster IPs come from (Kubernetes' default 10.96.0.0/12)
     * @param tokens       issues and reviews service-account tokens
     */
    public record Settings(int port, String adminToken, Cidr serviceRange, ServiceAccountTokens tokens) {
        public static final Cidr DEFAULT_SERVICE_RANGE = Cidr.parse("10.96.0.0/12");

        public Settings {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not in 0..65535");
            }
            if (adminToken == null || adminToken.length() < 16) {
                throw new IllegalArgumentException("the apiserver's token must have at least 16 characters");
            }
        }

        /** A free port, a fresh token and signing key: for tests and tools that keep nothing. */
        public static Settings ephemeral() {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            return new Settings(0, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), DEFAULT_SERVICE_RANGE,
                    new ServiceAccountTokens(ServiceAccountTokens.newKey(), Clock.systemUTC()));
        }

        /** What the state directory keeps: the same token and signing key at every start. */
        public static Settings of(LocalState state, int port, Cidr serviceRange) {
            return new Settings(port, state.adminToken(), serviceRange,
                    new ServiceAccountTokens(state.signingKey(), Clock.systemUTC()));
        }
    }

    private final KubernetesMockServer server;
    private final LocalDispatcher dispatcher;
    private final KubernetesClient client;
    private final Settings settings;

    private LocalApiServer(KubernetesMockServer server, LocalDispatcher dispatcher, KubernetesClient client,
                           Settings settings) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.client = client;
        this.settings = settings;
    }

    /** An apiserver that keeps nothing ({@link Settings#ephemeral()}), with Istio's CRDs installed. */
    public static LocalApiServer start() {
        return start(Settings.ephemeral());
    }

    public static LocalApiServer start(Settings settings) {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        LocalDispatcher dispatcher = new LocalDispatcher(settings.adminToken(), new Discovery(VERSION),
                new IpAllocator(settings.serviceRange()), settings.tokens());
        // istiod's kinds at the versions it watches, also those no shipped CRD describes
        ConfigKind.all().stream().map(KubeConfigStore::crdContext).forEach(dispatcher::expectCustomResource);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false, VERSION);
        server.init(loopback(), settings.port());
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config(server, settings, Map.of())).build();
        LocalApiServer api = new LocalApiServer(server, dispatcher, client, settings);
        try {
            api.installIstioCrds();
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        return api;
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Config config(KubernetesMockServer server, Settings settings, Map<String, String> headers) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + server.getPort() + "/")
                .withOauthToken(settings.adminToken())
                .withNamespace("default")
                .withHttp2Disable(true)
                .withCustomHeaders(headers)
                .withRequestRetryBackoffLimit(0)
                .build();
    }

    /** Creates Istio's CustomResourceDefinitions, as {@code istioctl install} or the base chart does. */
    private void installIstioCrds() {
        try (InputStream in = LocalApiServer.class.getResourceAsStream(ISTIO_CRDS)) {
            if (in == null) {
                throw new IllegalStateException("Istio's CRDs are not on the class path (" + ISTIO_CRDS + ")");
            }
            for (Object doc : client.load(in).items()) {
                if (doc instanceof CustomResourceDefinition crd) {
                    crd.getMetadata().setResourceVersion(null);
                    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Istio's CRDs", e);
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("the embedded apiserver refused Istio's CRDs: " + e.getMessage(), e);
        }
    }

    /** A client with the admin token, namespace {@code default}. */
    public KubernetesClient client() {
        return client;
    }

    /** A new client whose creates keep the {@code creationTimestamp} they carry (the file loader's); close it. */
    public KubernetesClient newLoaderClient() {
        return new KubernetesClientBuilder().withConfig(config(server, settings, Map.of(LocalDispatcher.LOADER_HEADER, "true")))
                .build();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    public Settings settings() {
        return settings;
    }

    /** Writes a kubeconfig for this apiserver (context {@code mizzen-local}); returns the file. */
    public Path writeKubeconfig(Path file) {
        return Kubeconfig.write(file, url(), settings.adminToken());
    }

    /**
     * A token for a service account as TokenRequest issues it.
     *
     * @throws java.util.NoSuchElementException when the service account does not exist
     */
    public ServiceAccountTokens.Issued issueToken(String namespace, String serviceAccount, List<String> audiences,
                                                  Duration duration) {
        return dispatcher.issue(namespace, serviceAccount, audiences, duration);
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
