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
    /** the nonce of the last response; 0 before the first (nonces of a stream count from 1) */
    long sentNonce;
    String ackedVersion;
    /** the nonce of the last response the proxy acknowledged (what Istio's syncz reports); 0 before the first */
    long ackedNonce;
    /** when the last response of this type was sent, in epoch milliseconds; 0 before the first */
    long lastSentMillis;
    /** the proxy's text of its last NACK, escaped and cut; null once it acknowledged a later response */
    String lastError;
    /** what a push held back while the stream was busy must send; null when none is */
    Send deferred;
    /** delta: name -> version of the last response, until acknowledged; a newer response replaces it */
    Map<String, String> pending = Map.of();
    /**
     * SotW: rejected response versions; delta: rejected {@code name@version}. Null until the first NACK, as the
     * map below until a delta client holds something: most subscriptions never need either, and a thousand
     * streams of four subscriptions each would carry 8,000 empty collections.
     */
    private Set<String> rejected;
    /** delta: name -> version the proxy holds (or said it holds); null while it holds nothing */
    private Map<String, String> held;

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

    /** True when the proxy rejected {@code key} (a version, or delta's {@code name@version}) not long ago. */
    boolean rejected(String key) {
        return rejected != null && rejected.contains(key);
    }

    /** Remembers a rejected version (or delta's {@code name@version}), the most recent ones only. */
    void reject(String key) {
        if (rejected == null) {
            rejected = new RecentSet<>(REMEMBERED_REJECTIONS);
        }
        rejected.add(key);
    }

    /** Delta: the version of {@code name} the proxy holds, or null. */
    String heldVersion(String name) {
        return held == null ? null : held.get(name);
    }

    /** Delta: how many names the proxy holds. */
    int heldCount() {
        return held == null ? 0 : held.size();
    }

    /** Delta: the names the proxy holds, a copy (the caller may release some while it walks them). */
    List<String> heldNames() {
        return held == null ? List.of() : List.copyOf(held.keySet());
    }

    /** Delta: the proxy now holds these versions (what it said on connecting, or what it acknowledged). */
    void hold(Map<String, String> versions) {
        if (versions.isEmpty()) {
            return;
        }
        if (held == null) {
            held = new HashMap<>(Math.max(16, versions.size() * 4 / 3 + 1));
        }
        held.putAll(versions);
    }

    /** Delta: the proxy no longer holds {@code name} (unsubscribed, or the resource is gone). */
    void release(String name) {
        if (held != null) {
            held.remove(name);
        }
    }

    /** First request of a type: a wildcard when it names {@code *}, or nothing for the types Envoy asks for whole. */
    static boolean startsAsWildcard(String type, List<String> names) {
        return names.contains("*") || (names.isEmpty() && (type.equals(TypeUrls.CLUSTER) || type.equals(TypeUrls.LISTENER)));
    }
}
