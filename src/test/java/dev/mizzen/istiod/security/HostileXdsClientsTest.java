package dev.mizzen.istiod.security;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.istiod.IstiodServer;
import dev.mizzen.istiod.local.LocalApiServer;
import dev.mizzen.istiod.testing.TestIstiod;
import dev.mizzen.pilot.xds.XdsLimits;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients on the plaintext xDS port that try to make istiod keep memory, write its log, or crowd out others.
 * Each attack is bounded in count and time and runs on loopback; each ends by checking that an honest proxy is
 * still served.
 */
class HostileXdsClientsTest {
    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    private static final int NAMES_LIMIT = 1_000;

    private LocalApiServer api;
    private IstiodServer istiod;
    private ManagedChannel channel;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void start() {
        api = LocalApiServer.start();
        XdsLimits limits = new XdsLimits(XdsLimits.DEFAULTS.maxMessageBytes(), XdsLimits.DEFAULTS.maxStreamsPerConnection(),
                XdsLimits.DEFAULTS.maxNodeIdChars(), XdsLimits.DEFAULTS.maxMetadataBytes(), NAMES_LIMIT, 100_000,
                Duration.ofSeconds(1), XdsLimits.DEFAULTS.maxQueuedRequests());
        istiod = IstiodServer.start(TestIstiod.settings().withXdsLimits(limits), api.client());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", istiod.xdsPort()).usePlaintext()
                .maxInboundMessageSize(16 << 20).build();
        log.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(log);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        channel.shutdownNow();
        istiod.close();
        api.close();
    }

    @Test
    void aMillionUniqueNamesOverTenThousandShortStreamsLeaveTheHeapWhereItWas() throws Exception {
        askForUniqueNames(0, 1_000); // warm up: classes, pools and caches reach their steady size
        await().atMost(TestIstiod.TIMEOUT).until(() -> istiod.ads().status().isEmpty());
        long before = heapAfterGc();

        askForUniqueNames(1_000, 10_000);
        await("no stream stays registered after it closed").atMost(TestIstiod.TIMEOUT)
                .until(() -> istiod.ads().status().isEmpty());
        long after = heapAfterGc();
        LoggerFactory.getLogger(HostileXdsClientsTest.class).info("heap after GC: {} bytes before the attack, {} after",
                before, after);

        assertThat(after).as("heap after GC: %,d bytes before, %,d after", before, after)
                .isLessThan(before + before / 10);
        assertHonestProxyServed();
    }

    @Test
    void aHugeNackDetailAddsLittleToTheLogAndForgesNoLine() throws Exception {
        LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        StreamObserver<DiscoveryRequest> requests = sotw(answers);
        requests.onNext(DiscoveryRequest.newBuilder().setNode(node("sidecar~10.0.0.1~nack-1.default~default.svc.cluster.local"))
                .setTypeUrl(CDS).build());
        DiscoveryResponse first = (DiscoveryResponse) answers.poll(10, TimeUnit.SECONDS);
        log.list.clear();

        String huge = "x".repeat(3 << 20);
        requests.onNext(nack(first, huge));
        requests.onNext(nack(first, "bad cluster\nINFO IstiodServer: FORGED LOG LINE"));
        await().atMost(TestIstiod.TIMEOUT).until(() -> istiod.ads().status().stream().anyMatch(s -> s.nacks() == 2));

        long bytes = log.list.stream().mapToLong(e -> e.getFormattedMessage().length()).sum();
        assertThat(bytes).as("log written for a 3 MiB and a short NACK").isLessThan(2 * 1024 + 512);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .allSatisfy(line -> assertThat(line).doesNotContain("\n"))
                .anySatisfy(line -> assertThat(line).contains("(3145728 chars)"));

        log.list.clear();
        for (int i = 0; i < 20; i++) {
            requests.onNext(nack(first, "again " + i));
        }
        await().atMost(TestIstiod.TIMEOUT).until(() -> istiod.ads().status().stream().anyMatch(s -> s.nacks() == 22));
        assertThat(log.list).as("a proxy that repeats its NACK gets a few lines, not one each").hasSizeLessThanOrEqualTo(5);
        requests.onCompleted();
        assertHonestProxyServed();
    }

