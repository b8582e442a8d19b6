package dev.mizzen.pilot.xds;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.Status;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.push.PushRequest;
import dev.mizzen.pilot.serviceregistry.RegistrySnapshot;
import dev.mizzen.pilot.testing.IstioConfigs;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.ResponseQueue;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The ADS protocol as a proxy sees it: responses, ACKs, NACKs, and what is (not) sent again. */
class AdsServerTest {
    private static final String NODE_ID = "sidecar~10.0.0.1~app-1.default~default.svc.cluster.local";

    private final AtomicReference<String> clusterName = new AtomicReference<>("outbound|80||a.default.svc.cluster.local");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private AdsServer ads;
    private Server server;
    private ManagedChannel channel;
    private final ResponseQueue<DiscoveryResponse> responses = new ResponseQueue<>();
    private StreamObserver<DiscoveryRequest> requests;

    @BeforeEach
    void start() throws Exception {
        XdsGenerator generator = (proxy, push, type, names) ->
                List.of(XdsResource.of(clusterName.get(), Cluster.newBuilder().setName(clusterName.get()).build()));
        ads = new AdsServer(p -> Optional.of(generator), Executors.newFixedThreadPool(2), meters, XdsAccess.PLAINTEXT);
        ads.initialize(snapshot());
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(ads).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(responses);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    private static PushContext snapshot() {
        return PushContext.build(1, MeshSettings.DEFAULT, RegistrySnapshot.EMPTY, new MemoryConfigStore(List.of()).snapshot());
    }

    private static DiscoveryRequest.Builder request() {
        return DiscoveryRequest.newBuilder().setTypeUrl(TypeUrls.CLUSTER).setNode(Node.newBuilder().setId(NODE_ID)
                .setMetadata(Struct.newBuilder().putFields("NAMESPACE", Value.newBuilder().setStringValue("default").build())));
    }

    private DiscoveryResponse next() throws InterruptedException {
        return responses.next();
    }

    @Test
    void aRejectedVersionIsNeverSentAgainButTheNextOneIs() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(AdsStream.class)).addAppender(log);

        requests.onNext(request().build());
        DiscoveryResponse first = next();
        requests.onNext(request().setResponseNonce(first.getNonce()).setErrorDetail(Status.newBuilder()
                .setMessage("cluster weights sum to 0")).build());

