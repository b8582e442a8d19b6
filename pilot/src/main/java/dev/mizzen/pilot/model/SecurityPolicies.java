package dev.mizzen.pilot.model;

import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.security.AuthorizationPolicy;
import dev.mizzen.api.security.JwtRule;
import dev.mizzen.api.security.RequestAuthentication;
import dev.mizzen.pilot.security.authn.JwksSnapshot;
import dev.mizzen.pilot.security.authn.JwksSource;
import dev.mizzen.pilot.security.authn.RequestAuthenticationIndex;
import dev.mizzen.pilot.security.authz.AuthorizationPolicyIndex;
import dev.mizzen.pilot.security.authz.AuthzOptions;
import dev.mizzen.pilot.security.authz.ExtAuthzProvider;
import dev.mizzen.pilot.security.authz.ProxyKind;
import dev.mizzen.pilot.security.authz.TrustDomainBundle;
import dev.mizzen.pilot.security.authz.Workload;
import dev.mizzen.pilot.security.authz.WorkloadPolicies;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The security policies of one push, as generators and push scoping read them: which AuthorizationPolicies and
 * RequestAuthentications apply to a workload, the JWT keys they need (read once from istiod's cache), and what
 * the translation needs besides (the trust domain and its aliases, the mesh's extension providers with their
 * services resolved against the registry, as Istio's {@code LookupCluster} does). Immutable.
 */
public final class SecurityPolicies {
    private final AuthorizationPolicyIndex authorization;
    private final RequestAuthenticationIndex authentication;
    private final JwksSnapshot jwks;
    private final AuthzOptions options;
    private final List<String> providerProblems;

    private SecurityPolicies(AuthorizationPolicyIndex authorization, RequestAuthenticationIndex authentication,
                             JwksSnapshot jwks, AuthzOptions options, List<String> providerProblems) {
        this.authorization = authorization;
        this.authentication = authentication;
        this.jwks = jwks;
        this.options = options;
        this.providerProblems = providerProblems;
    }

    /**
     * @param services the push's services by host name
     * @param keys     istiod's JWKS cache, read here once
     */
    static SecurityPolicies of(ConfigIndexes config, MeshSettings mesh, Function<String, Optional<Service>> services,
                               JwksSource keys) {
        List<ExtAuthzProvider> resolved = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ExtAuthzProvider provider : mesh.extensionProviders()) {
            Optional<String> host = resolve(provider.service(), services);
            if (host.isPresent()) {
                resolved.add(provider.withService(host.get()));
            } else {
                problems.add("extension provider " + provider.name() + ": could not find service " + provider.service()
                        + " in the registry (write <namespace>/<host> or the host name of a known service); the "
                        + "requests of CUSTOM policies naming it are denied");
            }
        }
        AuthzOptions options = AuthzOptions.of(TrustDomainBundle.of(mesh.trustDomain(), mesh.trustDomainAliases()),
                ProxyKind.SIDECAR_INBOUND).withExtensionProviders(resolved);
        return new SecurityPolicies(config.authorizationPolicies(), config.requestAuthentications(),
                JwksSnapshot.of(config.requestAuthentications().all(), keys), options, List.copyOf(problems));
    }

    /** Istio's {@code [<namespace>/]<host>}: the host must be a known service (of that namespace, when given). */
    private static Optional<String> resolve(String service, Function<String, Optional<Service>> services) {
        int slash = service.indexOf('/');
        if (slash < 0) {
            return services.apply(service).map(Service::hostname);
        }
        String namespace = service.substring(0, slash);
        return services.apply(service.substring(slash + 1)).filter(s -> s.namespace().equals(namespace))
                .map(Service::hostname);
    }

    /** True for the kinds whose effect on a proxy depends only on the workloads they select. */
    public static boolean isWorkloadScoped(ConfigKind<?> kind) {
        return kind == ConfigKind.AUTHORIZATION_POLICY || kind == ConfigKind.REQUEST_AUTHENTICATION;
    }

    /** What policy selection knows of a proxy: its namespace and labels. */
    public static Workload workload(Proxy proxy) {
        return Workload.of(proxy.namespace(), proxy.labels());
    }

    public WorkloadPolicies authorizationPolicies(Workload workload) {
        return authorization.forWorkload(workload);
    }

    public List<Config<RequestAuthentication>> requestAuthentications(Workload workload) {
        return authentication.forWorkload(workload);
    }

    /** The keys of every issuer the RequestAuthentications of this push name, as they were when it was built. */
    public JwksSource jwks() {
        return jwks;
    }

    /** The translation options for filters that {@code kind} enforces. */
    public AuthzOptions options(ProxyKind kind) {
        return options.withProxyKind(kind);
    }

    /** Every AuthorizationPolicy of this push. */
    public List<Config<AuthorizationPolicy>> authorizationPolicies() {
        return authorization.all();
    }

    /** Extension providers whose service is not in the registry (CUSTOM policies naming them fail closed). */
    public List<String> providerProblems() {
        return providerProblems;
    }

    /** True when the AuthorizationPolicy or RequestAuthentication with this key exists here and applies to the workload. */
    public boolean applies(ConfigKey key, Workload workload) {
        if (key.kind() == ConfigKind.AUTHORIZATION_POLICY) {
            return authorization.appliesTo(key, workload);
        }
        return key.kind() == ConfigKind.REQUEST_AUTHENTICATION && authentication.appliesTo(key, workload);
    }

    /** True when a RequestAuthentication of the workload validates tokens with one of these key sets ({@link JwksSnapshot#key}). */
    public boolean usesJwks(Workload workload, Set<String> keys) {
        for (Config<RequestAuthentication> policy : authentication.forWorkload(workload)) {
            for (JwtRule rule : policy.spec().jwtRules()) {
                String key = JwksSnapshot.keyOf(rule);
                if (key != null && keys.contains(key)) {
                    return true;
                }
            }
        }
        return false;
    }
}