    @Test
    void aHugeNodeIdIsRefusedAndLoggedShort() throws Exception {
        LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        sotw(answers).onNext(DiscoveryRequest.newBuilder()
                .setNode(node("sidecar~10.0.0.1~" + "p".repeat(1 << 20) + ".default~default.svc.cluster.local"))
                .setTypeUrl(CDS).build());
        Object answer = answers.poll(10, TimeUnit.SECONDS);
        assertThat(answer).isInstanceOfSatisfying(Throwable.class,
                e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(log.list.stream().mapToLong(e -> e.getFormattedMessage().length()).sum()).isLessThan(2048);
        assertHonestProxyServed();
    }

    @Test
    void aRequestNamingTooManyResourcesClosesOnlyItsStream() throws Exception {
        LinkedBlockingQueue<Object> honest = new LinkedBlockingQueue<>();
        StreamObserver<DiscoveryRequest> honestRequests = sotw(honest);
        honestRequests.onNext(DiscoveryRequest.newBuilder().setNode(node("sidecar~10.0.0.2~ok-1.default~default.svc.cluster.local"))
                .setTypeUrl(CDS).build());
        assertThat(honest.poll(10, TimeUnit.SECONDS)).isInstanceOf(DiscoveryResponse.class);

        LinkedBlockingQueue<Object> greedy = new LinkedBlockingQueue<>();
        sotw(greedy).onNext(DiscoveryRequest.newBuilder().setNode(node("sidecar~10.0.0.1~greedy-1.default~default.svc.cluster.local"))
                .setTypeUrl(EDS).addAllResourceNames(names(0, NAMES_LIMIT + 1)).build());
        assertThat(greedy.poll(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Throwable.class,
                e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));

        LinkedBlockingQueue<Object> deltaGreedy = new LinkedBlockingQueue<>();
        StreamObserver<DeltaDiscoveryRequest> delta = delta(deltaGreedy);
        for (int i = 0; i < 3; i++) { // each request within the limit, the subscription over it
            delta.onNext(DeltaDiscoveryRequest.newBuilder().setNode(node("sidecar~10.0.0.3~delta-1.default~default.svc.cluster.local"))
                    .setTypeUrl(EDS).addAllResourceNamesSubscribe(names(i * NAMES_LIMIT / 2, NAMES_LIMIT / 2)).build());
        }
        await().atMost(TestIstiod.TIMEOUT).until(() -> deltaGreedy.stream().anyMatch(o -> o instanceof Throwable t
                && Status.fromThrowable(t).getCode() == Status.Code.RESOURCE_EXHAUSTED));

        // the honest stream is untouched: it still acknowledges and asks
        honestRequests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(EDS).addResourceNames("outbound|80||x.default.svc.cluster.local").build());
        assertThat(honest.poll(10, TimeUnit.SECONDS)).isInstanceOf(DiscoveryResponse.class);
        honestRequests.onCompleted();
    }

    /**
     * Opens {@code count} streams (SotW and delta alternately, 32 at a time), each asking for 100 endpoint sets
     * no one else ever named, waits for the answer, and cancels the stream.
     */
    private void askForUniqueNames(int from, int count) throws Exception {
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<Object>> answers = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            inFlight.acquire();
            CompletableFuture<Object> answer = new CompletableFuture<>();
            answer.whenComplete((a, t) -> inFlight.release());
            String id = "sidecar~10.1.0.1~hostile-" + i + ".default~default.svc.cluster.local";
            List<String> names = names(i * 100, 100);
            if (i % 2 == 0) {
                ClientCallStreamObserver<DiscoveryRequest> stream = HostileXdsClientsTest.<DiscoveryRequest, DiscoveryResponse>cancellingOnAnswer(answer, observer ->
                        AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(observer));
                stream.onNext(DiscoveryRequest.newBuilder().setNode(node(id)).setTypeUrl(EDS).addAllResourceNames(names).build());
            } else {
                ClientCallStreamObserver<DeltaDiscoveryRequest> stream = HostileXdsClientsTest.<DeltaDiscoveryRequest, io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse>cancellingOnAnswer(answer, observer ->
                        AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(observer));
                stream.onNext(DeltaDiscoveryRequest.newBuilder().setNode(node(id)).setTypeUrl(EDS)
                        .addAllResourceNamesSubscribe(names).build());
            }
            answers.add(answer);
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    }

    /** A stream whose first answer (or error) completes {@code answer} and which the client then cancels. */
    @SuppressWarnings("unchecked")
    private static <Q, R> ClientCallStreamObserver<Q> cancellingOnAnswer(CompletableFuture<Object> answer,
                                                                         java.util.function.Function<StreamObserver<R>, StreamObserver<Q>> open) {
        ClientCallStreamObserver<Q>[] self = new ClientCallStreamObserver[1];
        open.apply(new ClientResponseObserver<Q, R>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
                self[0] = requestStream;
            }

            @Override
            public void onNext(R value) {
                answer.complete(value);
                self[0].cancel("done", null);
            }

            @Override
            public void onError(Throwable t) {
                answer.complete(t);
            }

            @Override
            public void onCompleted() {
                answer.complete(null);
            }
        });
        return self[0];
    }

    private static List<String> names(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(j -> "outbound|9080||unique-" + j + ".default.svc.cluster.local").toList();
    }

    private static long heapAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    private void assertHonestProxyServed() throws Exception {
        LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        StreamObserver<DiscoveryRequest> requests = sotw(answers);
        requests.onNext(DiscoveryRequest.newBuilder().setNode(node("sidecar~10.0.0.9~honest-1.default~default.svc.cluster.local"))
                .setTypeUrl(CDS).build());
        assertThat(answers.poll(10, TimeUnit.SECONDS)).as("an honest proxy is still served").isInstanceOf(DiscoveryResponse.class);
        requests.onCompleted();
    }

    private static DiscoveryRequest nack(DiscoveryResponse response, String detail) {
        return DiscoveryRequest.newBuilder().setTypeUrl(CDS).setResponseNonce(response.getNonce())
                .setVersionInfo("").setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage(detail)).build();
    }

    private StreamObserver<DiscoveryRequest> sotw(LinkedBlockingQueue<Object> answers) {
        return AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(HostileXdsClientsTest.<DiscoveryResponse>collecting(answers::add));
    }

    private StreamObserver<DeltaDiscoveryRequest> delta(LinkedBlockingQueue<Object> answers) {
        return AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(HostileXdsClientsTest.<io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse>collecting(answers::add));
    }

    private static <R> StreamObserver<R> collecting(Consumer<Object> sink) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R value) {
                sink.accept(value);
            }

            @Override
            public void onError(Throwable t) {
                sink.accept(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private static Node node(String id) {
        return Node.newBuilder().setId(id).setMetadata(Struct.newBuilder()
                .putFields("NAMESPACE", Value.newBuilder().setStringValue("default").build())).build();
    }
}
