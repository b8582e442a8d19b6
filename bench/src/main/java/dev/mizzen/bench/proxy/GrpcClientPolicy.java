package dev.mizzen.bench.proxy;

import dev.mizzen.pilot.xds.TypeUrls;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * grpc-java's xDS client: LDS by name for the {@code xds:///} targets it calls, then RDS for the route
 * configs those listeners name, CDS for the clusters the routes name, EDS for the clusters' endpoint sets.
 */
public final class GrpcClientPolicy implements SubscriptionPolicy {
    private static final Map<String, String> NEXT_TYPE = Map.of(
            TypeUrls.LISTENER, TypeUrls.ROUTE,
            TypeUrls.ROUTE, TypeUrls.CLUSTER,
            TypeUrls.CLUSTER, TypeUrls.ENDPOINT);
    static final ResourceReader READER = new GrpcResourceReader();

    private final Set<String> targets;

    /** @param targets the listener names, as the client's {@code xds:///} authorities */
    public GrpcClientPolicy(Set<String> targets) {
        this.targets = Set.copyOf(targets);
    }

    @Override
    public Map<String, Subscription> initial() {
        return Map.of(TypeUrls.LISTENER, Subscription.of(targets));
    }

    @Override
    public Map<String, Subscription> next(String typeUrl, List<ResourceInfo> resources) {
        String nextType = NEXT_TYPE.get(typeUrl);
        if (nextType == null) {
            return Map.of();
        }
        Set<String> names = new TreeSet<>();
        for (ResourceInfo resource : resources) {
            names.addAll(resource.references().getOrDefault(nextType, Set.of()));
        }
        Map<String, Subscription> out = new LinkedHashMap<>();
        out.put(nextType, Subscription.of(names));
        return out;
    }

    @Override
    public List<String> types() {
        return List.of(TypeUrls.LISTENER, TypeUrls.ROUTE, TypeUrls.CLUSTER, TypeUrls.ENDPOINT);
    }

    @Override
    public ResourceReader reader() {
        return READER;
    }
}
