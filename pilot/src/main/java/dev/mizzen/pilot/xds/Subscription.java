package dev.mizzen.pilot.xds;

import dev.mizzen.pilot.push.PushRequest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One resource type a stream subscribed to, in either ADS variant: the names asked for, what the last response
 * held and its version and nonce, what the proxy acknowledged, and the versions it rejected, which are never
 * sent to it again. Delta streams also track, per name, the version the proxy holds and the versions of the
 * response awaiting its ACK.
 *
 * <p>Not thread-safe: owned by its stream, used under the stream's lock.
 */
final class Subscription {
    /** How many rejected versions a subscription remembers not to send again. */
    private static final int REMEMBERED_REJECTIONS = 10_000;

    final String type;
    NameSet names = NameSet.EMPTY;
    /** SotW: the fingerprint of the names as the last request carried them ({@link XdsRequest.AllNames}) */
    Object namesFingerprint;
    boolean wildcard;
    /** everything the last response was made from (an endpoint push sends only what changed of it) */
    List<XdsResource> sent = List.of();
    String sentVersion;
    String sentNonce;
    String ackedVersion;
    /** the nonce of the last response the proxy acknowledged (what Istio's syncz reports) */
    String ackedNonce;
    /** when the last response of this type was sent; null before the first */
    java.time.Instant lastSent;
    /** the proxy's text of its last NACK, escaped and cut; null once it acknowledged a later response */
    String lastError;
    /** SotW: rejected response versions; delta: rejected {@code name@version} */
    final Set<String> rejected = new RecentSet<>(REMEMBERED_REJECTIONS);
    /** what a push held back while the stream was busy must send; null when none is */
    Send deferred;
    /** delta: name -> version the proxy holds (or said it holds) */
    final Map<String, String> held = new HashMap<>();
    /** delta: name -> version of the last response, until acknowledged; a newer response replaces it */
    Map<String, String> pending = Map.of();

    /**
     * What an answer holds. ALWAYS answers a request: everything subscribed. IF_CHANGED is a full push:
     * everything, when anything changed. CHANGED_RESOURCES is an endpoint push to an EDS subscription: only the
     * endpoint sets whose version changed, as Istio sends them (EDS is not state of the world even over that
     * variant: Envoy and grpc-java keep the sets a response does not name).
     */
    enum Send { ALWAYS, IF_CHANGED, CHANGED_RESOURCES }

    Subscription(String type, boolean wildcard) {
        this.type = type;
        this.wildcard = wildcard;
    }

    /**
     * True when a push concerns this subscription: every full push, endpoint pushes only EDS of changed hosts.
     * The shared name set knows its service hosts, so that costs a lookup per updated host.
     */
    boolean concerns(PushRequest request) {
        if (request.isFull()) {
            return true;
        }
        if (!type.equals(TypeUrls.ENDPOINT)) {
            return false;
        }
        if (wildcard) {
            return true;
        }
        Set<String> hosts = names.hosts();
        return request.hostsUpdated().stream().anyMatch(hosts::contains);
    }

    /** How a push sends this type: endpoint pushes only what changed, any other push all of it if anything changed. */
    Send sendFor(PushRequest request) {
        return request.isFull() || !type.equals(TypeUrls.ENDPOINT) ? Send.IF_CHANGED : Send.CHANGED_RESOURCES;
    }

    /** Holds a push back; held-back endpoint pushes add up to the difference from what was last sent. */
    void defer(Send send) {
        deferred = deferred == Send.IF_CHANGED ? Send.IF_CHANGED : send;
    }

    /** The names to generate for: all (empty set) for a wildcard subscription. */
    Set<String> generatedNames() {
        return wildcard ? Set.of() : names;
    }

    /** True when there is something to generate: a wildcard, or at least one name. */
    boolean wantsAnything() {
        return wildcard || !names.isEmpty();
    }

    /** First request of a type: a wildcard when it names {@code *}, or nothing for the types Envoy asks for whole. */
    static boolean startsAsWildcard(String type, List<String> names) {
        return names.contains("*") || (names.isEmpty() && (type.equals(TypeUrls.CLUSTER) || type.equals(TypeUrls.LISTENER)));
    }
}
