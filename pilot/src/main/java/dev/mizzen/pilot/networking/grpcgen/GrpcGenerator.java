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
 * to every type, so each resource is generated and cached on its own, shared by proxies that see it alike.
 */
public final class GrpcGenerator implements XdsGenerator {
    @Override
    public List<XdsResource> generate(Proxy proxy, PushSnapshot push, String typeUrl, Set<String> names) {
        List<XdsResource> out = new ArrayList<>();
        for (String name : new TreeSet<>(names)) {
            Object scope = switch (typeUrl) {
                case TypeUrls.CLUSTER -> proxy.namespace();
                // endpoints depend on the namespace only through the DestinationRules that apply
                case TypeUrls.ENDPOINT -> push.context().destinationRuleScope(XdsCache.hostOf(name), proxy.namespace());
                default -> proxy.group();
            };
            Supplier<Optional<XdsResource>> make = () -> build(typeUrl, name, proxy, push);
            (worthCaching(typeUrl, name, proxy, push) ? push.cache().get(new XdsCache.Key(typeUrl, name, scope), make)
                    : make.get()).ifPresent(out::add);
        }
        return out;
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
