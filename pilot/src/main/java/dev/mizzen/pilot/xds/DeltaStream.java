package dev.mizzen.pilot.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.ServerCallStreamObserver;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An incremental (delta) ADS stream: an answer sends only the resources whose version the proxy does not hold
 * and names those that went away. A rejected resource version is never sent again.
 */
final class DeltaStream extends AdsStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {

    DeltaStream(long id, ServerCallStreamObserver<DeltaDiscoveryResponse> out, StreamContext context, StreamPeer peer) {
        super(id, out, context, peer);
    }

    @Override
    protected Optional<Node> node(DeltaDiscoveryRequest request) {
        return request.hasNode() ? Optional.of(request.getNode()) : Optional.empty();
    }

    @Override
    protected XdsRequest decode(DeltaDiscoveryRequest request) {
        return new XdsRequest(request.getTypeUrl(), request.getResponseNonce(),
                request.hasErrorDetail() ? Optional.of(request.getErrorDetail().getMessage()) : Optional.empty(),
                new XdsRequest.NameChanges(request.getResourceNamesSubscribeList(), request.getResourceNamesUnsubscribeList()),
                request.getInitialResourceVersionsMap());
    }

    @Override
    protected int nameCount(DeltaDiscoveryRequest request) {
        return request.getResourceNamesSubscribeCount() + request.getResourceNamesUnsubscribeCount()
                + request.getInitialResourceVersionsCount();
    }

    @Override
    protected boolean ignoresStaleRequests() {
        return false;
    }

    @Override
    protected void rememberRejected(Subscription subscription) {
        subscription.pending.forEach((name, version) -> subscription.reject(name + "@" + version));
    }

    /** Sends what the proxy lacks or holds in an old version, and the names it holds that are gone. */
    @Override
    protected void answer(Subscription subscription, Subscription.Send send) {
        long start = System.nanoTime();
        List<XdsResource> resources = generate(subscription);
        if (resources == null) {
            return;
        }
        subscription.sent = resources;
        Map<String, String> pending = new TreeMap<>();
        DeltaDiscoveryResponse.Builder response = DeltaDiscoveryResponse.newBuilder().setTypeUrl(subscription.type);
        int heldAndPresent = 0;
        for (XdsResource r : resources) {
            String held = subscription.heldVersion(r.name());
            if (held != null) {
                heldAndPresent++;
            }
            if (r.version().equals(held) || subscription.rejected(r.name() + "@" + r.version())) {
                continue;
            }
            pending.put(r.name(), r.version());
            response.addResources(Resource.newBuilder().setName(r.name()).setVersion(r.version()).setResource(r.body()));
        }
        // on most pushes the proxy holds nothing that went away: only then are the generated names collected
        if (heldAndPresent < subscription.heldCount()) {
            Set<String> present = new HashSet<>(resources.size() * 4 / 3 + 1);
            resources.forEach(r -> present.add(r.name()));
            for (String name : subscription.heldNames()) {
                if (!present.contains(name)) {
                    response.addRemovedResources(name);
                    subscription.release(name);
                }
            }
        }
        if (response.getResourcesCount() == 0 && response.getRemovedResourcesCount() == 0) {
            return;
        }
        long nonce = nextNonce();
        subscription.sentVersion = ResourceList.versionOf(resources);
        subscription.pending = pending;
        send(subscription, nonce, response.setSystemVersionInfo(subscription.sentVersion).setNonce(Long.toString(nonce))
                .build(), start);
    }

    @Override
    protected void answerDebug(String typeUrl, XdsDebug.Answer answer) {
        DeltaDiscoveryResponse.Builder response = DeltaDiscoveryResponse.newBuilder().setTypeUrl(typeUrl).setNonce(Long.toString(nextNonce()));
        answer.resources().forEach(r -> response.addResources(Resource.newBuilder().setName(r.name()).setResource(r.body())));
        sendUntracked(response.build());
    }
}
