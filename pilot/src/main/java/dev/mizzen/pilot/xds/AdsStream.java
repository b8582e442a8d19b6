package dev.mizzen.pilot.xds;

import dev.mizzen.pilot.model.Proxy;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What both ADS variants share: binding the stream to its proxy on the first request, the stream's life
 * (errors, completion, refusal), and the status it reports. Subclasses handle requests and pushes.
 *
 * <p>Threading: gRPC delivers requests on its executor, pushes arrive from the push executor; both take
 * this object's lock, so state and the response stream see one order.
 *
 * @param <Q> the request message
 * @param <R> the response message
 */
abstract class AdsStream<Q, R> implements StreamObserver<Q>, ProxyStream {
    private static final Logger LOG = LoggerFactory.getLogger(AdsStream.class);

    private final long id;
    protected final ServerCallStreamObserver<R> out;
    protected final AdsServer server;
    protected Proxy proxy;
    protected XdsGenerator generator;
    protected int nackCount;
    private long nonces;
    private boolean closed;
    /** types whose push waits until the proxy has read what it was sent before */
    private final Set<String> deferred = new HashSet<>();

    /** What a type's subscription looks like from outside, for the status. */
    protected record TypeView(String type, String sentVersion, String ackedVersion, List<XdsResource> held,
                              Set<String> names, boolean wildcard) {
    }

    AdsStream(long id, ServerCallStreamObserver<R> out, AdsServer server) {
        this.id = id;
        this.out = out;
        this.server = server;
        out.setOnReadyHandler(this::onReady);
    }

    /**
     * True when a push of {@code type} has to wait because the proxy has not read what it was sent (gRPC's
     * buffer for the stream is full); it is then made once the stream drains, from the config of that
     * moment. A slow proxy so gets the latest config when it catches up, not a queue of every version
     * in between held in istiod's memory. Answers to requests are never deferred.
     */
    protected final boolean deferIfBusy(String type) {
        if (out.isReady()) {
            return false;
        }
        deferred.add(type);
        return true;
    }

    /** Makes a push of {@code type} that {@link #deferIfBusy} held back; called with this object's lock held. */
    protected abstract void pushDeferred(String type);

    private void onReady() {
        try {
            synchronized (this) {
                if (!isOpen() || deferred.isEmpty()) {
                    return;
                }
                List<String> types = TypeUrls.PUSH_ORDER.stream().filter(deferred::contains).toList();
                deferred.clear();
                types.forEach(this::pushDeferred);
            }
        } catch (RuntimeException e) {
            LOG.error("ADS stream {} of {}: deferred push failed", id, proxy == null ? "?" : proxy.id(), e);
        }
    }

    @Override
    public final long id() {
        return id;
    }

    protected abstract Node node(Q request);

    protected abstract boolean hasNode(Q request);

    /** Handles a request of a bound, open stream; called with this object's lock held. */
    protected abstract void handle(Q request);

    protected abstract Collection<TypeView> views();

    @Override
    public final void onNext(Q request) {
        try {
            synchronized (this) {
                if (closed || (proxy == null && !bind(request))) {
                    return;
                }
                handle(request);
            }
        } catch (RuntimeException e) {
            LOG.error("ADS stream {} of {}: request failed", id, proxy == null ? "?" : proxy.id(), e);
            close(Status.INTERNAL.withDescription("request failed: " + e.getMessage()));
        }
    }

    private boolean bind(Q request) {
        Optional<StreamBinding> binding = StreamBinding.bind(id, node(request), hasNode(request), server, this::close);
        binding.ifPresent(b -> {
            proxy = b.proxy();
            generator = b.generator();
            server.register(this);
        });
        return binding.isPresent();
    }

    protected final boolean isOpen() {
        return proxy != null && !closed;
    }

    protected final String nextNonce() {
        return Long.toString(++nonces);
    }

    /** Counts and logs a rejection; the subclass remembers what not to send again. */
    protected final void rejected(String type, String version, String detail) {
        nackCount++;
        server.rejects.increment();
        LOG.warn("NACK from {} for {} version {}: {}", proxy.id(), TypeUrls.shortName(type), version, detail);
    }

    protected final void send(R response) {
        out.onNext(response);
        server.responses.increment();
    }

    @Override
    public final synchronized Optional<ConnectionStatus> status() {
        if (proxy == null) {
            return Optional.empty();
        }
        Map<String, String> sent = new HashMap<>();
        Map<String, String> acked = new HashMap<>();
        Map<String, List<XdsResource>> held = new HashMap<>();
        Map<String, Set<String>> subscribed = new HashMap<>();
        Set<String> wildcards = new HashSet<>();
        for (TypeView v : views()) {
            if (v.sentVersion() != null) {
                sent.put(v.type(), v.sentVersion());
            }
            if (v.ackedVersion() != null) {
                acked.put(v.type(), v.ackedVersion());
            }
            held.put(v.type(), v.held());
            subscribed.put(v.type(), v.names());
            if (v.wildcard()) {
                wildcards.add(v.type());
            }
        }
        return Optional.of(new ConnectionStatus(proxy.id(), sent, acked, nackCount,
                StreamBinding.subscribedToAllReferences(held, subscribed, wildcards)));
    }

    @Override
    public final void onError(Throwable t) {
        disconnect("stream error: " + Status.fromThrowable(t).getCode());
    }

    @Override
    public final void onCompleted() {
        synchronized (this) {
            if (!closed) {
                out.onCompleted();
            }
        }
        disconnect("stream closed");
    }

    private void disconnect(String why) {
        server.unregister(this);
        synchronized (this) {
            closed = true;
            if (proxy != null) {
                LOG.info("{} disconnected ({})", proxy.id(), why);
            }
        }
    }

    protected final synchronized void close(Status status) {
        if (!closed) {
            closed = true;
            server.unregister(this);
            out.onError(status.asRuntimeException());
        }
    }
}
