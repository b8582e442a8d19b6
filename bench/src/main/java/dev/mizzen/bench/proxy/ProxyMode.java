package dev.mizzen.bench.proxy;

import dev.mizzen.bench.mesh.MeshShape;
import dev.mizzen.pilot.xds.TypeUrls;
import io.envoyproxy.envoy.config.core.v3.Node;

import java.util.BitSet;
import java.util.Set;
import java.util.function.Function;

/** The kinds of client the load tool simulates. */
public enum ProxyMode {
    /**
     * grpc-java's xDS client, node metadata {@code GENERATOR=grpc}: replicas of client workloads that ask
     * for the listeners of the services they call.
     */
    GRPC {
        @Override
        public Function<Set<String>, SubscriptionPolicy> policies() {
            return GrpcClientPolicy::new;
        }

        @Override
        public ResourceReader reader() {
            return GrpcClientPolicy.READER;
        }

        @Override
        public Node node(MeshShape shape, int proxy) {
            return ProxyIdentity.client(shape, proxy, "grpc");
        }

        @Override
        public Set<String> routeNames(MeshShape shape, int service) {
            return Set.of(shape.routeName(service));
        }

        @Override
        public BitSet routing(ProxyFleet fleet, MeshShape shape, int service) {
            return fleet.subscribers(TypeUrls.ROUTE, routeNames(shape, service));
        }
    },

    /**
     * Envoy sidecars as Istio's agent starts them (no GENERATOR): replicas of the v1 pods of the mesh's
     * services, subscribing to CDS and LDS as wildcards and to EDS and RDS by the names those refer to.
     */
    SIDECAR {
        @Override
        public Function<Set<String>, SubscriptionPolicy> policies() {
            SubscriptionPolicy shared = new EnvoySidecarPolicy();
            return listenerNames -> shared;
        }

        @Override
        public ResourceReader reader() {
            return EnvoySidecarPolicy.READER;
        }

        @Override
        public Node node(MeshShape shape, int proxy) {
            return ProxyIdentity.sidecar(shape, proxy);
        }

        @Override
        public Set<String> routeNames(MeshShape shape, int service) {
            return Set.of(Integer.toString(MeshShape.PORT));
        }

        /** Every sidecar subscribes to the port's route config; those that see the service hold its cluster. */
        @Override
        public BitSet routing(ProxyFleet fleet, MeshShape shape, int service) {
            BitSet out = fleet.subscribers(TypeUrls.ROUTE, routeNames(shape, service));
            out.and(fleet.holders(TypeUrls.CLUSTER, Set.of(shape.clusterName(service, ""))));
            return out;
        }
    };

    /**
     * Makes the subscription policy of each proxy of one fleet from the listeners it would ask for by name
     * (when its kind does); call once per fleet, so that policies may share state within it.
     */
    public abstract Function<Set<String>, SubscriptionPolicy> policies();

    /** Reads resources as this kind of client does. */
    public abstract ResourceReader reader();

    /** The xDS node proxy {@code proxy} of a mesh presents. */
    public abstract Node node(MeshShape shape, int proxy);

    /** The route configs (RDS names) that carry the routes of a service for this kind of client. */
    public abstract Set<String> routeNames(MeshShape shape, int service);

    /** The proxies of a fleet whose route configs carry the routes of a service: those a change to them reaches. */
    public abstract BitSet routing(ProxyFleet fleet, MeshShape shape, int service);
}
