package dev.mizzen.pilot.xds;

import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.pilot.push.PushRequest;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.ServerCallStreamObserver;

import java.util.ArrayList;
import java.util.Collection;
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
 */
final class DeltaConnection extends AdsStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
    /** How many rejected resource versions a subscription remembers not to send again. */
    private static final int REMEMBERED_REJECTIONS = 10_000;

    private final Map<String, Subscription> subscriptions = new HashMap<>();

    /** One subscribed type. */
    private static final class Subscription {
        final Set<String> names = new HashSet<>();
        boolean wildcard;
        /** name -> version the proxy holds (or said it holds) */
        final Map<String, String> held = new HashMap<>();
        /** name -> version of the last response, until acknowledged; a newer response replaces it */
        Map<String, String> pending = Map.of();
        String pendingNonce;
        final Set<String> rejected = new RecentSet<>(REMEMBERED_REJECTIONS);
        String ackedVersion;
        String sentVersion;
        List<XdsResource> current = List.of();
    }

    DeltaConnection(long id, ServerCallStreamObserver<DeltaDiscoveryResponse> out, AdsServer server,
                    Optional<CallerCredentials> credentials) {
        super(id, out, server, credentials);
    }

    @Override
    protected int nameCount(DeltaDiscoveryRequest request) {
        return request.getResourceNamesSubscribeCount() + request.getResourceNamesUnsubscribeCount()
                + request.getInitialResourceVersionsCount();
    }

    @Override
    protected Node node(DeltaDiscoveryRequest request) {
        return request.getNode();
    }

    @Override
    protected boolean hasNode(DeltaDiscoveryRequest request) {
        return request.hasNode();
    }

    @Override
    protected void handle(DeltaDiscoveryRequest request) {
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
                rejected(type, sub.sentVersion + " (delta)", request.getErrorDetail().getMessage());
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
        if (sub.names.size() > server.limits().maxNamesPerRequest()) {
            close(io.grpc.Status.RESOURCE_EXHAUSTED.withDescription("a subscription may name at most "
                    + server.limits().maxNamesPerRequest() + " resources"));
            return;
        }
        if (changed && type.equals(TypeUrls.SECRET)) {
            checkSecretAccess(request.getResourceNamesSubscribeList());
        }
        if (changed) {
            respond(type, sub);
        }
    }

    @Override
    public synchronized void push(PushRequest request, PushScope scope) {
        if (!isOpen() || !scope.concerns(proxy)) {
            return;
        }
        for (String type : TypeUrls.PUSH_ORDER) {
            Subscription sub = subscriptions.get(type);
            if (sub != null && StreamBinding.concerns(request, type, sub.wildcard, sub.names) && !deferIfBusy(type)) {
                respond(type, sub);
            }
        }
    }

    @Override
    protected void pushDeferred(String type) {
        Subscription sub = subscriptions.get(type);
        if (sub != null) {
            respond(type, sub);
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
        String nonce = nextNonce();
        sub.sentVersion = StreamBinding.version(resources);
        sub.pending = pending;
        sub.pendingNonce = nonce;
        send(response.setSystemVersionInfo(sub.sentVersion).setNonce(nonce).build());
    }

    @Override
    protected Collection<TypeView> views() {
        return subscriptions.entrySet().stream()
                .map(e -> new TypeView(e.getKey(), e.getValue().sentVersion, e.getValue().ackedVersion,
                        e.getValue().current, e.getValue().names, e.getValue().wildcard))
                .toList();
    }
}
