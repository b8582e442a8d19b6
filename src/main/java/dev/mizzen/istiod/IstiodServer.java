package dev.mizzen.istiod;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.mizzen.api.admission.AdmissionController;
import dev.mizzen.citadel.Citadel;
import dev.mizzen.citadel.pki.Pem;
import dev.mizzen.galley.config.KubeConfigStore;
import dev.mizzen.galley.validation.IstioValidator;
import dev.mizzen.galley.webhook.ValidationAdmission;
import dev.mizzen.istiod.inject.InjectorSource;
import dev.mizzen.istiod.inject.NamespaceLabels;
import dev.mizzen.galley.analysis.MeshOptions;
import dev.mizzen.istiod.analysis.LiveAnalysis;
import dev.mizzen.istiod.analysis.ValidationStatusController;
import dev.mizzen.istiod.debug.DebugAccess;
import dev.mizzen.istiod.debug.DebugViews;
import dev.mizzen.istiod.monitoring.IstiodMetrics;
import dev.mizzen.istiod.monitoring.MonitoringServer;
import dev.mizzen.istiod.webhook.MeteredAdmission;
import dev.mizzen.pilot.xds.XdsDebug;
import java.util.concurrent.atomic.AtomicReference;
import dev.mizzen.istiod.tls.ServingTls;
import dev.mizzen.istiod.webhook.WebhookConfigurations;
import dev.mizzen.istiod.leader.LeaderElection;
import dev.mizzen.istiod.webhook.WebhookServer;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.istiod.registration.KubeWorkloadEntries;
import dev.mizzen.pilot.inject.InjectionAdmission;
import dev.mizzen.pilot.serviceregistry.autoregistration.AutoRegistration;
import dev.mizzen.pilot.inject.ProxyConfigResources;
import dev.mizzen.pilot.networking.envoy.EnvoyGenerator;
import dev.mizzen.pilot.networking.grpcgen.GrpcGenerator;
import dev.mizzen.pilot.serviceregistry.kube.KubeServiceRegistry;
import dev.mizzen.pilot.xds.AdsServer;
import dev.mizzen.pilot.push.PushController;
import dev.mizzen.pilot.security.authn.JwksResolver;
import dev.mizzen.pilot.xds.XdsGenerator;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.mizzen.api.identity.CallerCredentialsInterceptor;
import dev.mizzen.api.kube.KubeInformers;
import dev.mizzen.pilot.security.kube.KubeSecretAccessReview;
import dev.mizzen.pilot.xds.XdsAccess;
import dev.mizzen.pilot.xds.XdsLimits;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * istiod wired together: the CA signs istiod's own certificate and workloads'; the config store and service
 * registry read the apiserver; pushes are debounced and built into xDS; ADS is served plaintext on the xDS
 * port and, with the CA, over TLS on the secure port; the admission webhooks on the webhook port; metrics on
 * the monitoring port.
 */
