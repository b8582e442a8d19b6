package dev.mizzen.pilot.networking.envoy;

import dev.mizzen.pilot.model.ClusterName;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.ProxyType;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.SecretAccess;
import dev.mizzen.pilot.model.SidecarScope;
import dev.mizzen.pilot.networking.endpoint.EndpointBuilder;
import dev.mizzen.pilot.networking.envoy.cluster.EnvoyClusters;
import dev.mizzen.pilot.networking.envoy.cluster.OutboundClusters;
import dev.mizzen.pilot.networking.envoy.gateway.GatewayListeners;
import dev.mizzen.pilot.networking.envoy.gateway.GatewayRoutes;
import dev.mizzen.pilot.networking.envoy.listener.SidecarInboundListener;
import dev.mizzen.pilot.networking.envoy.listener.SidecarOutboundListeners;
import dev.mizzen.pilot.networking.envoy.route.SidecarRoutes;
import dev.mizzen.pilot.networking.envoy.secret.CredentialSecrets;
import dev.mizzen.pilot.networking.telemetry.ListenerClass;
import dev.mizzen.pilot.networking.telemetry.ProxyTelemetry;
import dev.mizzen.pilot.networking.telemetry.TelemetryListeners;
import dev.mizzen.pilot.networking.wasm.WasmListeners;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsCache;
import dev.mizzen.pilot.xds.XdsGenerator;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.listener.v3.Listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The generator for Envoy, sidecars and gateways alike. CDS and LDS are built whole (Envoy subscribes to
 * them as wildcards) and cached per proxy group, CDS from outbound clusters cached per service port and
 * proxy namespace; RDS, EDS and SDS per name, and their responses per set of names for one push.
 */
public final class EnvoyGenerator implements XdsGenerator {
    private static final String ALL = "*";

    private final EnvoyFilterPatches envoyFilters;

    public EnvoyGenerator() {
        this.envoyFilters = new EnvoyFilterPatches();
    }

    /** @param meters where EnvoyFilter patches that made a resource invalid are counted */
    public EnvoyGenerator(io.micrometer.core.instrument.MeterRegistry meters) {
        this.envoyFilters = new EnvoyFilterPatches(meters);
    }

    /**
     * What the proxy gets: the cached resources, then its EnvoyFilters' patches. Null (send nothing) when a patch
     * made a resource invalid.
     */
    @Override
    public List<XdsResource> generate(Proxy proxy, PushSnapshot push, String typeUrl, Set<String> names) {
        return envoyFilters.apply(proxy, push, typeUrl, names, generated(proxy, push, typeUrl, names));
    }

    private List<XdsResource> generated(Proxy proxy, PushSnapshot push, String typeUrl, Set<String> names) {
        return switch (typeUrl) {
            case TypeUrls.CLUSTER -> filter(push.cache().getAll(new XdsCache.Key(typeUrl, ALL, proxy.group()),
                    () -> clusters(proxy, push)), names);
            case TypeUrls.LISTENER -> filter(push.cache().getAll(new XdsCache.Key(typeUrl, ALL, proxy.group()),
                    () -> listeners(proxy, push.context()).stream().map(l -> XdsResource.of(l.getName(), l)).toList()),
                    names);
            default -> byName(proxy, push, typeUrl, names);
        };
    }

    /**
     * CDS of one proxy group, each service port's outbound clusters cached per set of DestinationRules that apply:
     * groups of all namespaces that see the same rules share them instead of building and packing them each.
     */
    private static List<XdsResource> clusters(Proxy proxy, PushSnapshot push) {
        return EnvoyClusters.resources(proxy, push.context(), (service, port) -> push.cache().getAll(
                new XdsCache.Key(TypeUrls.CLUSTER, service.hostname() + ":" + port.port(),
                        push.context().destinationRuleScope(service.hostname(), proxy.namespace())),
                () -> OutboundClusters.build(service, port, proxy, push.context()).stream()
                        .map(c -> XdsResource.of(c.getName(), c)).toList()));
    }

    /** The proxy's listeners with Istio's telemetry (metadata exchange, stats, access logs, tracing) in them. */
    private static List<Listener> listeners(Proxy proxy, PushContext push) {
        ProxyTelemetry telemetry = push.telemetry(proxy);
        List<Listener> out;
        java.util.function.Function<Listener, ListenerClass> classOf;
        if (proxy.type() == ProxyType.ROUTER) {
            out = GatewayListeners.build(proxy, push);
            classOf = l -> ListenerClass.GATEWAY;
        } else {
            out = new ArrayList<>(SidecarOutboundListeners.build(proxy, push));
            out.add(SidecarInboundListener.build(proxy, push));
            classOf = l -> l.getName().equals(EnvoyNames.VIRTUAL_INBOUND) ? ListenerClass.SIDECAR_INBOUND
                    : ListenerClass.SIDECAR_OUTBOUND;
        }
        return WasmListeners.apply(TelemetryListeners.apply(out, telemetry, classOf), push.wasmPlugins(proxy), classOf);
    }

