package dev.mizzen.istiod;

import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.istiod.webhook.WebhookOptions;
import dev.mizzen.istiod.local.LocalMode;
import dev.mizzen.istiod.local.apiserver.Cidr;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.push.Debouncer;
import dev.mizzen.pilot.xds.XdsLimits;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code istiod}: serves the mesh. Without a subcommand it connects to the cluster (kubeconfig or in-cluster
 * config) or, with {@code --local DIR}, to an embedded API server seeded from the YAML files in DIR.
 */
@Command(name = "istiod", mixinStandardHelpOptions = true, versionProvider = Istiod.Version.class,
        description = "Mizzen's istiod: an Istio-compatible control plane.",
        subcommands = {dev.mizzen.istiod.cli.ValidateCommand.class, dev.mizzen.istiod.cli.KubeInjectCommand.class,
                dev.mizzen.istiod.cli.AnalyzeCommand.class, dev.mizzen.istiod.cli.TokenCommand.class})
public final class Istiod implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Istiod.class);

    @Option(names = "--local", paramLabel = "DIR",
            description = "Run without a cluster: an embedded API server seeded from the YAML files in DIR, "
                    + "re-applied when they change.")
    Path local;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "With --local: what survives restarts (the CA root, the token signing key, the apiserver's "
                    + "token; default DIR/.istiod).")
    Path stateDir;

    @Option(names = "--write-kubeconfig", paramLabel = "FILE",
            description = "With --local: where to write the embedded apiserver's kubeconfig (default STATE_DIR/kubeconfig).")
    Path writeKubeconfig;

    @Option(names = "--api-server-port", defaultValue = "0",
            description = "With --local: the embedded apiserver's port on 127.0.0.1 (default: a free one, printed).")
    int apiServerPort;

    @Option(names = "--service-cidr", defaultValue = "10.96.0.0/12",
            description = "With --local: where Service cluster IPs come from (default ${DEFAULT-VALUE}).")
    String serviceCidr;

    @Option(names = "--pod-cidr", defaultValue = "127.1.0.0/16",
            description = "With --local: where pod IPs come from, a loopback range (default ${DEFAULT-VALUE}).")
    String podCidr;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "The kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or in-cluster config).")
    Path kubeconfig;

    @Option(names = "--xds-port", defaultValue = "15010", description = "Plaintext xDS port (default ${DEFAULT-VALUE}).")
    int xdsPort;

    @Option(names = "--bind-address", paramLabel = "ADDRESS",
            description = "The address every server listens on (default: 0.0.0.0, or 127.0.0.1 with --local).")
    String bindAddress;

    @Option(names = "--xds-new-streams-per-second", defaultValue = "1000",
            description = "New xDS streams admitted per second; a stream waits up to 1 s for its turn, then is "
                    + "refused with RESOURCE_EXHAUSTED (Istio's PILOT_MAX_REQUESTS_PER_SECOND; default ${DEFAULT-VALUE}).")
    double newStreamsPerSecond;

    @Option(names = "--secure-xds-port", defaultValue = "15012",
            description = "xDS and the CA over TLS with istiod's certificate (default ${DEFAULT-VALUE}).")
    int secureXdsPort;

    @CommandLine.Mixin
    WebhookOptions webhook = new WebhookOptions();

    @Option(names = "--ca-key-type", defaultValue = "RSA_2048",
            description = "Key type of a self-signed root and of istiod's certificate: ${COMPLETION-CANDIDATES} "
                    + "(default ${DEFAULT-VALUE}).")
    KeyType caKeyType;

    @Option(names = "--cacerts-dir", paramLabel = "DIR",
            description = "A plug-in CA (Istio's cacerts files: ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem); "
                    + "default: the Secret cacerts, else a self-signed root kept in the Secret istio-ca-secret.")
    Path cacertsDir;

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
        IstiodSettings settings = settings();
        if (local != null) {
            return serveLocal(settings);
        }
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(clusterConfig()).build();
             IstiodServer server = IstiodServer.start(settings, client, webhook.servingTlsFromFiles(), Map.of())) {
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            server.awaitTermination();
        }
        return 0;
    }

    private IstiodSettings settings() {
        CitadelSettings ca = new CitadelSettings(namespace, trustDomain, caKeyType, CitadelSettings.RootSettings.ISTIO_DEFAULTS,
                CitadelSettings.WorkloadSettings.ISTIO_DEFAULTS,
                CitadelSettings.ServingSettings.forIstiod(namespace, domainSuffix), Optional.ofNullable(cacertsDir));
        String bind = bindAddress != null ? bindAddress
                : local != null ? IstiodSettings.LOOPBACK : IstiodSettings.ALL_INTERFACES;
        return new IstiodSettings(new IstiodSettings.Ports(xdsPort, secureXdsPort, webhook.port(), monitoringPort),
                bind, namespace, MeshSettings.of(domainSuffix, namespace, trustDomain), Debouncer.Settings.ISTIO_DEFAULTS,
                ca, XdsLimits.DEFAULTS.withNewStreamsPerSecond(newStreamsPerSecond), IstiodSettings.WORKLOAD_ENTRY_GRACE_PERIOD);
    }

    private int serveLocal(IstiodSettings settings) throws Exception {
        if (!Files.isDirectory(local)) {
            System.err.println("--local " + local + ": not a directory");
            return 2;
        }
        LocalMode.Options options = LocalMode.Options.of(local).withApiPort(apiServerPort);
        try {
            options = options.withServiceRange(Cidr.parse(serviceCidr)).withPodRange(Cidr.parse(podCidr));
            new dev.mizzen.istiod.local.cluster.LocalCluster.Settings(options.podRange(), settings.namespace());
        } catch (IllegalArgumentException e) {
            System.err.println("istiod: " + e.getMessage());
            return 2;
        }
        if (stateDir != null) {
            options = options.withStateDir(stateDir);
        }
        if (writeKubeconfig != null) {
            options = options.withKubeconfig(writeKubeconfig);
        }
        try (LocalMode mode = LocalMode.start(options, settings, webhook.servingTlsFromFiles())) {
            System.out.printf("local apiserver: %s%nkubeconfig: %s  (export KUBECONFIG=%2$s)%n", mode.api().url(),
                    mode.kubeconfig().toAbsolutePath());
            System.out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(mode::close));
            mode.istiod().awaitTermination();
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
