package dev.mizzen.istiod.drain;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.leader.ElectionSettings;
import dev.mizzen.istiod.testing.KubeMock;
import dev.mizzen.istiod.testing.TestIstiod;
import dev.mizzen.istiod.webhook.TrustingClient;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM to one of two istiod replicas ({@link IstiodServer#drainAndClose}): it stops being ready, its proxies
 * lose their streams spread over the drain window (not in one storm) and all reconnect to the other replica, and no
 * admission review sent to it fails.
 *
 * <p>The proxies are ADS clients (one connection each, as Envoy and Istio's agent keep one) that reach istiod
 * through one name resolving to both replicas, the draining one first ({@link ReplicaAddresses}), and that
 * reopen their stream when it ends, as every xDS client does. {@code -Ddrain.proxies=N} sets how many (default
 * 1,000).
 */
class GracefulDrainTest {
    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private static final int PROXIES = Integer.getInteger("drain.proxies", 1_000);
    /** Istio's default --shutdownDuration. */
    private static final Duration WINDOW = IstiodServer.DEFAULT_DRAIN_WINDOW;
    /** The apiserver keeps calling a pod's webhook until it sees the pod no longer ready (endpoint propagation). */
    private static final Duration STALE_ENDPOINTS = WINDOW.dividedBy(2);
    /** Time for B to admit and answer the last proxies to arrive, on a busy 2-core machine. */
    private static final Duration SLACK = Duration.ofSeconds(10);

    @Test
    void theProxiesOfADrainingReplicaMoveToTheOtherWithinTheWindowAndNoWebhookCallFails() throws Exception {
        try (KubeMock api = KubeMock.start();
             IstiodServer a = IstiodServer.start(TestIstiod.settings().withElection(ElectionSettings.of("istiod-a",
                     ElectionSettings.ISTIO_LEASE_DURATION)), api.client());
             IstiodServer b = IstiodServer.start(TestIstiod.settings().withElection(ElectionSettings.of("istiod-b",
                     ElectionSettings.ISTIO_LEASE_DURATION)), api.client())) {
            ReplicaAddresses replicas = ReplicaAddresses.of(a.xdsPort(), b.xdsPort());
            List<Proxy> proxies = new ArrayList<>();
            try {
                for (int i = 0; i < PROXIES; i++) {
                    proxies.add(Proxy.connect(replicas, i));
                }
                await().atMost(Duration.ofMinutes(2)).until(() -> a.ads().connectedStreams() == PROXIES);
                assertThat(b.ads().connectedStreams()).isZero();

                WebhookCallers callers = WebhookCallers.start(4, new TrustingClient(a.citadel().roots().get(0), a.webhookPort()),
                        new TrustingClient(b.citadel().roots().get(0), b.webhookPort()));
                long drainStart = System.nanoTime();
                callers.switchAfter(drainStart, STALE_ENDPOINTS);
                CompletableFuture<Void> drain = CompletableFuture.runAsync(() -> a.drainAndClose(WINDOW));
                await().atMost(Duration.ofSeconds(5)).until(() -> !a.ready());
                await().atMost(WINDOW.plus(SLACK)).untilAsserted(() -> assertThat(b.ads().connectedStreams())
                        .as("proxies on B (%d on A, %d reconnects)", a.ads().connectedStreams(),
                                proxies.stream().mapToInt(p -> p.reconnects.get()).sum())
                        .isEqualTo(PROXIES));
                await().atMost(SLACK).until(() -> proxies.stream().allMatch(p -> p.responses.get() >= 2));
                long allMoved = System.nanoTime() - drainStart;
                drain.get();
                callers.stop();

                // when each proxy lost its stream on A, from the proxies' side: spread over the window, not a storm
                long[] lost = proxies.stream().mapToLong(p -> p.firstLoss.get() - drainStart).sorted().toArray();
                long p10 = lost[lost.length / 10] / 1_000_000;
                long median = lost[lost.length / 2] / 1_000_000;
                long p90 = lost[lost.length * 9 / 10] / 1_000_000;
                long last = lost[lost.length - 1] / 1_000_000;
                System.out.printf("drain of %d proxies over a %d s window: streams ended on A (as the proxies saw it) "
                                + "at %d ms (10%%), %d ms (50%%), %d ms (90%%), %d ms (last); all on B after %d ms; "
                                + "webhook calls during the drain: %d, failed: %d%n",
                        PROXIES, WINDOW.toSeconds(), p10, median, p90, last, allMoved / 1_000_000,
                        callers.calls.get(), callers.failures.size());
                // a ramp, not a storm: the middle 80% of the proxies leave over at least half the window (a storm
                // would put them within a few ms; a busy machine only delays what they see, it does not bunch it)
                assertThat(Duration.ofMillis(p90 - p10)).isGreaterThanOrEqualTo(WINDOW.dividedBy(2));
                assertThat(callers.failures).isEmpty();
                assertThat(callers.calls.get()).isPositive();
            } finally {
                proxies.forEach(Proxy::close);
            }
        }
    }

    /** An ADS client asking for clusters and ACKing, that opens a new stream when istiod ends its stream. */
    private static final class Proxy implements AutoCloseable {
        private final ManagedChannel channel;
        private final Node node;
        private final AtomicInteger responses = new AtomicInteger();
        private final AtomicInteger reconnects = new AtomicInteger();
        /** When the proxy first lost its stream (System.nanoTime). */
        private final java.util.concurrent.atomic.AtomicLong firstLoss = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        private final AtomicBoolean closed = new AtomicBoolean();

        private Proxy(ManagedChannel channel, Node node) {
            this.channel = channel;
            this.node = node;
        }

        @SuppressWarnings("deprecation") // nameResolverFactory: the one way to name the replicas without a global registry
        static Proxy connect(ReplicaAddresses replicas, int i) {
            ManagedChannel channel = ManagedChannelBuilder.forTarget(ReplicaAddresses.TARGET).nameResolverFactory(replicas)
                    .usePlaintext().build();
            String ip = "10.1." + (i / 250) + "." + (i % 250 + 1);
            Node node = Node.newBuilder().setId("sidecar~" + ip + "~app-" + i + ".drain~drain.svc.cluster.local")
                    .setMetadata(Struct.newBuilder()
                            .putFields("NAMESPACE", Value.newBuilder().setStringValue("drain").build())
                            .putFields("INSTANCE_IPS", Value.newBuilder().setStringValue(ip).build()))
                    .build();
            Proxy proxy = new Proxy(channel, node);
            proxy.open();
            return proxy;
        }

        private void open() {
            if (closed.get()) {
                return;
            }
            @SuppressWarnings("unchecked")
            StreamObserver<DiscoveryRequest>[] requests = new StreamObserver[1];
            synchronized (requests) {
                requests[0] = AggregatedDiscoveryServiceGrpc.newStub(channel).withWaitForReady()
                        .streamAggregatedResources(new StreamObserver<>() {
                            @Override
                            public void onNext(DiscoveryResponse response) {
                                responses.incrementAndGet();
                                synchronized (requests) {
                                    requests[0].onNext(DiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
                                            .setVersionInfo(response.getVersionInfo())
                                            .setResponseNonce(response.getNonce()).build());
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                                firstLoss.compareAndSet(Long.MAX_VALUE, System.nanoTime());
                                reconnects.incrementAndGet();
                                open();
                            }

                            @Override
                            public void onCompleted() {
                                firstLoss.compareAndSet(Long.MAX_VALUE, System.nanoTime());
                                reconnects.incrementAndGet();
                                open();
                            }
                        });
                requests[0].onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(CDS).build());
            }
        }

        @Override
        public void close() {
            closed.set(true);
            channel.shutdownNow();
        }
    }

    /**
     * The apiserver's side of the webhooks: a few callers posting admission reviews back to back, to the draining
     * replica until the endpoints would have dropped it, then to the other. Every answer must be a 200 review.
     */
    private static final class WebhookCallers {
        private static final byte[] REVIEW = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
                  "uid":"d1a2","kind":{"group":"networking.istio.io","version":"v1","kind":"VirtualService"},
                  "resource":{"group":"networking.istio.io","version":"v1","resource":"virtualservices"},
                  "namespace":"default","name":"reviews","operation":"CREATE","userInfo":{"username":"alice"},
                  "object":{"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"reviews"},
                    "spec":{"hosts":["reviews"],"http":[{"route":[{"destination":{"host":"reviews"}}]}]}}}}"""
                .getBytes(StandardCharsets.UTF_8);

        private final AtomicInteger calls = new AtomicInteger();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private volatile long switchAt = Long.MAX_VALUE;

        static WebhookCallers start(int n, TrustingClient draining, TrustingClient other) {
            WebhookCallers callers = new WebhookCallers();
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> {
                    while (callers.running.get()) {
                        TrustingClient to = System.nanoTime() < callers.switchAt ? draining : other;
                        try {
                            HttpResponse<String> r = to.send(to.post("/validate", "application/json", REVIEW));
                            callers.calls.incrementAndGet();
                            if (r.statusCode() != 200 || !r.body().contains("\"allowed\":true")) {
                                callers.failures.add(r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            callers.failures.add(e.toString());
                        }
                    }
                }, "webhook-caller-" + i);
                t.setDaemon(true);
                t.start();
                callers.threads.add(t);
            }
            return callers;
        }

        void switchAfter(long startNanos, Duration delay) {
            switchAt = startNanos + delay.toNanos();
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
    }
}
