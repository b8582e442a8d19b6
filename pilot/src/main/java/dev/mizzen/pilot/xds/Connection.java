package dev.mizzen.pilot.xds;

import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.api.logging.ClientText;
import dev.mizzen.pilot.push.PushRequest;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ServerCallStreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One state-of-the-world ADS stream of one proxy. Tracks, per type, what the proxy subscribed to, what it
 * was sent (all it holds, though an endpoint push sends only the endpoint sets that changed), what it
 * acknowledged and which versions it rejected; a rejected version is never sent to it again.
 */
final class Connection extends AdsStream<DiscoveryRequest, DiscoveryResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    /** How many rejected versions a watch remembers not to send again. */
    private static final int REMEMBERED_REJECTIONS = 64;

    private final Map<String, Watch> watches = new HashMap<>();

    /** One subscribed type. */
    private static final class Watch {
        NameSet names = NameSet.EMPTY;
        boolean wildcard;
        String sentVersion;
        String sentNonce;
        List<XdsResource> sent = List.of();
        String ackedVersion;
        final Set<String> nacked = new RecentSet<>(REMEMBERED_REJECTIONS);
        /** what a push held back while the stream was busy must send; null when none is */
        Send deferred;
    }

    /**
     * What a response holds. ALWAYS answers a request: everything subscribed. IF_CHANGED is a full push:
     * everything, when anything changed. CHANGED_RESOURCES is an endpoint push to an EDS watch: only the
     * endpoint sets whose version changed, as Istio sends them. EDS is not state of the world even over
     * this variant (Envoy and grpc-java keep the sets a response does not name), and sending every set to
     * every proxy on each endpoint change is what made endpoint churn at a thousand sidecars, each holding
     * 1,300 sets, run out of memory.
     */
    private enum Send { ALWAYS, IF_CHANGED, CHANGED_RESOURCES }

    Connection(long id, ServerCallStreamObserver<DiscoveryResponse> out, AdsServer server,
               Optional<CallerCredentials> credentials) {
        super(id, out, server, credentials);
    }

    @Override
    protected int nameCount(DiscoveryRequest request) {
        return request.getResourceNamesCount();
    }

    @Override
    protected Node node(DiscoveryRequest request) {
        return request.getNode();
    }

    @Override
    protected boolean hasNode(DiscoveryRequest request) {
        return request.hasNode();
    }

    @Override
    protected void handle(DiscoveryRequest request) {
        int known = TypeUrls.PUSH_ORDER.indexOf(request.getTypeUrl());
        if (known < 0) {
            LOG.debug("{} asked for unsupported type {}", ClientText.name(proxy.id(), 256), ClientText.quote(request.getTypeUrl(), 128));
            return;
        }
        // the constant and canonical names: cache keys built from them compare by reference
        String type = TypeUrls.PUSH_ORDER.get(known);
        Watch watch = watches.get(type);
        if (watch != null && !request.getResponseNonce().isEmpty()
                && !request.getResponseNonce().equals(watch.sentNonce)) {
            return; // answers a response that was superseded
        }
        if (request.hasErrorDetail()) {
            if (watch != null) {
                watch.nacked.add(watch.sentVersion);
            }
            rejected(type, watch == null ? "?" : watch.sentVersion, request.getErrorDetail().getMessage());
            return;
        }
        // an ACK repeats the names it holds (1,300 endpoint sets for a sidecar that sees 1,000 services):
        // recognise them before interning them all again
        NameSet names = watch != null && watch.names.sameAs(request.getResourceNamesList())
                ? watch.names : NameSet.of(request.getResourceNamesList());
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
        if (type.equals(TypeUrls.SECRET)) {
            checkSecretAccess(names);
        }
        respond(type, watch, Send.ALWAYS);
    }

    @Override
    public synchronized void push(PushRequest request, PushScope scope) {
        if (!isOpen() || !scope.concerns(proxy)) {
            return;
        }
        for (String type : TypeUrls.PUSH_ORDER) {
            Watch watch = watches.get(type);
            if (watch != null && StreamBinding.concerns(request, type, watch.wildcard, watch.names)) {
                Send send = request.isFull() || !type.equals(TypeUrls.ENDPOINT) ? Send.IF_CHANGED : Send.CHANGED_RESOURCES;
                if (deferIfBusy(type)) {
                    // held-back endpoint pushes add up to the difference from what was last sent
                    watch.deferred = watch.deferred == Send.IF_CHANGED ? Send.IF_CHANGED : send;
                } else {
                    respond(type, watch, send);
                }
            }
        }
    }

    @Override
    protected void pushDeferred(String type) {
        Watch watch = watches.get(type);
        if (watch != null && watch.deferred != null) {
            Send send = watch.deferred;
            watch.deferred = null;
            respond(type, watch, send);
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
        if (send != Send.ALWAYS && version.equals(watch.sentVersion)) {
            return;
        }
        if (watch.nacked.contains(version)) {
            LOG.debug("{}: not re-sending {} version {}, which it rejected", proxy.id(), TypeUrls.shortName(type), version);
            return;
        }
        String nonce = nextNonce();
        DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder()
                .setTypeUrl(type)
                .setVersionInfo(version)
                .setNonce(nonce);
        List<XdsResource> body = send == Send.CHANGED_RESOURCES
                ? snapshot.cache().changes(watch.sent, resources, Connection::changed) : resources;
        (body.isEmpty() ? resources : body).forEach(r -> response.addResources(r.body()));
        watch.sentVersion = version;
        watch.sentNonce = nonce;
        watch.sent = resources;
        send(response.build());
    }

    /**
     * The resources of {@code now} that {@code before} lacks or holds in another version. Both lists come
     * from the generator for the same names, in the same order, so they are walked side by side; where the
     * names do not line up, by name.
     */
    private static List<XdsResource> changed(List<XdsResource> before, List<XdsResource> now) {
        List<XdsResource> out = new ArrayList<>();
        if (before.size() == now.size()) {
            for (int i = 0; i < now.size(); i++) {
                XdsResource was = before.get(i);
                XdsResource is = now.get(i);
                if (!was.name().equals(is.name())) {
                    return changedByName(before, now);
                }
                if (!was.version().equals(is.version())) {
                    out.add(is);
                }
            }
            return out;
        }
        return changedByName(before, now);
    }

    private static List<XdsResource> changedByName(List<XdsResource> before, List<XdsResource> now) {
        Map<String, String> versions = new HashMap<>(before.size() * 2);
        before.forEach(r -> versions.put(r.name(), r.version()));
        return now.stream().filter(r -> !r.version().equals(versions.get(r.name()))).toList();
    }

    @Override
    protected Collection<TypeView> views() {
        return watches.entrySet().stream()
                .map(e -> new TypeView(e.getKey(), e.getValue().sentVersion, e.getValue().ackedVersion,
                        e.getValue().sent, e.getValue().names, e.getValue().wildcard))
                .toList();
    }
}