        ads.push(snapshot(), PushRequest.full("test")); // same content: the rejected version
        ads.push(snapshot(), PushRequest.full("test"));
        assertThat(responses.poll(200)).isNull();
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).anySatisfy(line -> assertThat(line)
                .contains("NACK from " + NODE_ID).contains("CDS version " + first.getVersionInfo())
                .contains("cluster weights sum to 0"));
        assertThat(meters.counter("pilot_total_xds_rejects", "type", "cds").count()).isEqualTo(1);

        clusterName.set("outbound|80||b.default.svc.cluster.local");
        ads.push(snapshot(), PushRequest.full("test"));
        DiscoveryResponse second = next();
        assertThat(second.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
        assertThat(second.getResources(0).unpack(Cluster.class).getName()).isEqualTo("outbound|80||b.default.svc.cluster.local");
    }

    @Test
    void aPushCausedOnlyByAPolicyResendsListenersOnly() throws Exception {
        requests.onNext(request().build());
        DiscoveryResponse clusters = next();
        requests.onNext(request().setResponseNonce(clusters.getNonce()).setVersionInfo(clusters.getVersionInfo()).build());
        requests.onNext(request().setTypeUrl(TypeUrls.LISTENER).build());
        DiscoveryResponse listeners = next();
        requests.onNext(request().setTypeUrl(TypeUrls.LISTENER).setResponseNonce(listeners.getNonce())
                .setVersionInfo(listeners.getVersionInfo()).build());

        clusterName.set("outbound|80||b.default.svc.cluster.local"); // what every type would answer now
        String policy = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: allow-nothing, namespace: default}
                spec: {}
                """;
        PushContext withPolicy = PushContext.build(2, MeshSettings.DEFAULT, RegistrySnapshot.EMPTY, new MemoryConfigStore(
                List.of(IstioConfigs.parse(policy, "default", java.time.Instant.EPOCH))).snapshot());
        ads.push(withPolicy, PushRequest.config(ConfigKey.of(ConfigKind.AUTHORIZATION_POLICY, "default", "allow-nothing")));
        assertThat(next().getTypeUrl()).isEqualTo(TypeUrls.LISTENER);
        assertThat(responses.poll(200)).as("clusters do not depend on policies: not even generated").isNull();
        ads.push(withPolicy, PushRequest.full("test"));
        assertThat(next().getTypeUrl()).isEqualTo(TypeUrls.CLUSTER);
    }

    @Test
    void unchangedContentIsNotPushedAndAnAckNeedsNoAnswer() throws Exception {
        requests.onNext(request().build());
        DiscoveryResponse first = next();
        requests.onNext(request().setResponseNonce(first.getNonce()).setVersionInfo(first.getVersionInfo()).build());
        ads.push(snapshot(), PushRequest.full("test"));
        assertThat(responses.poll(200)).isNull();
        assertThat(ads.status()).singleElement().satisfies(s -> assertThat(s.acked()).containsEntry(TypeUrls.CLUSTER, first.getVersionInfo()));
    }

    @Test
    void aProxyThatReadsSlowlyGetsTheLatestConfigWhenItCatchesUpNotEveryVersionInBetween() throws Exception {
        ResponseQueue<DiscoveryResponse> slow = ResponseQueue.readingOnly(1); // one response, then only when told
        StreamObserver<DiscoveryRequest> stream = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(slow);
        stream.onNext(request().build());
        DiscoveryResponse first = slow.next();
        stream.onNext(request().setResponseNonce(first.getNonce()).setVersionInfo(first.getVersionInfo()).build());

        for (String host : List.of("b", "c", "d")) { // three versions while it reads nothing
            clusterName.set("outbound|80||" + host + ".default.svc.cluster.local");
            ads.push(snapshot(), PushRequest.full("test"));
        }
        slow.read();
        DiscoveryResponse caughtUp = slow.next();
        assertThat(caughtUp.getResources(0).unpack(Cluster.class).getName()).isEqualTo("outbound|80||d.default.svc.cluster.local");
        slow.read();
        assertThat(slow.poll(200)).as("nothing else was queued").isNull();
    }

    @Test
    void versionsAreContentHashesThatSurviveARestart() throws Exception {
        requests.onNext(request().build());
        String version = next().getVersionInfo();
        stop();
        start();
        requests.onNext(request().build());
        assertThat(next().getVersionInfo()).isEqualTo(version);
    }

    @Test
    void aNodeIdThatIsNotIstiosIsRefusedWithAReason() throws Exception {
        AtomicReference<Throwable> error = new AtomicReference<>();
        StreamObserver<DiscoveryRequest> bad = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(
                new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        error.set(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        bad.onNext(DiscoveryRequest.newBuilder().setTypeUrl(TypeUrls.CLUSTER).setNode(Node.newBuilder().setId("garbage")).build());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> error.get() != null);
        assertThat(error.get()).hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("garbage");
        // the server keeps serving others
        requests.onNext(request().build());
        assertThat(next().getResourcesCount()).isEqualTo(1);
    }

    @Test
    void metadataLabelsMakeTheProxyGroup() {
        var proxy = ProxyParser.parse(Node.newBuilder().setId(NODE_ID).setMetadata(Struct.newBuilder()
                .putFields("NAMESPACE", Value.newBuilder().setStringValue("default").build())
                .putFields("GENERATOR", Value.newBuilder().setStringValue("grpc").build())
                .putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder()
                        .putFields("app", Value.newBuilder().setStringValue("reviews").build())).build()))
                .build());
        assertThat(proxy.isProxylessGrpc()).isTrue();
        assertThat(proxy.podName()).isEqualTo("app-1");
        assertThat(proxy.ipAddresses()).containsExactly("10.0.0.1");
        assertThat(proxy.group().labels()).isEqualTo(Map.of("app", "reviews"));
    }
}