public final class IstiodServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IstiodServer.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
    /** How long a drain waits for CA calls and admission reviews in flight after its window. */
    public static final Duration DRAIN_GRACE = Duration.ofSeconds(5);
    /** Istio's {@code --shutdownDuration} default: the window over which a stopping istiod sheds its proxies. */
    public static final Duration DEFAULT_DRAIN_WINDOW = Duration.ofSeconds(10);

    /** What a running istiod holds, closed in reverse order of start. */
    private final List<AutoCloseable> parts;
    private final AdsServer ads;
    private final PushController pushes;
    private final Server xdsServer;
    private final Server secureServer;
    private final WebhookServer webhooks;
    private final MonitoringServer monitoring;
    private final Citadel citadel;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** False once a drain began: /ready answers 503. */
    private final java.util.concurrent.atomic.AtomicBoolean ready;

    private IstiodServer(List<AutoCloseable> parts, AdsServer ads, PushController pushes, Server xdsServer,
                         Server secureServer, WebhookServer webhooks, MonitoringServer monitoring, Citadel citadel,
                         java.util.concurrent.atomic.AtomicBoolean ready) {
        this.parts = parts;
        this.ready = ready;
        this.ads = ads;
        this.pushes = pushes;
        this.xdsServer = xdsServer;
        this.secureServer = secureServer;
        this.webhooks = webhooks;
        this.monitoring = monitoring;
        this.citadel = citadel;
    }

    /** Starts with a serving certificate the CA issues and renews. */
    public static IstiodServer start(IstiodSettings settings, KubernetesClient client) {
        return start(settings, client, Optional.empty(), Map.of());
    }

    /**
     * Starts everything and returns once the first push context is built and the ports listen.
     *
     * @param servingTls a serving certificate from files; empty for one the CA issues and renews
     * @param extraHooks admission controllers besides {@code /validate}, by path
     */
    public static IstiodServer start(IstiodSettings settings, KubernetesClient client, Optional<ServingTls> servingTls,
                                     Map<String, AdmissionController> extraHooks) {
        return start(settings, client, servingTls, extraHooks, Map.of());
    }

    /**
     * As {@link #start(IstiodSettings, KubernetesClient, Optional, Map)}, with more pages on the monitoring port
     * (local mode's {@code /debug/token}); each page enforces who may call it.
     */
    public static IstiodServer start(IstiodSettings settings, KubernetesClient client, Optional<ServingTls> servingTls,
                                     Map<String, AdmissionController> extraHooks,
                                     Map<String, org.eclipse.jetty.server.Handler> monitoringPages) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IstiodMetrics istiodMetrics = IstiodMetrics.bind(meters, BuildInfo.CURRENT);
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        ExecutorService grpcExecutor = Executors.newFixedThreadPool(threads, named("mizzen-grpc"));
        ExecutorService pushExecutor = Executors.newFixedThreadPool(threads, named("mizzen-push-fanout"));
        List<AutoCloseable> parts = new java.util.ArrayList<>();
        parts.add(grpcExecutor::shutdownNow);
        parts.add(pushExecutor::shutdownNow);

        // one informer per kind for the whole process: every part asks here, and they start together below
        KubeInformers informers = new KubeInformers(client);
        parts.add(informers);
        // every replica serves; only the leader of each election writes what they would all write the same
        LeaderElection rootPublishing = LeaderElection.start(client, settings.namespace(),
                LeaderElection.NAMESPACE_CONTROLLER, settings.election());
        LeaderElection webhookPatching = LeaderElection.start(client, settings.namespace(),
                LeaderElection.VALIDATION_CONTROLLER, settings.election());
        Citadel citadel = Citadel.start(settings.citadel(), client, informers, meters, Clock.systemUTC(), rootPublishing);
        parts.add(citadel);
        ExecutorService webhookUpdates = Executors.newSingleThreadExecutor(named("mizzen-webhook-config"));
        parts.add(webhookUpdates::shutdownNow);
        WebhookConfigurations webhookConfigs = new WebhookConfigurations(client, settings.namespace(), webhookPatching,
                webhookUpdates);
        ServingTls tls = servingTls.orElseGet(() -> {
            var first = citadel.servingCertificate().current();
            ServingTls issued = ServingTls.of(first.key(), first.chain());
            citadel.servingCertificate().subscribe((key, chain) -> {
                issued.update(key, chain);
                // a new root (rotation) must reach the apiserver's trust in the webhooks too
                webhookConfigs.want(citadel.rootsPem());
            });
            return issued;
        });

        XdsGenerator grpc = new GrpcGenerator();
        XdsGenerator envoy = new EnvoyGenerator(meters);
        ExecutorService reviews = boundedExecutor("mizzen-secret-access-review", 2, 1_000);
        parts.add(reviews::shutdownNow);
        XdsAccess access = new XdsAccess(citadel.authenticator(), new KubeSecretAccessReview(client, reviews),
                settings.xdsLimits());
        // the xDS debug type istio.io/debug answers with the HTTP debug endpoints, which read the ADS server: they
        // are made once it exists, and until then (before any stream is served) the holder is empty
        AtomicReference<DebugViews> debugViews = new AtomicReference<>();
        XdsDebug.Settings debug = new XdsDebug.Settings(settings.namespace(), controlPlaneIdentifier(),
                (resource, namespace) -> debugViews.get() == null ? new byte[0] : debugViews.get().serve(resource, namespace));
        AdsServer ads = new AdsServer(proxy -> Optional.of(proxy.isProxylessGrpc() ? grpc : envoy), pushExecutor, meters,
                access, debug);
        IstioValidator validator = new IstioValidator();
        KubeConfigStore configStore = new KubeConfigStore(informers, validator, meters);
        KubeServiceRegistry registry = new KubeServiceRegistry(informers, settings.mesh().domainSuffix());
        // the mesh's default access log providers, so that Telemetry resources relying on them are not reported (IST0157)
        LiveAnalysis analysis = new LiveAnalysis(informers, configStore, new MeshOptions(settings.mesh().rootNamespace(),
                settings.mesh().domainSuffix(), MeshOptions.DnsAllocation.OFF,
                settings.mesh().telemetry().defaultAccessLogging(), java.util.Set.of(), ""), meters);
        parts.add(analysis);
        // one JWT key cache per istiod: push contexts read from it, its key changes are change events like any other
        ScheduledExecutorService jwksFetches = Executors.newSingleThreadScheduledExecutor(named("mizzen-jwks"));
        parts.add(jwksFetches::shutdownNow);
        JwksResolver jwks = JwksResolver.start(JwksResolver.Settings.DEFAULTS, JwksResolver.defaultClient(), jwksFetches,
                Clock.systemUTC());
        parts.add(jwks);
        PushController pushes = new PushController(settings.mesh(), registry, configStore, jwks, ads, settings.debounce(),
                meters);
        parts.add(configStore);
        parts.add(registry);
        parts.add(pushes);
        configStore.addListener(istiodMetrics::configEvent);
        registry.addListener(istiodMetrics::registryEvent);
        // VMs that connect with AUTO_REGISTER_GROUP get their WorkloadEntry (Istio's autoregistration controller)
        ScheduledExecutorService registrations = Executors.newSingleThreadScheduledExecutor(named("mizzen-autoregistration"));
        parts.add(registrations::shutdownNow);
        ads.connectionHooks(new AutoRegistration(configStore::snapshot, new KubeWorkloadEntries(client),
                instanceName(), settings.workloadEntryGracePeriod(), registrations, Clock.systemUTC()));
        InjectorSource injector = InjectorSource.start(informers, settings.namespace());
        debugViews.set(new DebugViews(ads, pushes, configStore, settings.mesh(), analysis::page,
                () -> injector.get().settings().templates()));
        NamespaceLabels namespaces = new NamespaceLabels(informers);

        informers.start();
        awaitSync(informers, registry, configStore);
        LOG.info("watching {}", String.join("; ", informers.describe()));
        pushes.initialize();

        // 15010 carries no identity: its proxies are anonymous and get no secrets
        Server xdsServer = serve(grpcServer(settings, settings.ports().xds(), InsecureServerCredentials.create()),
                grpcExecutor, List.of(ads.service()), "xDS");
        parts.add(xdsServer::shutdownNow);
        ServerCredentials secure = TlsServerCredentials.newBuilder()
                .keyManager(tls.keyManager())
                .trustManager(citadel.clientTrustManager())
                .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL)
                .build();
        // 15012: every call hands its credentials on; ADS and the CA admit only callers that prove an identity
        Server secureServer = serve(grpcServer(settings, settings.ports().secureXds(), secure), grpcExecutor,
                List.of(ServerInterceptors.intercept(ads.service(), new CallerCredentialsInterceptor()),
                        citadel.certificateService().bindService()), "secure xDS and the CA");
        parts.add(secureServer::shutdownNow);

        Map<String, AdmissionController> hooks = new LinkedHashMap<>(extraHooks);
        hooks.put(WebhookServer.VALIDATE_PATH, new MeteredAdmission(new ValidationAdmission(validator),
                MeteredAdmission.Kind.VALIDATION, meters));
        // ProxyConfig resources reach injection as in Istio (its webhook's GetProxyConfigOrDefault)
        hooks.putIfAbsent(WebhookServer.INJECT_PATH, new InjectionAdmission(injector, namespaces,
                () -> ProxyConfigResources.of(configStore.snapshot().list(ConfigKind.PROXY_CONFIG),
                        settings.mesh().rootNamespace())));
        hooks.computeIfPresent(WebhookServer.INJECT_PATH,
                (path, hook) -> new MeteredAdmission(hook, MeteredAdmission.Kind.INJECTION, meters));
        WebhookServer webhooks = WebhookServer.start(bindAddress(settings), settings.ports().webhooks(), tls, hooks);
        parts.add(webhooks);
        pushes.addObserver(request -> analysis.requestAnalysis());
        // analysis messages into each object's status (PILOT_ENABLE_STATUS): the leader alone, and only once the
        // informers have synced, so no message is written about a half-listed mesh
        Optional<LeaderElection> statusWriting = Optional.empty();
        if (settings.status().enabled()) {
            LeaderElection analyzeLeader = LeaderElection.start(client, settings.namespace(),
                    LeaderElection.ANALYZE_CONTROLLER, settings.election());
            parts.add(new ValidationStatusController(informers, client, analyzeLeader,
                    settings.status(), analysis, meters));
            statusWriting = Optional.of(analyzeLeader);
        }
        analysis.requestAnalysis();
        java.util.concurrent.atomic.AtomicBoolean ready = new java.util.concurrent.atomic.AtomicBoolean(true);
        MonitoringServer monitoring = MonitoringServer.start(bindAddress(settings), settings.ports().monitoring(),
                new MonitoringServer.Pages(meters, Optional.of(debugViews.get()),
                        new DebugAccess(citadel.authenticator(), settings.namespace()), BuildInfo.CURRENT, monitoringPages,
                        ready::get));
        parts.add(monitoring);
        webhookConfigs.want(servingTls.isPresent() ? Pem.encode(tls.current().chain()) : citadel.rootsPem());
        // closed first: a stopping replica releases its Leases so another takes over at its next retry
        parts.add(rootPublishing);
        parts.add(webhookPatching);
        statusWriting.ifPresent(parts::add);
        LOG.info("istiod serving: xDS on {}, secure xDS and CA on {}, webhooks on {}, monitoring on {}",
                xdsServer.getPort(), secureServer.getPort(), webhooks.port(), monitoring.port());
        return new IstiodServer(parts, ads, pushes, xdsServer, secureServer, webhooks, monitoring, citadel, ready);
    }

    /**
     * Istio's {@code ControlPlane.identifier}: JSON of the component, this instance ({@code POD_NAME} as Istio reads
     * it, else the host name) and the build, which {@code istioctl proxy-status} prints in its ISTIOD column.
     */
    /** This istiod's name as Istio's uses its pod's: POD_NAME, else the host name. */
    private static String instanceName() {
        return Optional.ofNullable(System.getenv("POD_NAME")).filter(s -> !s.isBlank()).orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "istiod";
            }
        });
    }

    private static String controlPlaneIdentifier() {
        String id = instanceName();
        Map<String, Object> identifier = new LinkedHashMap<>();
        identifier.put("Component", "istiod");
        identifier.put("ID", id);
        identifier.put("Info", BuildInfo.CURRENT.json());
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(identifier);
    }

    private static InetAddress bindAddress(IstiodSettings settings) {
        try {
            return InetAddress.getByName(settings.bindAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind-address " + settings.bindAddress() + " is not an address", e);
        }
    }

    /** A gRPC server on the bind address, with the per-connection bounds of the xDS limits. */
    private static NettyServerBuilder grpcServer(IstiodSettings settings, int port, ServerCredentials credentials) {
        XdsLimits limits = settings.xdsLimits();
        return NettyServerBuilder.forAddress(new InetSocketAddress(settings.bindAddress(), port), credentials)
                .maxInboundMessageSize(limits.maxMessageBytes())
                .maxConcurrentCallsPerConnection(limits.maxStreamsPerConnection());
    }

    private static Server serve(NettyServerBuilder builder, ExecutorService executor, List<ServerServiceDefinition> services,
                                String what) {
        builder.executor(executor).permitKeepAliveTime(10, TimeUnit.SECONDS);
        services.forEach(builder::addService);
        try {
            return builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve " + what, e);
        }
    }

    private static void awaitSync(KubeInformers informers, KubeServiceRegistry registry, KubeConfigStore configStore) {
        Instant deadline = Instant.now().plus(SYNC_TIMEOUT);
        while (!(informers.hasSynced() && registry.hasSynced() && configStore.hasSynced())) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the apiserver did not answer the initial lists within " + SYNC_TIMEOUT);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the apiserver", e);
            }
        }
    }

    private static ExecutorService boundedExecutor(String prefix, int threads, int queue) {
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
                named(prefix));
    }

    /** Daemon threads named {@code prefix-0}, {@code prefix-1}, ... */
    private static ThreadFactory named(String prefix) {
        return new ThreadFactoryBuilder().setNameFormat(prefix + "-%d").setDaemon(true).build();
    }

    public int xdsPort() {
        return xdsServer.getPort();
    }

    public int secureXdsPort() {
        return secureServer.getPort();
    }

    public int webhookPort() {
        return webhooks.port();
    }

    public int monitoringPort() {
        return monitoring.port();
    }

    public AdsServer ads() {
        return ads;
    }

    public PushController pushes() {
        return pushes;
    }

    public Citadel citadel() {
        return citadel;
    }

    /**
     * What istiod does on SIGTERM, before it closes: stops being ready (the Service sends it no new callers), stops
     * taking new xDS streams and CA calls (GOAWAY; the ports close, so a reconnect lands on another replica), closes
     * the open ADS streams evenly over {@code window} so the proxies move without a storm, then lets the CA calls
     * and admission reviews in flight finish (at most {@link #DRAIN_GRACE} each) and closes. The webhooks keep
     * serving through the window: the apiserver may call this replica until it sees it is no longer ready.
     */
    public void drainAndClose(Duration window) {
        if (closed.get()) {
            return;
        }
        long start = System.nanoTime();
        ready.set(false);
        LOG.info("draining: {} ADS streams over {}", ads.connectedStreams(), window);
        xdsServer.shutdown();
        secureServer.shutdown();
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(named("mizzen-drain"));
        try {
            ads.drain(new dev.mizzen.pilot.xds.DrainPace(window), ticks)
                    .get(window.plus(DRAIN_GRACE).toMillis(), TimeUnit.MILLISECONDS);
            xdsServer.awaitTermination(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            secureServer.awaitTermination(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("the drain did not finish in time ({}); closing what is left", e.toString());
        } finally {
            ticks.shutdownNow();
        }
        webhooks.stopGracefully(DRAIN_GRACE);
        LOG.info("drained in {} ms; closing", Duration.ofNanos(System.nanoTime() - start).toMillis());
        close();
    }

    /** Whether /ready answers 200. */
    public boolean ready() {
        return ready.get();
    }

    /** Blocks until the xDS server stops. */
    public void awaitTermination() throws InterruptedException {
        xdsServer.awaitTermination();
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return; // a shutdown hook and the code that started istiod may both close it
        }
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                LOG.debug("closing a part of istiod", e);
            }
        }
    }
}
