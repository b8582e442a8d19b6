package dev.mizzen.bench.proxy;

import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import dev.mizzen.pilot.xds.TypeUrls;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.util.AbstractList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A simulated proxy over state-of-the-world ADS: ACKs every acceptable response with its version and nonce,
 * NACKs what its reader rejects, and always sends its current subscription with either.
 */
public final class SotwProxy extends SimulatedProxy
        implements ClientResponseObserver<DiscoveryRequest, DiscoveryResponse> {
    private final RequestTemplates templates;
    private ClientCallStreamObserver<DiscoveryRequest> requests;

    public SotwProxy(int index, Node node, SubscriptionPolicy policy, ResourceIndex resources,
                     RequestTemplates templates, ProxyEvents events) {
        super(index, node, policy, resources, events);
        this.templates = templates;
    }

    @Override
    protected void openStream(AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub) {
        stub.streamAggregatedResources(this);
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
            Read read = read(type, state, response.getResourcesCount(), i -> response.getResources(i).getValue());
            if (!read.problem().isEmpty()) {
                if (state != null) {
                    send(type, state, response.getNonce(), read.problem());
                }
                events.onNack(this, type, read.problem());
                return;
            }
            state.version = response.getVersionInfo();
            state.nonce = response.getNonce();
            state.received = held(type, state, read.infos());
            state.answered = true;
            send(type, state, state.nonce, "");
            acked(type, read.infos(), new AcceptedResponse(type, read.infos(), bodies(response),
                    response.getSerializedSize()), response);
        }
    }

    private static List<ByteString> bodies(DiscoveryResponse response) {
        return new AbstractList<>() {
            @Override
            public ByteString get(int i) {
                return response.getResources(i).getValue();
            }

            @Override
            public int size() {
                return response.getResourcesCount();
            }
        };
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

    @Override
    protected void sendSubscription(String type, TypeState state, Subscription previous) {
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
