package dev.mizzen.pilot.xds;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request of either ADS variant as a stream handles it: the type, the nonce of the response it answers (empty
 * for none), the rejection detail of a NACK, and how it changes the subscribed names.
 *
 * @param initialVersions what a delta client already holds when it (re)connects; empty otherwise
 */
record XdsRequest(String typeUrl, String nonce, Optional<String> errorDetail, Names names,
                  Map<String, String> initialVersions) {

    /** How a request changes what is subscribed. */
    sealed interface Names {
        /** The names a first request of a type starts with (a wildcard, or nothing, for Envoy's CDS and LDS). */
        List<String> asked();

        /** Applies the change; true when the subscription changed. */
        boolean applyTo(Subscription subscription);
    }

    /**
     * State of the world: the request names everything. An ACK repeats every name (1,300 endpoint sets for a
     * sidecar that sees 1,000 services): names with the fingerprint of the last request's are the same names, not
     * even decoded; others are recognised against the shared set before anything is interned.
     *
     * @param fingerprint what identifies the names as they arrived ({@link SotwRequest#fingerprint}); null: none
     */
    record AllNames(List<String> asked, Object fingerprint) implements Names {
        @Override
        public boolean applyTo(Subscription subscription) {
            if (fingerprint != null && fingerprint.equals(subscription.namesFingerprint)) {
                return false;
            }
            subscription.namesFingerprint = fingerprint;
            if (subscription.names.sameAs(asked)) {
                return false;
            }
            NameSet names = NameSet.of(asked);
            boolean changed = !names.equals(subscription.names);
            subscription.names = names;
            return changed;
        }
    }

    /** Incremental: names to add and to remove; {@code *} turns the wildcard on or off. */
    record NameChanges(List<String> subscribe, List<String> unsubscribe) implements Names {
        @Override
        public List<String> asked() {
            return subscribe;
        }

        @Override
        public boolean applyTo(Subscription subscription) {
            boolean changed = false;
            java.util.Set<String> names = new java.util.LinkedHashSet<>(subscription.names);
            for (String name : subscribe) {
                if (name.equals("*")) {
                    changed |= !subscription.wildcard;
                    subscription.wildcard = true;
                } else {
                    changed |= names.add(name);
                }
            }
            for (String name : unsubscribe) {
                if (name.equals("*")) {
                    subscription.wildcard = false;
                } else if (names.remove(name)) {
                    subscription.release(name);
                }
            }
            if (names.size() != subscription.names.size() || changed) {
                subscription.names = NameSet.of(List.copyOf(names));
            }
            return changed;
        }
    }
}