    /**
     * RDS, EDS and SDS by name, each resource cached on its own and the whole response once per push for
     * each set of names in one scope (sidecars of a namespace subscribe to the same endpoint sets).
     */
    private List<XdsResource> byName(Proxy proxy, PushSnapshot push, String typeUrl, Set<String> names) {
        Object scope = switch (typeUrl) {
            case TypeUrls.ROUTE -> routeScope(proxy, push.context());
            // what a proxy may receive decides what SDS answers: never share it with proxies that may have less
            case TypeUrls.SECRET -> new SecretScope(proxy.namespace(), proxy.identity().secrets());
            // which WasmPlugins and EnvoyFilters select the proxy: its group
            case TypeUrls.EXTENSION_CONFIG -> proxy.group();
            default -> proxy.namespace();
        };
        XdsCache.Key key = new XdsCache.Key(typeUrl, ALL, new XdsCache.Names(names, scope));
        Supplier<XdsCache.Response> generate = () -> {
            List<XdsResource> out = new ArrayList<>();
            XdsCache.Sharing sharing = XdsCache.Sharing.SHARED;
            for (String name : new TreeSet<>(names)) {
                Supplier<Optional<XdsResource>> make = () -> build(typeUrl, name, proxy, push.context());
                if (worthCaching(typeUrl, name, proxy, push.context())) {
                    cached(typeUrl, name, scope, proxy, push, make).ifPresent(out::add);
                } else {
                    make.get().ifPresent(out::add);
                    sharing = XdsCache.Sharing.THIS_REQUEST_ONLY;
                }
            }
            return new XdsCache.Response(out, sharing);
        };
        if (!typeUrl.equals(TypeUrls.ENDPOINT)) {
            return push.cache().getResponse(key, generate);
        }
        // after an endpoint push only the endpoint sets of the hosts that changed are made again
        return push.cache().getResponse(key, generate, name -> worthCaching(typeUrl, name, proxy, push.context())
                ? cached(typeUrl, name, scope, proxy, push, () -> build(typeUrl, name, proxy, push.context()))
                : Optional.empty());
    }

    private static Optional<XdsResource> cached(String typeUrl, String name, Object scope, Proxy proxy, PushSnapshot push,
                                                Supplier<Optional<XdsResource>> make) {
        return push.cache().get(new XdsCache.Key(typeUrl, name, resourceScope(typeUrl, name, scope, proxy, push.context())),
                make);
    }

    /**
     * What a route config depends on besides its name. A sidecar's: its namespace, the Sidecar resource
     * that applies, and its labels only as far as VirtualServices match source labels; so all the sidecars
     * of a namespace usually share one, instead of each workload building its own (a 600 KB route config
     * at 1,000 services). A gateway's: its group (which Gateways select it).
     */
    private static Object routeScope(Proxy proxy, PushContext push) {
        if (proxy.type() != ProxyType.SIDECAR) {
            return proxy.group();
        }
        Set<String> keys = push.virtualServices().sourceLabelKeys();
        Map<String, String> labels = keys.isEmpty() ? Map.of() : proxy.labels().entrySet().stream()
                .filter(label -> keys.contains(label.getKey()))
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
        return new SidecarRouteScope(proxy.namespace(), push.sidecarScope(proxy), labels);
    }

    private record SecretScope(String namespace, SecretAccess access) {
    }

    private record SidecarRouteScope(String namespace, SidecarScope sidecar, Map<String, String> sourceLabels) {
    }

    /** What one resource depends on: an endpoint set only on the DestinationRules that apply, else the response's scope. */
    private static Object resourceScope(String typeUrl, String name, Object responseScope, Proxy proxy, PushContext push) {
        return typeUrl.equals(TypeUrls.ENDPOINT)
                ? push.destinationRuleScope(XdsCache.hostOf(name), proxy.namespace()) : responseScope;
    }

    /** EDS answers any cluster name (an empty set for one the mesh does not define); only defined ones are cached. */
    private static boolean worthCaching(String typeUrl, String name, Proxy proxy, PushContext push) {
        if (typeUrl.equals(TypeUrls.EXTENSION_CONFIG)) {
            return false; // cheap to build, and the names are whatever the client asks
        }
        return !typeUrl.equals(TypeUrls.ENDPOINT)
                || ClusterName.parse(name).filter(c -> push.defines(c, proxy.namespace())).isPresent();
    }

    private static Optional<XdsResource> build(String typeUrl, String name, Proxy proxy, PushContext push) {
        return switch (typeUrl) {
            case TypeUrls.ROUTE -> (proxy.type() == ProxyType.ROUTER ? GatewayRoutes.build(name, proxy, push)
                    : SidecarRoutes.build(name, proxy, push)).map(r -> XdsResource.of(name, r));
            case TypeUrls.ENDPOINT -> ClusterName.parse(name).map(c -> XdsResource.of(name,
                    EndpointBuilder.build(c, push, proxy.namespace(), EndpointBuilder.Metadata.TLS_MODE)));
            case TypeUrls.SECRET -> CredentialSecrets.build(name, proxy, push).map(s -> XdsResource.of(name, s));
            case TypeUrls.EXTENSION_CONFIG -> ExtensionConfigs.build(name, proxy, push).map(e -> XdsResource.of(name, e));
            default -> Optional.empty();
        };
    }

    private static List<XdsResource> filter(List<XdsResource> all, Set<String> names) {
        if (names.isEmpty() || names.contains(ALL)) {
            return all;
        }
        return all.stream().filter(r -> names.contains(r.name())).toList();
    }
}
