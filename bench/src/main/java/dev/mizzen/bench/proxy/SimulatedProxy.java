package dev.mizzen.bench.proxy;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * One simulated proxy: an ADS stream that subscribes as its {@link SubscriptionPolicy} says, ACKs every
 * acceptable response and NACKs what its reader rejects. What is common to both variants of xDS lives here
 * (the subscriptions, convergence, retries, capture, the events); {@link SotwProxy} and {@link DeltaProxy}
 * speak the wire protocol.
 *
 * <p>Threading: gRPC calls a subclass's {@code onNext} on the stream's thread; {@link #start} runs on the
 * caller's. Both take this object's lock, which orders the per-type state and the request stream. Other
 * threads read only {@link #subscriptions()}, an immutable map published through a volatile field.
 */
public abstract class SimulatedProxy {
    private static final int MAX_RETRIES = 20;
    /** Backoff before connecting again after a refusal: this plus up to as much again, at random. */
    private static final Duration RETRY_BASE = Duration.ofMillis(500);

    private final int index;
    protected final Node node;
    protected final SubscriptionPolicy policy;
    private final ResourceIndex resources;
    protected final ProxyEvents events;
    protected final Map<String, TypeState> types = new LinkedHashMap<>();
    private volatile Map<String, Subscription> published = Map.of();
    private AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub;
    private int retries;
    protected boolean nodeSent;
    private boolean everConverged;
    protected boolean closed;
    private List<byte[]> capture;

    /** What the proxy asked for and last accepted of one type. */
    protected static final class TypeState {
        Subscription wanted;
        /** state of the world only: the version_info of the last accepted response */
        String version = "";
        String nonce = "";
        /** the names it holds */
        Set<String> received = Set.of();
        boolean answered;
    }

    /** The resources of a response as read, or why the proxy rejects it. */
    protected record Read(List<ResourceInfo> infos, String problem) {
    }

    protected SimulatedProxy(int index, Node node, SubscriptionPolicy policy, ResourceIndex resources,
                             ProxyEvents events) {
        this.index = index;
        this.node = node;
        this.policy = policy;
        this.resources = resources;
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
        openStream(stub);
        synchronized (this) {
            policy.initial().forEach(this::subscribe);
            publish();
        }
    }

    /** Opens this variant's ADS stream on {@code stub}, with this proxy as its observer. */
    protected abstract void openStream(AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub);

    /**
     * Tells the server that the subscription of {@code type} is now {@code state.wanted}; {@code previous} is
     * what it was, null on the stream's first request of the type. Called with the lock held.
     */
    protected abstract void sendSubscription(String type, TypeState state, Subscription previous);

    /** Cancels the stream from the client side. */
    protected abstract void cancel(String reason);

    /** Forgets the stream's state before connecting again; what the proxy holds may stay (delta keeps it). */
    protected void forgetStream() {
        types.clear();
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
        forgetStream();
        published = Map.of();
        nodeSent = false;
        long backoff = RETRY_BASE.toMillis() + ThreadLocalRandom.current().nextLong(RETRY_BASE.toMillis());
        CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS).execute(() -> {
            synchronized (this) {
                if (closed) {
                    return;
                }
            }
            open();
        });
        return true;
    }

    /** Reads every resource of a response (its body by index), stopping at the first the proxy rejects. */
    protected final Read read(String type, TypeState state, int count, IntFunction<ByteString> body) {
        if (state == null) {
            return new Read(List.of(), "a response for " + type + ", which it did not ask for");
        }
        List<ResourceInfo> infos = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ResourceInfo info = resources.read(type, body.apply(i));
            if (!info.problem().isEmpty()) {
                return new Read(infos, info.problem());
            }
            infos.add(info);
        }
        return new Read(infos, "");
    }

    /**
     * What follows the ACK of an accepted response (sent just before): subscriptions that follow from what the
     * proxy now holds of the type ({@code holds}), the capture, the events, first convergence. Called with the
     * lock held.
     */
    protected final void acked(String type, List<ResourceInfo> holds, AcceptedResponse accepted, MessageLite response) {
        long ackNanos = System.nanoTime();
        policy.next(type, holds).forEach(this::subscribe);
        publish();
        if (capture != null) {
            capture.add(response.toByteArray());
        }
        events.onAck(this, accepted, ackNanos);
        if (!everConverged && converged()) {
            everConverged = true;
            events.onFirstConverged(this, ackNanos);
        }
    }

    /** Changes the subscription of a type; tells the server when it differs from the current one. */
    private void subscribe(String type, Subscription wanted) {
        TypeState state = types.computeIfAbsent(type, t -> new TypeState());
        if (wanted.equals(state.wanted)) {
            return;
        }
        Subscription previous = state.wanted;
        state.wanted = wanted;
        sendSubscription(type, state, previous);
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

    /** True when the resources it holds of {@code typeUrl} include any of {@code names}. */
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

    /** How many resources of each type it holds, by type URL. */
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

    /** The stream failed: connect again if the server refused it, else report the failure. */
    protected final void failed(Throwable t) {
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

    /**
     * Drops what the proxy keeps per resource, so the heap it took can be measured; only right before
     * {@link #close}. State-of-the-world proxies keep shared name sets (see {@link EnvoySidecarPolicy}): nothing
     * of their own to drop.
     */
    public synchronized void dropHoldings() {
    }

    /** Ends the stream from the client side; no event follows. */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        cancel("load run over");
    }
}
