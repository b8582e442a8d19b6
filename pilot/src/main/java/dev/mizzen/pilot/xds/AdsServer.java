package dev.mizzen.pilot.xds;

import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.push.PushRequest;
import dev.mizzen.pilot.push.PushTarget;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Aggregated Discovery Service over gRPC, state of the world ({@link SotwStream}) and incremental
 * ({@link DeltaStream}), one stream object per call: this class only opens them and hands pushes on to the
 * {@link ConnectedProxies} they run in. Bound on the plaintext port it serves anonymous proxies; bound behind a
 * {@code CallerCredentialsInterceptor} (the authenticated port) it admits only proxies that prove the identity
 * they claim ({@link ProxyAdmission}).
 */
public final class AdsServer implements AggregatedDiscoveryServiceGrpc.AsyncService, io.grpc.BindableService, PushTarget {
    private final ConnectedProxies proxies;
    private final AtomicLong streamIds = new AtomicLong();

    /**
     * @param generators   picks the generator for a proxy; empty when that kind of proxy is not served
     * @param pushExecutor runs the fan-out of pushes; bounded, so pushes cannot flood the machine
     * @param access       who may connect, who may receive secrets, and the limits of every stream
     */
    public AdsServer(Function<Proxy, Optional<XdsGenerator>> generators, ExecutorService pushExecutor,
                     MeterRegistry meters, XdsAccess access) {
        this(generators, pushExecutor, meters, access, XdsDebug.Settings.NONE);
    }

    /** @param debug what istiod tells authenticated clients over the debug types ({@link XdsDebug}) */
    public AdsServer(Function<Proxy, Optional<XdsGenerator>> generators, ExecutorService pushExecutor,
                     MeterRegistry meters, XdsAccess access, XdsDebug.Settings debug) {
        this.proxies = new ConnectedProxies(generators, pushExecutor, meters, access, debug);
    }

    /** The service to serve: with each caller's address recorded, for the debug views. */
    public ServerServiceDefinition service() {
        return ServerInterceptors.intercept(bindService(), StreamPeer.ADDRESS_INTERCEPTOR);
    }

    /**
     * The generated service, but for state-of-the-world requests, which are read by {@link SotwRequest}'s
     * marshaller: their resource names are kept as bytes until they differ from the last request's.
     */
    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition generated = AggregatedDiscoveryServiceGrpc.bindService(this);
        MethodDescriptor<SotwRequest, DiscoveryResponse> sotw = AggregatedDiscoveryServiceGrpc
                .getStreamAggregatedResourcesMethod().toBuilder(new SotwRequest.Marshaller(),
                        ProtoUtils.marshaller(DiscoveryResponse.getDefaultInstance()))
                .build();
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(AggregatedDiscoveryServiceGrpc.SERVICE_NAME)
                .addMethod(sotw, ServerCalls.asyncBidiStreamingCall(responses -> new SotwStream(streamIds.incrementAndGet(),
                        (ServerCallStreamObserver<DiscoveryResponse>) responses, proxies, StreamPeer.current())));
        generated.getMethods().stream()
                .filter(m -> !m.getMethodDescriptor().getFullMethodName().equals(sotw.getFullMethodName()))
                .forEach(service::addMethod);
        return service.build();
    }

    @Override
    public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(StreamObserver<DeltaDiscoveryResponse> responses) {
        return new DeltaStream(streamIds.incrementAndGet(), (ServerCallStreamObserver<DeltaDiscoveryResponse>) responses,
                proxies, StreamPeer.current());
    }

    /** What runs when proxies connect and disconnect (WorkloadEntry auto-registration); set before serving. */
    public void connectionHooks(ConnectionHooks hooks) {
        proxies.hooks(java.util.Objects.requireNonNull(hooks));
    }

    /** The first push context; streams that arrive before it wait for it. */
    @Override
    public void initialize(PushContext context) {
        proxies.initialize(context);
    }

    @Override
    public void push(PushContext context, PushRequest request) {
        proxies.push(context, request, System.nanoTime());
    }

    @Override
    public void push(PushContext context, PushRequest request, long firstChangeNanos) {
        proxies.push(context, request, firstChangeNanos);
    }

    /** Finds a connected proxy as Istio's debug endpoints do: the first whose connection id contains {@code proxyId}. */
    public Optional<ConnectionStatus> find(String proxyId) {
        return proxies.debug().find(proxyId, Optional.empty());
    }

    /** Responses sent so far, by Istio's type label ({@code cds}, {@code eds}, ...). */
    public java.util.Map<String, Long> responsesByType() {
        return proxies.responsesByType();
    }

    /**
     * Closes every admitted stream over {@code pace}'s window, evenly, so the proxies reconnect to other replicas
     * without a storm; completes once the window is over and no stream is left. The caller has stopped new
     * streams first (the gRPC servers' {@code shutdown()}).
     */
    public java.util.concurrent.CompletableFuture<Void> drain(DrainPace pace,
                                                              java.util.concurrent.ScheduledExecutorService scheduler) {
        return StreamDrain.start(proxies, pace, scheduler);
    }

    /** The admitted streams now. */
    public int connectedStreams() {
        return proxies.streams().size();
    }

    /** What each connected proxy has, sorted by connection id: for the debug views, {@code istioctl} and tests. */
    public List<ConnectionStatus> status() {
        return proxies.status();
    }
}
