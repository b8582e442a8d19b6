package dev.mizzen.istiod;

import dev.mizzen.galley.config.KubeConfigStore;
import dev.mizzen.galley.validation.IstioValidator;
import dev.mizzen.istiod.monitoring.MonitoringServer;
import dev.mizzen.pilot.networking.envoy.EnvoyGenerator;
import dev.mizzen.pilot.networking.grpcgen.GrpcGenerator;
import dev.mizzen.pilot.push.PushRequest;
import dev.mizzen.pilot.serviceregistry.kube.KubeServiceRegistry;
import dev.mizzen.pilot.xds.AdsServer;
import dev.mizzen.pilot.xds.PushController;
import dev.mizzen.pilot.xds.XdsGenerator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * istiod wired together: the config store and service registry read the apiserver, pushes are debounced
 * and built into xDS, ADS is served on the xDS port and metrics on the monitoring port.
 */
public final class IstiodServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IstiodServer.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

    private final KubeConfigStore configStore;
    private final KubeServiceRegistry registry;
    private final PushController pushes;
    private final AdsServer ads;
    private final Server xdsServer;
    private final MonitoringServer monitoring;
    private final ExecutorService grpcExecutor;
    private final ExecutorService pushExecutor;

    private IstiodServer(KubeConfigStore configStore, KubeServiceRegistry registry, PushController pushes, AdsServer ads,
                         Server xdsServer, MonitoringServer monitoring, ExecutorService grpcExecutor,
                         ExecutorService pushExecutor) {
        this.configStore = configStore;
        this.registry = registry;
        this.pushes = pushes;
        this.ads = ads;
        this.xdsServer = xdsServer;
        this.monitoring = monitoring;
        this.grpcExecutor = grpcExecutor;
        this.pushExecutor = pushExecutor;
    }

    /** Starts everything and returns once the first push context is built and the ports listen. */
    public static IstiodServer start(IstiodSettings settings, KubernetesClient client) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        ExecutorService grpcExecutor = Executors.newFixedThreadPool(threads, named("mizzen-grpc"));
        ExecutorService pushExecutor = Executors.newFixedThreadPool(threads, named("mizzen-push-fanout"));

        XdsGenerator grpc = new GrpcGenerator();
        XdsGenerator envoy = new EnvoyGenerator();
        AdsServer ads = new AdsServer(proxy -> Optional.of(proxy.isProxylessGrpc() ? grpc : envoy), pushExecutor, meters);
        KubeConfigStore configStore = new KubeConfigStore(client, new IstioValidator(), meters);
        KubeServiceRegistry registry = new KubeServiceRegistry(client, settings.mesh().domainSuffix());
        PushController pushes = new PushController(settings.mesh(), registry, configStore, ads, settings.debounce(), meters);

        configStore.addListener(event -> pushes.listener().onPush(PushRequest.config(event.key())));
        registry.start(pushes.listener());
        configStore.start();
        awaitSync(registry, configStore);
        pushes.initialize();

        Server xdsServer;
        try {
            xdsServer = NettyServerBuilder.forPort(settings.xdsPort())
                    .executor(grpcExecutor)
                    .addService(ads)
                    .permitKeepAliveTime(10, TimeUnit.SECONDS)
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve xDS on port " + settings.xdsPort(), e);
        }
        MonitoringServer monitoring = MonitoringServer.start(settings.monitoringPort(), meters, ads);
        LOG.info("istiod serving: xDS on {}, monitoring on {}", xdsServer.getPort(), monitoring.port());
        return new IstiodServer(configStore, registry, pushes, ads, xdsServer, monitoring, grpcExecutor, pushExecutor);
    }

    private static void awaitSync(KubeServiceRegistry registry, KubeConfigStore configStore) {
        Instant deadline = Instant.now().plus(SYNC_TIMEOUT);
        while (!(registry.hasSynced() && configStore.hasSynced())) {
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

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public int xdsPort() {
        return xdsServer.getPort();
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

    /** Blocks until the xDS server stops. */
    public void awaitTermination() throws InterruptedException {
        xdsServer.awaitTermination();
    }

    @Override
    public void close() {
        xdsServer.shutdownNow();
        monitoring.close();
        pushes.close();
        registry.close();
        configStore.close();
        grpcExecutor.shutdownNow();
        pushExecutor.shutdownNow();
    }
}
