package dev.mizzen.pilot.push;

import dev.mizzen.api.config.ConfigKey;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Why proxies need new config. Requests merge: a full push absorbs an endpoint push, sets unite.
 *
 * @param scope          FULL rebuilds the push context and regenerates every type; ENDPOINTS only EDS
 * @param configsUpdated the Istio config objects that changed
 * @param hostsUpdated   service hostnames whose definition or endpoints changed
 * @param jwksUpdated    JWT key sets istiod fetched anew ({@code JwksSnapshot.key}: the URI, or the issuer whose
 *                       discovery document names it)
 * @param reasons        short words for logs and metrics ({@code config}, {@code service}, {@code endpoint})
 */
public record PushRequest(Scope scope, Set<ConfigKey> configsUpdated, Set<String> hostsUpdated, Set<String> jwksUpdated,
                          Set<String> reasons) {
    public enum Scope { ENDPOINTS, FULL }

    public PushRequest {
        configsUpdated = Set.copyOf(configsUpdated);
        hostsUpdated = Set.copyOf(hostsUpdated);
        jwksUpdated = Set.copyOf(jwksUpdated);
        reasons = Set.copyOf(reasons);
    }

    public static PushRequest config(ConfigKey key) {
        return new PushRequest(Scope.FULL, Set.of(key), Set.of(), Set.of(), Set.of("config"));
    }

    public static PushRequest service(String hostname) {
        return new PushRequest(Scope.FULL, Set.of(), Set.of(hostname), Set.of(), Set.of("service"));
    }

    public static PushRequest endpoints(String hostname) {
        return new PushRequest(Scope.ENDPOINTS, Set.of(), Set.of(hostname), Set.of(), Set.of("endpoint"));
    }

    /** New JWT keys: the listeners of the workloads whose RequestAuthentications use them inline the keys. */
    public static PushRequest jwks(String key) {
        return new PushRequest(Scope.FULL, Set.of(), Set.of(), Set.of(key), Set.of("jwks"));
    }

    public static PushRequest full(String reason) {
        return new PushRequest(Scope.FULL, Set.of(), Set.of(), Set.of(), Set.of(reason));
    }

    public boolean isFull() {
        return scope == Scope.FULL;
    }

    public PushRequest merge(PushRequest other) {
        return new Merger().add(this).add(other).merged();
    }

    @Override
    public String toString() {
        return scope + " " + new TreeSet<>(reasons) + " configs=" + configsUpdated.size() + " hosts=" + hostsUpdated.size()
                + (jwksUpdated.isEmpty() ? "" : " jwks=" + jwksUpdated.size());
    }

    /**
     * Merges many requests in time linear in their total size: a burst of ten thousand endpoint changes is
     * added one by one into these sets, not copied into a new request at each step.
     *
     * <p>Not thread-safe: its owner (the debouncer) adds under its own lock.
     */
    public static final class Merger {
        private Scope scope = Scope.ENDPOINTS;
        private final Set<ConfigKey> configs = new HashSet<>();
        private final Set<String> hosts = new HashSet<>();
        private final Set<String> jwks = new HashSet<>();
        private final Set<String> reasons = new HashSet<>();
        private int requests;

        public Merger add(PushRequest request) {
            if (request.isFull()) {
                scope = Scope.FULL;
            }
            configs.addAll(request.configsUpdated);
            hosts.addAll(request.hostsUpdated);
            jwks.addAll(request.jwksUpdated);
            reasons.addAll(request.reasons);
            requests++;
            return this;
        }

        public boolean isEmpty() {
            return requests == 0;
        }

        public PushRequest merged() {
            return new PushRequest(scope, configs, hosts, jwks, reasons);
        }
    }
}
