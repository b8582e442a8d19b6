package dev.mizzen.pilot.xds;

import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.push.PushRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One ADS stream of one proxy. Tracks, per type, what the proxy subscribed to, what it was sent, what it
 * acknowledged and which versions it rejected; a rejected version is never sent to it again.
 *
 * <p>Threading: gRPC delivers requests on its executor, pushes arrive from the push executor; both take
 * this object's lock, so state and the response stream see one order.
 */
final class Connection implements StreamObserver<DiscoveryRequest>, ProxyStream {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final long id;
    private final ServerCallStreamObserver<DiscoveryResponse> out;
    private final AdsServer server;
    private final Map<String, Watch> watches = new HashMap<>();
    private Proxy proxy;
    private XdsGenerator generator;
    private long nonces;
    private int nackCount;
    private boolean closed;

    /** One subscribed type. */
    private static final class Watch {
        Set<String> names = Set.of();
        boolean wildcard;
        String sentVersion;
        String sentNonce;
        List<XdsResource> sent = List.of();
        String ackedVersion;
        final Set<String> nacked = new HashSet<>();
    }

    private enum Send { ALWAYS, IF_CHANGED }

    Connection(long id, ServerCallStreamObserver<DiscoveryResponse> out, AdsServer server) {
        this.id = id;
        this.out = out;
        this.server = server;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public void onNext(DiscoveryRequest request) {
        try {
            handle(request);
        } catch (RuntimeException e) {
            LOG.error("ADS stream {} of {}: request failed", id, proxy == null ? "?" : proxy.id(), e);
            close(Status.INTERNAL.withDescription("request failed: " + e.getMessage()));
        }
    }

    private synchronized void handle(DiscoveryRequest request) {
        if (closed) {
            return;
        }
        if (proxy == null && !connect(request)) {
            return;
        }
        String type = request.getTypeUrl();
        if (!TypeUrls.PUSH_ORDER.contains(type)) {
            LOG.debug("{} asked for unsupported type {}", proxy.id(), type);
            return;
        }
        Watch watch = watches.get(type);
        if (watch != null && !request.getResponseNonce().isEmpty()
                && !request.getResponseNonce().equals(watch.sentNonce)) {
            return; // answers a response that was superseded
        }
        if (request.hasErrorDetail()) {
            if (watch != null) {
                watch.nacked.add(watch.sentVersion);
            }
            nackCount++;
            server.rejects.increment();
            LOG.warn("NACK from {} for {} version {}: {}", proxy.id(), TypeUrls.shortName(type),
                    watch == null ? "?" : watch.sentVersion, request.getErrorDetail().getMessage());
            return;
        }
        Set<String> names = Set.copyOf(request.getResourceNamesList());
        if (watch == null) {
            watch = new Watch();
            watch.wildcard = names.contains("*")
                    || (names.isEmpty() && (type.equals(TypeUrls.CLUSTER) || type.equals(TypeUrls.LISTENER)));
            watches.put(type, watch);
        } else {
            if (!request.getResponseNonce().isEmpty()) {
                watch.ackedVersion = request.getVersionInfo();
            }
            if (names.equals(watch.names)) {
                return; // an ACK, nothing new asked for
            }
        }
        watch.names = names;
        respond(type, watch, Send.ALWAYS);
    }

    private boolean connect(DiscoveryRequest request) {
        Optional<StreamBinding> binding = StreamBinding.bind(id, request.getNode(), request.hasNode(), server, this::close);
        binding.ifPresent(b -> {
            proxy = b.proxy();
            generator = b.generator();
            server.register(this);
        });
        return binding.isPresent();
    }

    @Override
    public synchronized void push(PushRequest request) {
        if (proxy == null || closed) {
            return;
        }
        for (String type : TypeUrls.PUSH_ORDER) {
            Watch watch = watches.get(type);
            if (watch != null && StreamBinding.concerns(request, type, watch.wildcard, watch.names)) {
                respond(type, watch, Send.IF_CHANGED);
            }
        }
    }

    private void respond(String type, Watch watch, Send send) {
        PushSnapshot snapshot = server.current();
        if (snapshot == null) {
            return; // the first push will answer
        }
        Set<String> names = watch.wildcard ? Set.of() : watch.names;
        List<XdsResource> resources = !watch.wildcard && names.isEmpty() ? List.of()
                : generator.generate(proxy, snapshot, type, names);
        String version = StreamBinding.version(resources);
        if (send == Send.IF_CHANGED && version.equals(watch.sentVersion)) {
            return;
        }
        if (watch.nacked.contains(version)) {
            LOG.debug("{}: not re-sending {} version {}, which it rejected", proxy.id(), TypeUrls.shortName(type), version);
            return;
        }
        String nonce = Long.toString(++nonces);
        DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder()
                .setTypeUrl(type)
                .setVersionInfo(version)
                .setNonce(nonce);
        resources.forEach(r -> response.addResources(r.body()));
        watch.sentVersion = version;
        watch.sentNonce = nonce;
        watch.sent = resources;
        out.onNext(response.build());
        server.responses.increment();
    }

    @Override
    public synchronized Optional<ConnectionStatus> status() {
        if (proxy == null) {
            return Optional.empty();
        }
        Map<String, String> sent = new HashMap<>();
        Map<String, String> acked = new HashMap<>();
        watches.forEach((type, w) -> {
            if (w.sentVersion != null) {
                sent.put(type, w.sentVersion);
            }
            if (w.ackedVersion != null) {
                acked.put(type, w.ackedVersion);
            }
        });
        return Optional.of(new ConnectionStatus(proxy.id(), sent, acked, nackCount, subscribedToAllReferences()));
    }

    /** True when the proxy asked for everything its resources refer to (routes, clusters, endpoints). */
    private boolean subscribedToAllReferences() {
        Map<String, List<XdsResource>> held = new HashMap<>();
        Map<String, Set<String>> subscribed = new HashMap<>();
        Set<String> wildcards = new HashSet<>();
        watches.forEach((type, w) -> {
            held.put(type, w.sent);
            subscribed.put(type, w.names);
            if (w.wildcard) {
                wildcards.add(type);
            }
        });
        return StreamBinding.subscribedToAllReferences(held, subscribed, wildcards);
    }

    @Override
    public void onError(Throwable t) {
        disconnect("stream error: " + Status.fromThrowable(t).getCode());
    }

    @Override
    public void onCompleted() {
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

    private synchronized void close(Status status) {
        if (!closed) {
            closed = true;
            server.unregister(this);
            out.onError(status.asRuntimeException());
        }
    }
}
