package dev.mizzen.pilot.security.authz;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the translation needs besides the policies: the trust domain and its aliases, who enforces the
 * filters, and the mesh's extension providers for CUSTOM. Whether the chain is HTTP or TCP is which builder
 * is called ({@link HttpRbacFilters} or {@link NetworkRbacFilters}).
 */
public record AuthzOptions(TrustDomainBundle trustDomains, ProxyKind proxyKind, List<ExtAuthzProvider> extensionProviders) {
    public AuthzOptions {
        Objects.requireNonNull(trustDomains, "trustDomains");
        Objects.requireNonNull(proxyKind, "proxyKind");
        extensionProviders = List.copyOf(extensionProviders);
    }

    public static AuthzOptions of(TrustDomainBundle trustDomains, ProxyKind proxyKind) {
        return new AuthzOptions(trustDomains, proxyKind, List.of());
    }

    public AuthzOptions withExtensionProviders(List<ExtAuthzProvider> providers) {
        return new AuthzOptions(trustDomains, proxyKind, providers);
    }

    public AuthzOptions withProxyKind(ProxyKind kind) {
        return new AuthzOptions(trustDomains, kind, extensionProviders);
    }

    Optional<ExtAuthzProvider> provider(String name) {
        return extensionProviders.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
