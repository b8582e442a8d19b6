package dev.mizzen.pilot.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ServerCallStreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A state-of-the-world ADS stream: each answer holds everything subscribed of a type, but for endpoint pushes,
 * which send only the endpoint sets that changed, as Istio does. A rejected response version is never sent
 * again. Requests that answer a superseded response are ignored.
 */
final class SotwStream extends AdsStream<SotwRequest, DiscoveryResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(SotwStream.class);

    SotwStream(long id, ServerCallStreamObserver<DiscoveryResponse> out, StreamContext context, StreamPeer peer) {
        super(id, out, context, peer);
    }

    @Override
    protected Optional<Node> node(SotwRequest request) {
        return request.rest().hasNode() ? Optional.of(request.rest().getNode()) : Optional.empty();
    }

    @Override
    protected XdsRequest decode(SotwRequest request) {
        DiscoveryRequest rest = request.rest();
        return new XdsRequest(rest.getTypeUrl(), rest.getResponseNonce(),
                rest.hasErrorDetail() ? Optional.of(rest.getErrorDetail().getMessage()) : Optional.empty(),
                new XdsRequest.AllNames(request.nameList(), request.fingerprint()), Map.of());
    }

    @Override
    protected int nameCount(SotwRequest request) {
        return request.nameCount();
    }

    @Override
    protected boolean ignoresStaleRequests() {
        return true;
    }

    @Override
    protected void rememberRejected(Subscription subscription) {
        subscription.reject(subscription.sentVersion);
    }

    @Override
    protected void answer(Subscription subscription, Subscription.Send send) {
        long start = System.nanoTime();
        List<XdsResource> resources = generate(subscription);
        if (resources == null) {
            return;
        }
        String version = ResourceList.versionOf(resources);
        if (send != Subscription.Send.ALWAYS && version.equals(subscription.sentVersion)) {
            return;
        }
        if (subscription.rejected(version)) {
            LOG.debug("{}: not re-sending {} version {}, which it rejected", proxy.id(),
                    TypeUrls.shortName(subscription.type), version);
            return;
        }
        long nonce = nextNonce();
        DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder()
                .setTypeUrl(subscription.type)
                .setVersionInfo(version)
                .setNonce(Long.toString(nonce));
        List<XdsResource> body = send == Subscription.Send.CHANGED_RESOURCES
                ? context.current().cache().changes(subscription.sent, resources, SotwStream::changed) : resources;
        (body.isEmpty() ? resources : body).forEach(r -> response.addResources(r.body()));
        subscription.sentVersion = version;
        subscription.sent = resources;
        send(subscription, nonce, response.build(), start);
    }

    @Override
    protected void answerDebug(String typeUrl, XdsDebug.Answer answer) {
        DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder().setTypeUrl(typeUrl).setNonce(Long.toString(nextNonce()));
        answer.resources().forEach(r -> response.addResources(r.body()));
        answer.controlPlane().ifPresent(response::setControlPlane);
        sendUntracked(response.build());
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
}
