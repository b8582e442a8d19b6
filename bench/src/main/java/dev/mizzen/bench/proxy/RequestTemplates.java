package dev.mizzen.bench.proxy;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resource names of a subscription as a request that carries them, pre-encoded, shared by the proxies
 * of a fleet. A state-of-the-world client repeats every name it subscribes to in every request, ACKs
 * included: 1,300 endpoint set names per ACK for a sidecar that sees 1,000 services. Encoding them again
 * for every ACK of every proxy cost the load tool half the machine during endpoint churn, and the tool
 * shares the machine with istiod. A request built from a template writes the names as they are (the same
 * bytes on the wire).
 *
 * <p>Threading: a concurrent map; two threads may build the same template once each, either is kept. It
 * is cleared when it grows past {@link #MAX_ENTRIES}.
 */
public final class RequestTemplates {
    private static final int MAX_ENTRIES = 10_000;

    private final Map<Subscription, DiscoveryRequest> templates = new ConcurrentHashMap<>();

    /** A request builder that names what {@code wanted} subscribes to (nothing for a wildcard). */
    public DiscoveryRequest.Builder builder(Subscription wanted) {
        if (wanted.wildcard() || wanted.names().isEmpty()) {
            return DiscoveryRequest.newBuilder();
        }
        DiscoveryRequest template = templates.get(wanted);
        if (template == null) {
            DiscoveryRequest.Builder names = DiscoveryRequest.newBuilder();
            wanted.names().forEach(name -> names.addResourceNamesBytes(ByteString.copyFromUtf8(name)));
            template = names.build();
            if (templates.size() >= MAX_ENTRIES) {
                templates.clear();
            }
            templates.put(wanted, template);
        }
        return template.toBuilder();
    }
}
