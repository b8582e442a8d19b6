package dev.mizzen.bench.proxy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one kind of client walks the xDS graph: what it asks for first, and what it asks for once it has
 * accepted the resources of a type. {@link GrpcClientPolicy} is grpc-java's xDS client;
 * {@link EnvoySidecarPolicy} an Envoy sidecar (wildcard CDS and LDS, then EDS and RDS by name).
 * Implementations are thread-safe: a policy may be shared by every proxy of a fleet.
 */
public interface SubscriptionPolicy {
    /** The first subscriptions, type URL -> subscription, in the order they are sent. */
    Map<String, Subscription> initial();

    /**
     * The subscriptions that follow from the accepted resources of one type (state of the world: all the
     * proxy holds of that type). Types not in the result keep their subscription.
     */
    Map<String, Subscription> next(String typeUrl, List<ResourceInfo> resources);

    /**
     * The set to keep for the names a proxy holds of a type (see {@link SimulatedProxy} for which names
     * those are). The default keeps the set it is given; a policy may hand out one shared equal copy.
     */
    default Set<String> held(String typeUrl, Set<String> names) {
        return names;
    }

    /** Every type a fully configured proxy has received. */
    List<String> types();

    /** Reads resources the way this kind of client does. */
    ResourceReader reader();
}
