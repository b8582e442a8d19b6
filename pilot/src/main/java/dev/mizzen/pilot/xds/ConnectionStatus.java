package dev.mizzen.pilot.xds;

import dev.mizzen.pilot.model.Proxy;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one connected proxy was last sent and acknowledged, per type URL: what the debug views and
 * {@code istioctl proxy-status} show. A copy taken under the stream's lock; the name sets and resource lists it
 * holds are the stream's immutable ones, shared, so taking it costs a few small maps, not a copy of the config.
 *
 * @param connectionId Istio's connection id: the proxy id, a dash and the stream number
 * @param peerAddress  the address the stream came from ({@code ip:port}), empty when the transport did not say
 * @param types        type URL -> what was sent and acknowledged of it, in push order
 * @param nacks        how many responses the proxy rejected on this stream
 * @param subscribed   true when it asked for every resource its config refers to
 */
public record ConnectionStatus(String connectionId, Proxy proxy, Instant connectedAt, String peerAddress,
                               Map<String, TypeStatus> types, int nacks, boolean subscribed) {
    public ConnectionStatus {
        types = Collections.unmodifiableMap(new TreeMap<>(types));
    }

    /**
     * One subscribed type.
     *
     * @param sentNonce    nonce of the last response; empty before the first (Istio's {@code NonceSent})
     * @param ackedNonce   nonce of the last response the proxy acknowledged; empty before its first ACK
     * @param sentVersion  version of the last response
     * @param ackedVersion version the proxy last acknowledged
     * @param lastSent     when the last response was sent
     * @param lastError    the proxy's text of its last NACK (escaped and cut), until it acknowledges a later one
     * @param wildcard     true when it asked for all resources of the type
     * @param names        the names it asked for (empty with a wildcard); the stream's own immutable set
     * @param resources    what the last response was made from: the proxy's config of this type as istiod sent it
     */
    public record TypeStatus(String typeUrl, String sentNonce, String ackedNonce, String sentVersion, String ackedVersion,
                             Optional<Instant> lastSent, Optional<String> lastError, boolean wildcard, Set<String> names,
                             List<XdsResource> resources) {
        /** Istio's reading of a type's state ({@code debugSyncStatus}): an error, nothing sent, acknowledged, or not. */
        public SyncState state() {
            if (lastError.isPresent()) {
                return SyncState.ERROR;
            }
            if (sentNonce.isEmpty()) {
                return SyncState.NOT_SENT;
            }
            return sentNonce.equals(ackedNonce) ? SyncState.SYNCED : SyncState.STALE;
        }
    }

    /** Envoy's CSDS {@code ConfigStatus} values that Istio reports, in its words. */
    public enum SyncState {
        SYNCED("SYNCED"), NOT_SENT("NOT SENT"), STALE("STALE"), ERROR("ERROR");

        private final String label;

        SyncState(String label) {
            this.label = label;
        }

        /** As istioctl prints it. */
        public String label() {
            return label;
        }
    }

    public String proxyId() {
        return proxy.id();
    }

    /** Type URL -> version last sent. */
    public Map<String, String> sent() {
        Map<String, String> out = new TreeMap<>();
        types.forEach((type, s) -> {
            if (!s.sentVersion().isEmpty()) {
                out.put(type, s.sentVersion());
            }
        });
        return out;
    }

    /** Type URL -> version last acknowledged. */
    public Map<String, String> acked() {
        Map<String, String> out = new TreeMap<>();
        types.forEach((type, s) -> {
            if (!s.ackedVersion().isEmpty()) {
                out.put(type, s.ackedVersion());
            }
        });
        return out;
    }

    /** True when the proxy acknowledged everything it was sent and asked for everything it needs. */
    public boolean inSync() {
        Map<String, String> sent = sent();
        return !sent.isEmpty() && sent.equals(acked()) && subscribed;
    }

    /**
     * True for a client that connected only to ask istiod's debug types ({@code istioctl}: Istio's tools send
     * {@code GENERATOR=event}); the views of connected proxies leave it out, as Istio's syncz does.
     */
    public boolean isDebugClient() {
        return "event".equals(proxy.generator());
    }
}
