package dev.mizzen.api.config;

/**
 * Something the proxies' config is made from changed: what the config store and the service registry tell
 * the push pipeline, one kind of event for both. Carries only what changed, never the new state: whoever
 * hears it reads the state from the store or registry when it needs it.
 */
public sealed interface ChangeEvent {
    enum Type { ADDED, UPDATED, DELETED }

    Type type();

    /** An Istio config object. */
    record ConfigChanged(ConfigKey key, Type type) implements ChangeEvent {
    }

    /** A service's definition (ports, selector, addresses), or the service itself. */
    record ServiceChanged(String hostname, Type type) implements ChangeEvent {
    }

    /** The endpoints of a service. */
    record EndpointsChanged(String hostname, Type type) implements ChangeEvent {
    }

    /** A TLS credential a proxy may be sent (a Kubernetes Secret). */
    record CredentialChanged(String namespace, String name, Type type) implements ChangeEvent {
    }

    /**
     * The public keys istiod fetched for JWT validation changed (first fetch, rotation).
     *
     * @param issuer  the issuer the keys were fetched for
     * @param jwksUri where they were fetched from; empty when it was discovered from the issuer
     */
    record JwksChanged(String issuer, String jwksUri, Type type) implements ChangeEvent {
    }
}
