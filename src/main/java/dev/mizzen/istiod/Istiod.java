package dev.mizzen.istiod;

import dev.mizzen.istiod.demo.DemoCommand;
import dev.mizzen.istiod.local.LocalApiServer;
import dev.mizzen.istiod.local.LocalManifests;
import dev.mizzen.istiod.local.ManifestApplier;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.push.Debouncer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code istiod}: serves the mesh. Without a subcommand it connects to the cluster (kubeconfig or in-cluster
 * config) or, with {@code --local DIR}, to an embedded API server seeded from the YAML files in DIR.
 */
@Command(name = "istiod", mixinStandardHelpOptions = true, versionProvider = Istiod.Version.class,
        description = "Mizzen's istiod: an Istio-compatible control plane.",
        subcommands = {DemoCommand.class, dev.mizzen.istiod.cli.ValidateCommand.class})
public final class Istiod implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Istiod.class);

    @Option(names = "--local", paramLabel = "DIR",
            description = "Run without a cluster: an embedded API server seeded from the YAML files in DIR, "
                    + "re-applied when they change.")
    Path local;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "The kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or in-cluster config).")
    Path kubeconfig;

    @Option(names = "--xds-port", defaultValue = "15010", description = "Plaintext xDS port (default ${DEFAULT-VALUE}).")
    int xdsPort;

    @Option(names = "--monitoring-port", defaultValue = "15014",
            description = "Metrics and debug port (default ${DEFAULT-VALUE}).")
    int monitoringPort;

    @Option(names = "--namespace", defaultValue = "${env:POD_NAMESPACE:-istio-system}",
            description = "The namespace istiod runs in (default $POD_NAMESPACE or istio-system).")
    String namespace;

    @Option(names = "--domain-suffix", defaultValue = "cluster.local",
            description = "The cluster's DNS suffix (default ${DEFAULT-VALUE}).")
    String domainSuffix;

    @Option(names = "--trust-domain", defaultValue = "cluster.local",
            description = "The trust domain of workload identities, spiffe://<trust-domain>/ns/<ns>/sa/<sa> "
                    + "(default ${DEFAULT-VALUE}).")
    String trustDomain;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Istiod()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        IstiodSettings settings = new IstiodSettings(xdsPort, monitoringPort, namespace,
                new MeshSettings(domainSuffix, namespace, trustDomain), Debouncer.Settings.ISTIO_DEFAULTS);
        if (local != null) {
            return serveLocal(settings);
        }
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(clusterConfig()).build();
             IstiodServer server = IstiodServer.start(settings, client)) {
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            server.awaitTermination();
        }
        return 0;
    }

    private int serveLocal(IstiodSettings settings) throws InterruptedException {
        if (!Files.isDirectory(local)) {
            System.err.println("--local " + local + ": not a directory");
            return 2;
        }
        try (LocalApiServer api = LocalApiServer.start();
             LocalManifests manifests = new LocalManifests(local, new ManifestApplier(api.client()))) {
            manifests.loadAll();
            manifests.watch();
            try (IstiodServer server = IstiodServer.start(settings, api.client())) {
                LOG.info("local mode: serving the YAML files in {}", local);
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                server.awaitTermination();
            }
        }
        return 0;
    }

    private Config clusterConfig() throws java.io.IOException {
        if (kubeconfig == null) {
            return Config.autoConfigure(null);
        }
        return Config.fromKubeconfig(Files.readString(kubeconfig));
    }

    /** Prints the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Istiod.class.getPackage().getImplementationVersion();
            return new String[] {"istiod (Mizzen) " + (v == null ? "dev" : v)};
        }
    }
}
