package dev.mizzen.pilot.xds;

import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.ProxyType;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.SidecarScope;
import dev.mizzen.pilot.push.PushRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which proxies a full push can change, decided as Istio does for sidecars (a Sidecar resource limits what
 * a proxy depends on, and so which pushes reach it): a push caused only by VirtualServices, DestinationRules
 * and Services concerns an Envoy sidecar when its scope takes in one of the hosts they name, before or
 * after the change, or when the change is in its own namespace. Any other cause concerns every proxy, and
 * so does every push for gateways and proxyless clients. Endpoint pushes are narrowed per subscription
 * elsewhere. Pure and immutable.
 */
final class PushScope {
    static final PushScope EVERYONE = new PushScope(null, null);

    /** A host that changed, with the namespace of the config or service that names it. */
    private record ChangedHost(String namespace, String hostname) {
    }

    private final List<ChangedHost> hosts;
    private final PushContext after;

    private PushScope(List<ChangedHost> hosts, PushContext after) {
        this.hosts = hosts;
        this.after = after;
    }

    /**
     * @param before the push context proxies were configured from (null: unknown, so everyone)
     * @param after  the new one
     */
    static PushScope of(PushRequest request, PushContext before, PushContext after) {
        if (!request.isFull() || before == null
                || (request.configsUpdated().isEmpty() && request.hostsUpdated().isEmpty())) {
            return EVERYONE;
        }
        List<ChangedHost> changed = new ArrayList<>();
        for (ConfigKey key : request.configsUpdated()) {
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
        return new PushScope(List.copyOf(changed), after);
    }

    boolean concerns(Proxy proxy) {
        if (hosts == null || proxy.type() != ProxyType.SIDECAR || proxy.isProxylessGrpc()) {
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
