package dev.mizzen.pilot.networking.grpcgen;

import dev.mizzen.pilot.model.ClusterName;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.networking.endpoint.EndpointBuilder;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsCache;
import dev.mizzen.pilot.xds.XdsGenerator;
import dev.mizzen.pilot.xds.XdsResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The generator for proxyless gRPC clients (node metadata {@code GENERATOR=grpc}). They subscribe by name
 * to every type, so each resource is generated and cached on its own, shared by proxies that see it alike; and
 * the whole response once per push for each set of names in one scope, so the clients of a workload share one
 * list (and its version) instead of each stream keeping a copy of its own for as long as it is connected.
 */
public final class GrpcGenerator implements XdsGenerator {
    private static final String ALL = "*";

    @Override
    public List<XdsResource> generate(Proxy proxy, PushSnapshot push, String typeUrl, Set<String> names) {
        // what the resources below depend on besides their names, all of them: clusters and endpoints the
        // proxy's namespace, listeners and routes its group
        Object responseScope = switch (typeUrl) {
            case TypeUrls.CLUSTER, TypeUrls.ENDPOINT -> proxy.namespace();
            default -> proxy.group();
        };
        return push.cache().getResponse(new XdsCache.Key(typeUrl, ALL, new XdsCache.Names(names, responseScope)), () -> {
            List<XdsResource> out = new ArrayList<>();
            XdsCache.Sharing sharing = XdsCache.Sharing.SHARED;
            for (String name : new TreeSet<>(names)) {
                Object scope = switch (typeUrl) {
                    case TypeUrls.CLUSTER -> proxy.namespace();
                    // endpoints depend on the namespace only through the DestinationRules that apply
                    case TypeUrls.ENDPOINT -> push.context().destinationRuleScope(XdsCache.hostOf(name), proxy.namespace());
                    default -> proxy.group();
                };
                Supplier<Optional<XdsResource>> make = () -> build(typeUrl, name, proxy, push);
                if (worthCaching(typeUrl, name, proxy, push)) {
                    push.cache().get(new XdsCache.Key(typeUrl, name, scope), make).ifPresent(out::add);
                } else {
                    make.get().ifPresent(out::add);
                    sharing = XdsCache.Sharing.THIS_REQUEST_ONLY;
                }
            }
            return new XdsCache.Response(out, sharing);
        });
    }

    /**
     * CDS and EDS answer any outbound cluster name, defined or not (grpc-java would otherwise wait out its
     * resource timeout); only the defined ones are cached, so names a client makes up cost no memory.
     */
    private static boolean worthCaching(String typeUrl, String name, Proxy proxy, PushSnapshot push) {
        return switch (typeUrl) {
            case TypeUrls.CLUSTER, TypeUrls.ENDPOINT -> ClusterName.parse(name)
                    .filter(c -> push.context().defines(c, proxy.namespace())).isPresent();
            default -> true;
        };
    }

    private static Optional<XdsResource> build(String typeUrl, String name, Proxy proxy, PushSnapshot push) {
        return switch (typeUrl) {
            case TypeUrls.LISTENER -> GrpcListeners.build(name, proxy, push.context());
            case TypeUrls.ROUTE -> GrpcRoutes.build(name, proxy, push.context());
            case TypeUrls.CLUSTER -> GrpcClusters.build(name, proxy, push.context());
            case TypeUrls.ENDPOINT -> ClusterName.parse(name)
                    .map(c -> XdsResource.of(name, EndpointBuilder.build(c, push.context(), proxy.namespace())));
            default -> Optional.empty();
        };
    }
}
