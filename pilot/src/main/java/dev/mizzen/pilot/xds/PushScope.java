package dev.mizzen.pilot.xds;

import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.ProxyType;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.SecurityPolicies;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.SidecarScope;
import dev.mizzen.pilot.push.PushRequest;
import dev.mizzen.pilot.security.authz.Workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which proxies a full push can change, and which of their types, decided as Istio narrows pushes:
 * <ul>
 * <li>VirtualServices, DestinationRules and Services (a Sidecar resource limits what a proxy depends on): an
 * Envoy sidecar is concerned when its scope takes in one of the hosts they name, before or after the change, or
 * when the change is in its own namespace. Gateways and proxyless clients are not narrowed by them.</li>
 * <li>AuthorizationPolicies and RequestAuthentications: a proxy of any kind is concerned when the policy selects
 * its workload, before or after the change (its namespace or the root namespace, its labels or, for a Gateway API
 * gateway, a targetRef).</li>
 * <li>New JWT keys: a proxy is concerned when a RequestAuthentication that selects it validates tokens with
 * them.</li>
 * </ul>
 * A push caused only by the last two changes only listeners, where the security filters are (Istio skips CDS and
 * RDS for these kinds): the other types are not even generated. Any other cause concerns every proxy and type.
 * Endpoint pushes are narrowed per subscription elsewhere. Pure and immutable.
 */
final class PushScope {
    static final PushScope EVERYONE = new PushScope(true, false, List.of(), List.of(), Set.of(), null, null);

    /** A host that changed, with the namespace of the config or service that names it. */
    private record ChangedHost(String namespace, String hostname) {
    }

    private final boolean everyone;
    /** VirtualServices, DestinationRules or Services changed (they may name no host at all) */
    private final boolean hostScoped;
    private final List<ChangedHost> hosts;
    private final List<ConfigKey> policies;
    private final Set<String> jwks;
    private final PushContext before;
    private final PushContext after;

    private PushScope(boolean everyone, boolean hostScoped, List<ChangedHost> hosts, List<ConfigKey> policies,
                      Set<String> jwks, PushContext before, PushContext after) {
        this.everyone = everyone;
        this.hostScoped = hostScoped;
        this.hosts = hosts;
        this.policies = policies;
        this.jwks = jwks;
        this.before = before;
        this.after = after;
    }

    /**
     * @param before the push context proxies were configured from (null: unknown, so everyone)
     * @param after  the new one
     */
    static PushScope of(PushRequest request, PushContext before, PushContext after) {
        if (!request.isFull() || before == null || (request.configsUpdated().isEmpty()
                && request.hostsUpdated().isEmpty() && request.jwksUpdated().isEmpty())) {
            return EVERYONE;
        }
        List<ChangedHost> changed = new ArrayList<>();
        List<ConfigKey> policies = new ArrayList<>();
        for (ConfigKey key : request.configsUpdated()) {
            if (SecurityPolicies.isWorkloadScoped(key.kind())) {
                policies.add(key);
                continue;
            }
            if (!PushContext.isHostScoped(key.kind())) {
                return EVERYONE;
            }
            for (PushContext context : List.of(before, after)) {
                context.hostsOf(key).forEach(h -> changed.add(new ChangedHost(key.namespace(), h)));
            }
        }
        for (String hostname : request.hostsUpdated()) {
            Optional<String> namespace = before.service(hostname).or(() -> after.service(hostname)).map(Service::namespace);
            if (namespace.isEmpty()) {
                return EVERYONE;
            }
            changed.add(new ChangedHost(namespace.get(), hostname));
        }
        boolean hostScoped = request.configsUpdated().size() > policies.size() || !request.hostsUpdated().isEmpty();
        return new PushScope(false, hostScoped, List.copyOf(changed), List.copyOf(policies), request.jwksUpdated(),
                before, after);
    }

    boolean concerns(Proxy proxy) {
        if (everyone) {
            return true;
        }
        if (hostScoped && concernsHosts(proxy)) {
            return true;
        }
        Workload workload = SecurityPolicies.workload(proxy);
        for (ConfigKey policy : policies) {
            if (before.security().applies(policy, workload) || after.security().applies(policy, workload)) {
                return true;
            }
        }
        return !jwks.isEmpty() && after.security().usesJwks(workload, jwks);
    }

    /** Whether a concerned proxy's subscription of this type is pushed: only listeners when only policies changed. */
    boolean concernsType(String typeUrl) {
        return everyone || hostScoped || typeUrl.equals(TypeUrls.LISTENER);
    }

    private boolean concernsHosts(Proxy proxy) {
        if (proxy.type() != ProxyType.SIDECAR || proxy.isProxylessGrpc()) {
            return true;
        }
        SidecarScope scope = after.sidecarScope(proxy);
        for (ChangedHost changed : hosts) {
            if (changed.namespace().equals(proxy.namespace())
                    || scope.includesHost(changed.namespace(), changed.hostname(), proxy.namespace())) {
                return true;
            }
        }
        return false;
    }
}
