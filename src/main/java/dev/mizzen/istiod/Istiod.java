package dev.mizzen.istiod;

import dev.mizzen.citadel.CitadelSettings;
import dev.mizzen.citadel.pki.KeyType;
import dev.mizzen.istiod.analysis.StatusSettings;
import dev.mizzen.istiod.cli.UserError;
import dev.mizzen.istiod.cli.UserErrors;
import dev.mizzen.istiod.logging.LogOptions;
import dev.mizzen.istiod.cli.inspect.ProxyConfigCommand;
import dev.mizzen.istiod.cli.inspect.ProxyStatusCommand;
import dev.mizzen.istiod.cli.inspect.VersionCommand;
import dev.mizzen.istiod.webhook.WebhookOptions;
import dev.mizzen.istiod.local.LocalMode;
import dev.mizzen.istiod.leader.ElectionSettings;
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
import java.time.Duration;
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
                dev.mizzen.istiod.cli.AnalyzeCommand.class, dev.mizzen.istiod.cli.TokenCommand.class,
                ProxyStatusCommand.class, ProxyConfigCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class})
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

    @CommandLine.Mixin
    LogOptions log = new LogOptions();

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

    @Option(names = "--shutdownDuration", defaultValue = "10s", converter = DurationConverter.class,
            description = "On SIGTERM, the window over which istiod closes its xDS streams so proxies move to other "
                    + "replicas, as Istio's flag (default ${DEFAULT-VALUE}); then CA calls and webhook calls in flight finish.")
    Duration shutdownDuration;

    @Option(names = "--enable-status", arity = "0..1", paramLabel = "BOOL",
            description = "The leader writes live analysis messages into each Istio config object's "
                    + "status.validationMessages (Istio's PILOT_ENABLE_STATUS, with PILOT_ENABLE_ANALYSIS; default: "
                    + "true when either variable is, else false), at most PILOT_STATUS_QPS writes a second (100).")
    Boolean enableStatus;

    /** Go's duration syntax as Istio's flags take it: {@code 10s}, {@code 500ms}, {@code 1m}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)").matcher(value.trim());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 10s or 500ms");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as {@link #main} runs it: a user's mistake ({@link UserErrors}: a {@link UserError}, a
     * missing file, a port in use) prints one line and exits 2; a bug keeps its stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Istiod());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            java.util.Optional<String> mistake = UserErrors.explain(e);
            if (mistake.isPresent()) {
                command.getErr().println("istiod: " + mistake.get());
                command.getErr().flush();
                return UserError.EXIT_CODE;
            }
            throw e;
        });
        return cli;
    }

    @Override
    public Integer call() throws Exception {
        log.settings().apply();
        IstiodSettings settings = settings();
        if (local != null) {
            return serveLocal(settings);
        }
        Config config = clusterConfig();
        ClusterProbe.requireReachable(config);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
             IstiodServer server = IstiodServer.start(settings, client, webhook.servingTlsFromFiles(), Map.of())) {
            // SIGTERM (a rolling update, a scale-down): shed the proxies over the window, then exit
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.drainAndClose(shutdownDuration)));
            server.awaitTermination();
        }
        return 0;
    }

    IstiodSettings settings() {
        CitadelSettings ca = new CitadelSettings(namespace, trustDomain, caKeyType, CitadelSettings.RootSettings.ISTIO_DEFAULTS,
                CitadelSettings.WorkloadSettings.ISTIO_DEFAULTS,
                CitadelSettings.ServingSettings.forIstiod(namespace, domainSuffix), Optional.ofNullable(cacertsDir));
        String bind = bindAddress != null ? bindAddress
                : local != null ? IstiodSettings.LOOPBACK : IstiodSettings.ALL_INTERFACES;
        return new IstiodSettings(new IstiodSettings.Ports(xdsPort, secureXdsPort, webhook.port(), monitoringPort),
                bind, namespace, MeshSettings.of(domainSuffix, namespace, trustDomain), Debouncer.Settings.ISTIO_DEFAULTS,
                ca, XdsLimits.DEFAULTS.withNewStreamsPerSecond(newStreamsPerSecond), ElectionSettings.defaults(),
                IstiodSettings.WORKLOAD_ENTRY_GRACE_PERIOD, statusSettings());
    }

    /** --enable-status, else Istio's environment variables. */
    private StatusSettings statusSettings() {
        StatusSettings fromEnv;
        try {
            fromEnv = StatusSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (enableStatus == null) {
            return fromEnv;
        }
        return new StatusSettings(enableStatus ? StatusSettings.Writes.ON : StatusSettings.Writes.OFF,
                fromEnv.writesPerSecond());
    }

    private int serveLocal(IstiodSettings settings) throws Exception {
        if (!Files.isDirectory(local)) {
            throw new UserError("--local " + local + ": not a directory");
        }
        LocalMode.Options options = LocalMode.Options.of(local).withApiPort(apiServerPort);
        try {
            options = options.withServiceRange(Cidr.parse(serviceCidr)).withPodRange(Cidr.parse(podCidr));
            new dev.mizzen.istiod.local.cluster.LocalCluster.Settings(options.podRange(), settings.namespace());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
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
            ClusterProbe.requireSomeConfig();
            return Config.autoConfigure(null);
        }
        if (!Files.isRegularFile(kubeconfig)) {
            throw new UserError("--kubeconfig " + kubeconfig + ": no such file; to run without a cluster, use --local DIR");
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
