package dev.mizzen.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import dev.mizzen.demo.ProxylessClient;
import dev.mizzen.demo.Workload;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.IstiodSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 13, scenario 6: faults of the control plane under running proxies. The whole Kubernetes control plane
 * (etcd, apiserver, controllers) stops for 10 s and comes back on the same data and port: proxies keep their
 * config and their streams, istiod keeps serving from its last view, then resyncs, and a change made after the
 * restart arrives. istiod itself restarts: the proxies reconnect and get the very same versions and resources.
 *
 * <p>The proxies: a raw ADS client subscribed as grpc-java is to {@code reviews} (to read versions and
 * endpoints), and Istio's pilot-agent with grpc-java behind it, calling a server through istiod's config.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsTest {
    private static final Duration WAIT = Duration.ofMinutes(1);
    /** How long the apiserver is away. */
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final String BOOKINFO = "bookinfo";
    private static final String ECHO = "grpc-echo";
    private static final String REVIEWS = "reviews.bookinfo.svc.cluster.local:9080";

    private static IstiodSettings.Ports ports;
    private static KubeCluster cluster;
    private static KubernetesClient admin;
    private static KubernetesClient asIstiod;
    private static IstiodServer istiod;
    private static Workload server;
    private static PilotAgent agent;
    private static ProxylessClient grpc;
    private static ProxylessAds ads;

    @BeforeAll
    static void start() throws Exception {
        // fixed ports: a restarted istiod must be where its proxies reconnect to
        ports = new IstiodSettings.Ports(ClusterIstiod.freePort(), ClusterIstiod.freePort(), ClusterIstiod.freePort(),
                ClusterIstiod.freePort());
        cluster = KubeCluster.startRestartable("faults-test", ClusterIstiod.serviceAddressFlag(ports.webhooks()));
        admin = cluster.client();
        MizzenInstall.apply(admin, WAIT);
        asIstiod = ClusterIstiod.clientAs(cluster, MizzenInstall.NAMESPACE, MizzenInstall.SERVICE_ACCOUNT);
        istiod = ClusterIstiod.start(asIstiod, ports);

        admin.resource(new NamespaceBuilder().withNewMetadata().withName(BOOKINFO).endMetadata().build()).create();
        MizzenInstall.applyResource(admin, "/istio/bookinfo/platform/kube/bookinfo.yaml", BOOKINFO);
        server = Workload.start("echo", "v1", "127.0.0.1", 0);
        EchoWorkloads.registerServer(admin, ECHO, server.port());
        Pod pod = EchoWorkloads.deployProxyless(admin, ECHO, "echo-client", WAIT);
        await().atMost(WAIT).until(() -> admin.configMaps().inNamespace(BOOKINFO)
                .withName(XdsConnections.ROOT_CONFIG_MAP).get() != null);

        agent = PilotAgent.start(cluster, pod, ports.secureXds());
        await().atMost(WAIT).untilAsserted(() -> assertThat(agent.grpcBootstrap()).as(agent.log()).exists());
        @SuppressWarnings("unchecked")
        Map<String, Object> bootstrap = dev.mizzen.api.config.SpecReader.mapper()
                .readValue(Files.readString(agent.grpcBootstrap()), Map.class);
        grpc = ProxylessClient.isolated(bootstrap);
        Calls.awaitAnswer(WAIT, "echo v1", FaultsTest::callEcho);

        ads = XdsConnections.proxyless(cluster, ports.secureXds(), BOOKINFO, "bookinfo-productpage", REVIEWS);
        awaitReviewsEndpoints(3);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {ads, grpc, agent, server, istiod, asIstiod, cluster}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the others still close
                }
            }
        }
    }

    private static String callEcho() {
        return grpc.call(EchoWorkloads.target(), Map.of());
    }

    /** Waits until the raw client's EDS for reviews holds {@code count} endpoints, those of the ready Pods. */
    private static void awaitReviewsEndpoints(int count) {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(ads.error()).as("the ADS stream").isNull();
            List<String> pods = admin.pods().inNamespace(BOOKINFO).withLabel("app", "reviews").list().getItems().stream()
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus().getPodIP() != null)
                    .map(p -> p.getStatus().getPodIP() + ":9080").sorted().toList();
            assertThat(pods).hasSize(count);
            assertThat(ads.allEndpoints()).isEqualTo(pods);
        });
    }

    /** Waits until istiod has sent every proxy all it needs and each acknowledged it. */
    private static void awaitInSync() {
        await().atMost(WAIT).untilAsserted(() -> assertThat(istiod.ads().status()).hasSize(2)
                .allSatisfy(s -> assertThat(s.inSync()).as("%s", s).isTrue()));
    }

    @Test
    @Order(1)
    void theApiserverAwayForTenSecondsThenAChangeAfterItsReturnArrives() {
        awaitInSync();
        Map<String, Map<String, Any>> before = ads.resources();
        cluster.stop();
        try {
            // for the whole outage: the streams stay up, the config stays, calls go through
            await().during(OUTAGE).atMost(OUTAGE.plusSeconds(20)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    ads.error() == null && ads.resources().equals(before) && agent.isAlive()
                            && callEcho().equals("echo v1"));
            // and a proxy that connects now (the plaintext port: no token review needed) is served istiod's last view
            try (ProxylessAds late = new ProxylessAds(
                    ManagedChannelBuilder.forAddress("127.0.0.1", ports.xds()).usePlaintext().build(),
                    ProxylessAds.node("10.244.255.2", "late", BOOKINFO, "", Map.of("app", "late")), null,
                    Set.of(REVIEWS))) {
                await().atMost(WAIT).untilAsserted(() -> assertThat(late.allEndpoints()).isEqualTo(ads.allEndpoints()));
            }
        } finally {
            cluster.restart();
        }

        // istiod resyncs: a change to Pods (through the restarted controllers) and one to config reach the proxy
        admin.apps().deployments().inNamespace(BOOKINFO).withName("reviews-v1").scale(2);
        awaitReviewsEndpoints(4);
        MizzenInstall.applyYaml(admin, """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: bookinfo}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: ratings}
                """);
        await().atMost(WAIT).untilAsserted(() -> assertThat(ads.endpoints())
                .containsOnlyKeys("outbound|9080||ratings.bookinfo.svc.cluster.local"));
        assertThat(callEcho()).isEqualTo("echo v1");
    }

    @Test
    @Order(2)
    void aRestartedIstiodGivesTheProxiesTheSameVersions() throws Exception {
        awaitInSync();
        Map<String, String> versions = ads.versions();
        Map<String, Map<String, Any>> resources = ads.resources();
        assertThat(versions).containsOnlyKeys(ProxylessAds.LDS, ProxylessAds.RDS, ProxylessAds.CDS, ProxylessAds.EDS);

        istiod.close();
        await().atMost(WAIT).until(() -> ads.error() != null);
        istiod = ClusterIstiod.start(asIstiod, ports);
        ads.reconnect();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(ads.error()).isNull();
            assertThat(ads.responsesOnStream()).containsOnlyKeys(versions.keySet());
            assertThat(ads.versions()).isEqualTo(versions);
        });
        assertThat(ads.resources()).isEqualTo(resources);
        // the agent reconnected by itself, and grpc-java behind it calls on
        Calls.awaitAnswer(WAIT, "echo v1", FaultsTest::callEcho);
        awaitInSync();
    }
}
