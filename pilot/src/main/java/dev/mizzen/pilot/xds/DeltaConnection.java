package dev.mizzen.pilot.xds;

import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.push.PushRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One incremental (delta) ADS stream: per type, what the proxy subscribed to and the version of each
 * resource it holds; a push sends only resources whose version changed and names those that went away.
 * A rejected resource version is never sent to it again.
 *
 * <p>Threading: requests (gRPC's executor) and pushes (the push executor) take this object's lock.
 */
final class DeltaConnection implements StreamObserver<DeltaDiscoveryRequest>, ProxyStream {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaConnection.class);

    private final long id;
    private final ServerCallStreamObserver<DeltaDiscoveryResponse> out;
    private final AdsServer server;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private Proxy proxy;
    private XdsGenerator generator;
    private long nonces;
    private int nackCount;
    private boolean closed;

    /** One subscribed type. */
    private static final class Subscription {
        final Set<String> names = new HashSet<>();
        boolean wildcard;
        /** name -> version the proxy holds (or said it holds) */
        final Map<String, String> held = new HashMap<>();
        /** name -> version of the last response, until acknowledged; a newer response replaces it */
        Map<String, String> pending = Map.of();
        String pendingNonce;
        final Set<String> rejected = new HashSet<>();
        String ackedVersion;
        String sentVersion;
        List<XdsResource> current = List.of();
    }

    DeltaConnection(long id, ServerCallStreamObserver<DeltaDiscoveryResponse> out, AdsServer server) {
        this.id = id;
        this.out = out;
        this.server = server;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public void onNext(DeltaDiscoveryRequest request) {
        try {
            handle(request);
        } catch (RuntimeException e) {
            LOG.error("delta ADS stream {} of {}: request failed", id, proxy == null ? "?" : proxy.id(), e);
            close(Status.INTERNAL.withDescription("request failed: " + e.getMessage()));
        }
    }

    private synchronized void handle(DeltaDiscoveryRequest request) {
        if (closed) {
            return;
        }
        if (proxy == null) {
            Optional<StreamBinding> binding = StreamBinding.bind(id, request.getNode(), request.hasNode(), server, this::close);
            if (binding.isEmpty()) {
                return;
            }
            proxy = binding.get().proxy();
            generator = binding.get().generator();
            server.register(this);
        }
        String type = request.getTypeUrl();
        if (!TypeUrls.PUSH_ORDER.contains(type)) {
            return;
        }
        Subscription sub = subscriptions.get(type);
        boolean first = sub == null;
        if (first) {
            sub = new Subscription();
            boolean wildcardType = type.equals(TypeUrls.CLUSTER) || type.equals(TypeUrls.LISTENER);
            sub.wildcard = request.getResourceNamesSubscribeList().contains("*")
                    || (wildcardType && request.getResourceNamesSubscribeCount() == 0);
            sub.held.putAll(request.getInitialResourceVersionsMap());
            subscriptions.put(type, sub);
        }
        if (!request.getResponseNonce().isEmpty() && request.getResponseNonce().equals(sub.pendingNonce)) {
            if (request.hasErrorDetail()) {
                Subscription rejecting = sub;
                sub.pending.forEach((name, version) -> rejecting.rejected.add(name + "@" + version));
                nackCount++;
                server.rejects.increment();
                LOG.warn("NACK from {} for {} (delta) version {}: {}", proxy.id(), TypeUrls.shortName(type),
                        sub.sentVersion, request.getErrorDetail().getMessage());
            } else {
                sub.held.putAll(sub.pending);
                sub.ackedVersion = sub.sentVersion;
            }
            sub.pending = Map.of();
            sub.pendingNonce = null;
        }
        boolean changed = first;
        for (String name : request.getResourceNamesSubscribeList()) {
            if (name.equals("*")) {
                changed |= !sub.wildcard;
                sub.wildcard = true;
            } else {
                changed |= sub.names.add(name);
            }
        }
        for (String name : request.getResourceNamesUnsubscribeList()) {
            if (name.equals("*")) {
                sub.wildcard = false;
            } else if (sub.names.remove(name)) {
                sub.held.remove(name);
            }
        }
        if (changed) {
            respond(type, sub);
        }
    }

    @Override
    public synchronized void push(PushRequest request) {
        if (proxy == null || closed) {
            return;
        }
        for (String type : TypeUrls.PUSH_ORDER) {
            Subscription sub = subscriptions.get(type);
            if (sub != null && StreamBinding.concerns(request, type, sub.wildcard, sub.names)) {
                respond(type, sub);
            }
        }
    }

    /** Sends what the proxy lacks or holds in an old version, and the names it holds that are gone. */
    private void respond(String type, Subscription sub) {
        PushSnapshot snapshot = server.current();
        if (snapshot == null) {
            return; // the first push will answer
        }
        List<XdsResource> resources = sub.wildcard || !sub.names.isEmpty()
                ? generator.generate(proxy, snapshot, type, sub.wildcard ? Set.of() : sub.names) : List.of();
        sub.current = resources;
        Map<String, String> pending = new TreeMap<>();
        DeltaDiscoveryResponse.Builder response = DeltaDiscoveryResponse.newBuilder().setTypeUrl(type);
        Set<String> present = new HashSet<>();
        for (XdsResource r : resources) {
            present.add(r.name());
            if (r.version().equals(sub.held.get(r.name())) || sub.rejected.contains(r.name() + "@" + r.version())) {
                continue;
            }
            pending.put(r.name(), r.version());
            response.addResources(Resource.newBuilder().setName(r.name()).setVersion(r.version()).setResource(r.body()));
        }
        for (String name : new ArrayList<>(sub.held.keySet())) {
            if (!present.contains(name)) {
                response.addRemovedResources(name);
                sub.held.remove(name);
            }
        }
        if (response.getResourcesCount() == 0 && response.getRemovedResourcesCount() == 0) {
            return;
        }
        String nonce = Long.toString(++nonces);
        sub.sentVersion = StreamBinding.version(resources);
        sub.pending = pending;
        sub.pendingNonce = nonce;
        out.onNext(response.setSystemVersionInfo(sub.sentVersion).setNonce(nonce).build());
        server.responses.increment();
    }

    @Override
    public synchronized Optional<ConnectionStatus> status() {
        if (proxy == null) {
            return Optional.empty();
        }
        Map<String, String> sent = new HashMap<>();
        Map<String, String> acked = new HashMap<>();
        Map<String, List<XdsResource>> held = new HashMap<>();
        Map<String, Set<String>> subscribed = new HashMap<>();
        Set<String> wildcards = new HashSet<>();
        subscriptions.forEach((type, s) -> {
            if (s.sentVersion != null) {
                sent.put(type, s.sentVersion);
            }
            if (s.ackedVersion != null) {
                acked.put(type, s.ackedVersion);
            }
            held.put(type, s.current);
            subscribed.put(type, s.names);
            if (s.wildcard) {
                wildcards.add(type);
            }
        });
        return Optional.of(new ConnectionStatus(proxy.id(), sent, acked, nackCount,
                StreamBinding.subscribedToAllReferences(held, subscribed, wildcards)));
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
