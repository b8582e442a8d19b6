package dev.mizzen.istiod.local;

import dev.mizzen.citadel.rootcert.CaSecretCodec;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.IstiodSettings;
import dev.mizzen.istiod.local.apiserver.Cidr;
import dev.mizzen.istiod.local.cluster.LocalCluster;
import dev.mizzen.istiod.local.identity.TokenPage;
import dev.mizzen.istiod.tls.ServingTls;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code istiod --local DIR}: a small cluster in the process and istiod on it. In order: the state directory; the
 * embedded apiserver (its token and signing key from the state, Istio's CRDs installed, the namespaces a cluster
 * starts with, the CA Secret restored) and its kubeconfig; the controllers ({@link LocalCluster}); the files of DIR
 * ({@link LocalManifests}); istiod, with {@code /debug/token} on its monitoring port. Closed in reverse.
 */
public final class LocalMode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalMode.class);
    /** The namespaces a new cluster has, besides istiod's. */
    static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    /**
     * @param dir          the manifests
     * @param stateDir     what survives restarts (see {@link LocalState})
     * @param kubeconfig   where to write the kubeconfig (default: {@code STATE_DIR/kubeconfig})
     * @param apiPort      the apiserver's port on 127.0.0.1 (0: a free one)
     * @param serviceRange Service cluster IPs
     * @param podRange     pod IPs (loopback)
     * @param quiet        how long a file must stay unchanged before it is read
     */
    public record Options(Path dir, Path stateDir, Optional<Path> kubeconfig, int apiPort, Cidr serviceRange,
                          Cidr podRange, Duration quiet) {
        public static Options of(Path dir) {
            return new Options(dir, LocalState.defaultDir(dir), Optional.empty(), 0,
                    LocalApiServer.Settings.DEFAULT_SERVICE_RANGE, LocalCluster.Settings.DEFAULT_POD_RANGE,
                    LocalManifests.Settings.DEFAULT_QUIET);
        }

        public Options withStateDir(Path dir) {
            return new Options(this.dir, dir, kubeconfig, apiPort, serviceRange, podRange, quiet);
        }

        public Options withKubeconfig(Path file) {
            return new Options(dir, stateDir, Optional.of(file), apiPort, serviceRange, podRange, quiet);
        }

        public Options withApiPort(int port) {
            return new Options(dir, stateDir, kubeconfig, port, serviceRange, podRange, quiet);
        }

        public Options withServiceRange(Cidr range) {
            return new Options(dir, stateDir, kubeconfig, apiPort, range, podRange, quiet);
        }

        public Options withPodRange(Cidr range) {
            return new Options(dir, stateDir, kubeconfig, apiPort, serviceRange, range, quiet);
        }

        public Options withQuiet(Duration period) {
            return new Options(dir, stateDir, kubeconfig, apiPort, serviceRange, podRange, period);
        }
    }

    private final List<AutoCloseable> parts;
    private final LocalState state;
    private final LocalApiServer api;
    private final LocalCluster cluster;
    private final IstiodServer istiod;
    private final Path kubeconfig;

    private LocalMode(List<AutoCloseable> parts, LocalState state, LocalApiServer api, LocalCluster cluster,
                      IstiodServer istiod, Path kubeconfig) {
        this.parts = parts;
        this.state = state;
        this.api = api;
        this.cluster = cluster;
        this.istiod = istiod;
        this.kubeconfig = kubeconfig;
    }

    public static LocalMode start(Options options, IstiodSettings settings, Optional<ServingTls> servingTls) {
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            LocalState state = LocalState.open(options.stateDir(), Clock.systemUTC());
            LocalApiServer api = LocalApiServer.start(LocalApiServer.Settings.of(state, options.apiPort(),
                    options.serviceRange()));
            parts.add(api);
            bootstrap(api.client(), settings.namespace(), state);
            Path kubeconfig = api.writeKubeconfig(options.kubeconfig().orElse(options.stateDir().resolve("kubeconfig")));
            LOG.info("local apiserver on {}; kubeconfig written: export KUBECONFIG={}", api.url(), kubeconfig.toAbsolutePath());

            LocalCluster cluster = LocalCluster.start(api.client(),
                    new LocalCluster.Settings(options.podRange(), settings.namespace()), Optional.of(state));
            parts.add(cluster);
            KubernetesClient loader = api.newLoaderClient();
            parts.add(loader);
            LocalManifests manifests = new LocalManifests(options.dir(), new ManifestApplier(loader, cluster.podAdmission()),
                    new LocalManifests.Settings(options.quiet(), state.epoch()));
            parts.add(manifests);
            manifests.loadAll();
            manifests.watch();

            IstiodServer istiod = IstiodServer.start(settings, api.client(), servingTls, Map.of(),
                    Map.of(TokenPage.PATH, new TokenPage(api::issueToken)));
            parts.add(istiod);
            LOG.info("local mode: serving the files of {} (state in {})", options.dir(), options.stateDir());
            return new LocalMode(parts, state, api, cluster, istiod, kubeconfig);
        } catch (RuntimeException e) {
            closeAll(parts);
            throw e;
        }
    }

    /** The namespaces a cluster starts with, and the CA root of the previous run. */
    private static void bootstrap(KubernetesClient client, String istiodNamespace, LocalState state) {
        List<String> namespaces = new ArrayList<>(SYSTEM_NAMESPACES);
        if (!namespaces.contains(istiodNamespace)) {
            namespaces.add(istiodNamespace);
        }
        for (String ns : namespaces) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                    .addToLabels("kubernetes.io/metadata.name", ns).endMetadata().build()).create();
        }
        state.caSecret().ifPresent(data -> {
            try {
                client.secrets().inNamespace(istiodNamespace).resource(new SecretBuilder().withNewMetadata()
                        .withName(CaSecretCodec.SECRET_NAME).withNamespace(istiodNamespace).endMetadata()
                        .withType(CaSecretCodec.SECRET_TYPE).withData(data).build()).create();
                LOG.info("CA root restored from {}", state.dir());
            } catch (KubernetesClientException e) {
                throw new IllegalStateException("cannot restore the CA Secret: " + e.getMessage(), e);
            }
        });
    }

    public LocalApiServer api() {
        return api;
    }

    public LocalCluster cluster() {
        return cluster;
    }

    public IstiodServer istiod() {
        return istiod;
    }

    public LocalState state() {
        return state;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void close() {
        closeAll(parts);
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                LOG.debug("closing a part of local mode", e);
            }
        }
    }
}
