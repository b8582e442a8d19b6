package dev.mizzen.bench.proxy;

import com.google.rpc.Status;
import dev.mizzen.pilot.xds.TypeUrls;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One simulated proxy: an ADS stream (state of the world) that subscribes as its {@link SubscriptionPolicy}
 * says, ACKs every acceptable response with its version and nonce, NACKs what its reader rejects, and
 * always sends its current subscription with either.
 *
 * <p>Threading: gRPC calls {@link #onNext} on the stream's thread; {@link #start} runs on the caller's.
 * Both take this object's lock, which orders the per-type state and the request stream. Other threads
 * read only {@link #subscriptions()}, an immutable map published through a volatile field.
 */
public final class SimulatedProxy implements ClientResponseObserver<DiscoveryRequest, DiscoveryResponse> {
    private final int index;
    private final Node node;
    private final SubscriptionPolicy policy;
    private final ResourceIndex resources;
    private final RequestTemplates templates;
    private final ProxyEvents events;
    private final Map<String, TypeState> types = new LinkedHashMap<>();
    private volatile Map<String, Subscription> published = Map.of();
    private ClientCallStreamObserver<DiscoveryRequest> requests;
    private static final int MAX_RETRIES = 20;
    /** Backoff before connecting again after a refusal: this plus up to as much again, at random. */
    private static final java.time.Duration RETRY_BASE = java.time.Duration.ofMillis(500);
    private AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub;
    private int retries;
    private boolean nodeSent;
    private boolean everConverged;
    private boolean closed;
    private List<byte[]> capture;

    /** What the proxy asked for and last accepted of one type. */
    private static final class TypeState {
        Subscription wanted;
        String version = "";
        String nonce = "";
        Set<String> received = Set.of();
        boolean answered;
    }

    public SimulatedProxy(int index, Node node, SubscriptionPolicy policy, ResourceIndex resources,
                          RequestTemplates templates, ProxyEvents events) {
        this.index = index;
        this.node = node;
        this.policy = policy;
        this.resources = resources;
        this.templates = templates;
        this.events = events;
    }

    public int index() {
        return index;
    }

    public String nodeId() {
        return node.getId();
    }

    /** Opens the stream and sends the first subscriptions. */
    public void start(AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub) {
        this.stub = stub;
        open();
    }

    private void open() {
        stub.streamAggregatedResources(this);
        synchronized (this) {
            policy.initial().forEach(this::subscribe);
            publish();
        }
    }

    /**
     * A server that paces new streams refuses the excess with RESOURCE_EXHAUSTED (Istio's
     * PILOT_MAX_REQUESTS_PER_SECOND, Mizzen's --xds-new-streams-per-second); Envoy and gRPC's xDS client then
     * connect again after a backoff, and so does a proxy here that has not converged yet.
     */
    private boolean retryRefusal(Throwable t) {
        if (everConverged || retries >= MAX_RETRIES
                || io.grpc.Status.fromThrowable(t).getCode() != io.grpc.Status.Code.RESOURCE_EXHAUSTED) {
            return false;
        }
        retries++;
        types.clear();
        published = Map.of();
        nodeSent = false;
        long backoff = RETRY_BASE.toMillis() + java.util.concurrent.ThreadLocalRandom.current()
                .nextLong(RETRY_BASE.toMillis());
        java.util.concurrent.CompletableFuture.delayedExecutor(backoff, java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(() -> {
                    synchronized (this) {
                        if (closed) {
                            return;
                        }
                    }
                    open();
                });
        return true;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> stream) {
        this.requests = stream;
    }

    @Override
    public void onNext(DiscoveryResponse response) {
        synchronized (this) {
            if (closed) {
                return;
            }
            String type = response.getTypeUrl();
            TypeState state = types.get(type);
            List<ResourceInfo> infos = new ArrayList<>(response.getResourcesCount());
            String problem = state == null ? "a response for " + type + ", which it did not ask for" : "";
            for (int i = 0; i < response.getResourcesCount() && problem.isEmpty(); i++) {
                ResourceInfo info = resources.read(type, response.getResources(i).getValue());
                infos.add(info);
                problem = info.problem();
            }
            if (!problem.isEmpty()) {
                if (state != null) {
                    send(type, state, response.getNonce(), problem);
                }
                events.onNack(this, type, problem);
                return;
            }
            state.version = response.getVersionInfo();
            state.nonce = response.getNonce();
            state.received = held(type, state, infos);
            state.answered = true;
            send(type, state, state.nonce, "");
            long ackNanos = System.nanoTime();
            policy.next(type, infos).forEach(this::subscribe);
            publish();
            if (capture != null) {
                capture.add(response.toByteArray());
            }
            events.onAck(this, response, infos, ackNanos);
            if (!everConverged && converged()) {
                everConverged = true;
                events.onFirstConverged(this, ackNanos);
            }
        }
    }

    /**
     * What it holds of a type after accepting a response. A state-of-the-world response of LDS or CDS is
     * all it holds of that type; one of RDS or EDS updates the resources it names and keeps the others it
     * still subscribes to (xDS: those types are not state of the world even in this variant; Envoy and
     * grpc-java alike). Names it no longer subscribes to linger until a response brings a new name.
     */
    private Set<String> held(String type, TypeState state, List<ResourceInfo> infos) {
        Set<String> names = new HashSet<>(infos.size() * 2);
        infos.forEach(info -> names.add(info.name()));
        if (type.equals(TypeUrls.LISTENER) || type.equals(TypeUrls.CLUSTER)) {
            return policy.held(type, names);
        }
        if (state.received.containsAll(names)) {
            return state.received;
        }
        for (String name : state.received) {
            if (state.wanted.wildcard() || state.wanted.names().contains(name)) {
                names.add(name);
            }
        }
        return policy.held(type, names);
    }

    /** Changes the subscription of a type; sends a request when it differs from the current one. */
    private void subscribe(String type, Subscription wanted) {
        TypeState state = types.computeIfAbsent(type, t -> new TypeState());
        if (wanted.equals(state.wanted)) {
            return;
        }
        state.wanted = wanted;
        send(type, state, state.nonce, "");
    }

    private void send(String type, TypeState state, String nonce, String error) {
        DiscoveryRequest.Builder request = templates.builder(state.wanted)
                .setTypeUrl(type)
                .setVersionInfo(state.version)
                .setResponseNonce(nonce);
        if (!nodeSent) {
            request.setNode(node);
            nodeSent = true;
        }
        if (!error.isEmpty()) {
            request.setErrorDetail(Status.newBuilder().setCode(3).setMessage(error));
        }
        requests.onNext(request.build());
    }

    private void publish() {
        Map<String, Subscription> out = new HashMap<>();
        types.forEach((type, state) -> out.put(type, state.wanted));
        published = Map.copyOf(out);
    }

    /** True when every type of its kind was answered and each answer holds everything it asked for. */
    public synchronized boolean converged() {
        for (String type : policy.types()) {
            TypeState state = types.get(type);
            if (state == null || !state.answered || !state.wanted.satisfiedBy(state.received)) {
                return false;
            }
        }
        return true;
    }

    /** True when the resources it last accepted of {@code typeUrl} include any of {@code names}. */
    public synchronized boolean holdsAny(String typeUrl, Set<String> names) {
        TypeState state = types.get(typeUrl);
        if (state == null) {
            return false;
        }
        for (String name : names) {
            if (state.received.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** How many resources of each type it holds (those it last accepted), by type URL. */
    public synchronized Map<String, Integer> heldCounts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        types.forEach((type, state) -> out.put(type, state.received.size()));
        return out;
    }

    /** What it subscribes to now, per type URL. */
    public Map<String, Subscription> subscriptions() {
        return published;
    }

    /** Starts keeping the bytes of every response it accepts, for replay by a bare server. */
    public synchronized void startCapture() {
        capture = new ArrayList<>();
    }

    /** Stops keeping responses; returns those kept since {@link #startCapture}. */
    public synchronized List<byte[]> stopCapture() {
        List<byte[]> out = capture == null ? List.of() : capture;
        capture = null;
        return out;
    }

    @Override
    public void onError(Throwable t) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (retryRefusal(t)) {
                events.onRefused(this);
                return;
            }
            closed = true;
        }
        events.onStreamError(this, t);
    }

    @Override
    public void onCompleted() {
        onError(new IllegalStateException("istiod closed the stream"));
    }

    /** Ends the stream from the client side; no event follows. */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        requests.cancel("load run over", null);
    }
}
