package dev.mizzen.bench.proxy;

import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated proxy over delta (incremental) ADS, as Envoy speaks it with Istio's agent: the first request of a
 * type subscribes to nothing by name (a wildcard, for CDS and LDS) or to the names it needs (EDS, RDS); later
 * requests name only the names to add and to drop as clusters and listeners come and go. An ACK names nothing:
 * the type and the response's nonce; a NACK adds the error. The proxy keeps every resource it holds with its
 * version, applies each response's resources and removals to them, and on a new stream tells the server what
 * it holds ({@code initial_resource_versions}), as Envoy does when it reconnects.
 *
 * <p>The resource names it keeps are the {@link ResourceInfo}s' own (one copy per distinct body, shared by the
 * fleet) and the versions are interned, so a sidecar's holdings cost one map entry per resource.
 */
public final class DeltaProxy extends SimulatedProxy
        implements ClientResponseObserver<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
    private final StringInterner versions;
    /** per type URL, what it holds by resource name; kept across a reconnect */
    private final Map<String, Map<String, Held>> holdings = new HashMap<>();
    private ClientCallStreamObserver<DeltaDiscoveryRequest> requests;

    /** A resource held: as read, and the version the server sent it with. */
    private record Held(ResourceInfo info, String version) {
    }

    DeltaProxy(int index, Node node, SubscriptionPolicy policy, ResourceIndex resources, StringInterner versions,
               ProxyEvents events) {
        super(index, node, policy, resources, events);
        this.versions = versions;
    }

    @Override
    protected void openStream(AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub) {
        stub.deltaAggregatedResources(this);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<DeltaDiscoveryRequest> stream) {
        this.requests = stream;
    }

    @Override
    public void onNext(DeltaDiscoveryResponse response) {
        synchronized (this) {
            if (closed) {
                return;
            }
            String type = response.getTypeUrl();
            TypeState state = types.get(type);
            Read read = read(type, state, response.getResourcesCount(),
                    i -> response.getResources(i).getResource().getValue());
            if (!read.problem().isEmpty()) {
                if (state != null) {
                    DeltaDiscoveryRequest.Builder nack = request(type).setResponseNonce(response.getNonce())
                            .setErrorDetail(Status.newBuilder().setCode(3).setMessage(read.problem()));
                    send(nack);
                }
                events.onNack(this, type, read.problem());
                return;
            }
            Map<String, Held> held = holding(type);
            for (int i = 0; i < read.infos().size(); i++) {
                ResourceInfo info = read.infos().get(i);
                held.put(info.name(), new Held(info, versions.intern(response.getResources(i).getVersion())));
            }
            for (String name : response.getRemovedResourcesList()) {
                held.remove(name);
            }
            state.nonce = response.getNonce();
            state.answered = true;
            send(request(type).setResponseNonce(state.nonce));
            acked(type, holds(state, held, read.infos()), new AcceptedResponse(type, read.infos(), bodies(response),
                    response.getSerializedSize()), response);
        }
    }

    /**
     * What the policy follows references from: everything held of a wildcard type (CDS, LDS: a cluster that
     * went away must drop its endpoint set), the response's resources of a type subscribed by name (EDS, RDS
     * refer to nothing the policy follows), so an endpoint update does not walk 1,300 held endpoint sets.
     */
    private static List<ResourceInfo> holds(TypeState state, Map<String, Held> held, List<ResourceInfo> received) {
        if (!state.wanted.wildcard()) {
            return received;
        }
        List<ResourceInfo> out = new ArrayList<>(held.size());
        held.values().forEach(h -> out.add(h.info()));
        return out;
    }

    private static List<ByteString> bodies(DeltaDiscoveryResponse response) {
        return new AbstractList<>() {
            @Override
            public ByteString get(int i) {
                return response.getResources(i).getResource().getValue();
            }

            @Override
            public int size() {
                return response.getResourcesCount();
            }
        };
    }

    private Map<String, Held> holding(String type) {
        return holdings.computeIfAbsent(type, t -> new HashMap<>());
    }

    /**
     * The first request of a type on a stream subscribes (nothing by name for a wildcard) and lists what the
     * proxy still holds of it from an earlier stream; later ones name only what changed. Names dropped from
     * the subscription are dropped from what it holds, as Envoy forgets a resource it no longer watches. (A
     * type's subscription stays a wildcard or stays by name: the sidecar policy never switches one.)
     */
    @Override
    protected void sendSubscription(String type, TypeState state, Subscription previous) {
        Subscription wanted = state.wanted;
        Map<String, Held> held = holding(type);
        state.received = held.keySet();
        DeltaDiscoveryRequest.Builder request = request(type);
        if (previous == null) {
            if (!wanted.wildcard()) {
                held.keySet().retainAll(wanted.names());
                request.addAllResourceNamesSubscribe(wanted.names());
            }
            held.forEach((name, h) -> request.putInitialResourceVersions(name, h.version()));
            // a server that finds every version current answers nothing: what it holds is its answer
            state.answered = !held.isEmpty() && wanted.satisfiedBy(held.keySet());
        } else {
            for (String name : wanted.names()) {
                if (!previous.names().contains(name)) {
                    request.addResourceNamesSubscribe(name);
                }
            }
            for (String name : previous.names()) {
                if (!wanted.names().contains(name)) {
                    request.addResourceNamesUnsubscribe(name);
                    held.remove(name);
                }
            }
            if (request.getResourceNamesSubscribeCount() == 0 && request.getResourceNamesUnsubscribeCount() == 0) {
                return;
            }
        }
        send(request);
    }

    @Override
    public synchronized void dropHoldings() {
        holdings.clear();
        types.values().forEach(state -> state.received = java.util.Set.of());
    }

    private DeltaDiscoveryRequest.Builder request(String type) {
        return DeltaDiscoveryRequest.newBuilder().setTypeUrl(type);
    }

    private void send(DeltaDiscoveryRequest.Builder request) {
        if (!nodeSent) {
            request.setNode(node);
            nodeSent = true;
        }
        requests.onNext(request.build());
    }

    @Override
    public void onError(Throwable t) {
        failed(t);
    }

    @Override
    public void onCompleted() {
        failed(new IllegalStateException("istiod closed the stream"));
    }

    @Override
    protected void cancel(String reason) {
        requests.cancel(reason, null);
    }
}
