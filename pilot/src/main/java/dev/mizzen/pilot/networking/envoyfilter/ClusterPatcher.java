package dev.mizzen.pilot.networking.envoyfilter;

import dev.mizzen.api.networking.EnvoyFilter;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.TransportSocketMatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * CLUSTER patches (Istio's cluster_patch.go): MERGE (with transport sockets merged by name, their typed
 * configs as messages), REMOVE, and ADD for the outbound side of a sidecar or for a gateway (a patch without a
 * context adds only there). A cluster matches by name, or by service, subset and port as its name says
 * ({@code outbound|9080|v1|reviews.default.svc.cluster.local}); an inbound cluster's service is any service
 * of the workload. Pure.
 */
public final class ClusterPatcher {
    private ClusterPatcher() {
    }

    /**
     * @param contextOf  where each cluster sits (inbound, outbound, gateway)
     * @param inboundHosts the services of the proxy's workload, for inbound clusters
     * @param addContext the context ADDs happen in: outbound for sidecars, gateway for routers
     */
    public static List<Cluster> apply(ProxyPatches patches, List<Cluster> clusters, Function<Cluster, PatchContext> contextOf,
                                      List<String> inboundHosts, PatchContext addContext, PatchLog log) {
        List<ConfigPatch> cps = patches.get(ConfigPatch.ApplyTo.CLUSTER);
        if (cps.isEmpty()) {
            return clusters;
        }
        List<Cluster> out = new ArrayList<>(clusters.size());
        for (Cluster cluster : clusters) {
            patch(cps, cluster, contextOf.apply(cluster), inboundHosts, log).ifPresent(out::add);
        }
        for (ConfigPatch cp : cps) {
            if (cp.operation() != ConfigPatch.Operation.ADD) {
                continue;
            }
            if (cp.context() == PatchContext.ANY && addContext != PatchContext.SIDECAR_OUTBOUND
                    && addContext != PatchContext.GATEWAY) {
                continue;
            }
            if (cp.appliesIn(addContext)) {
                out.add(cp.value(Cluster.class));
                log.applied(cp);
            }
        }
        return out;
    }

    private static Optional<Cluster> patch(List<ConfigPatch> cps, Cluster cluster, PatchContext context,
                                           List<String> inboundHosts, PatchLog log) {
        Cluster current = cluster;
        for (ConfigPatch cp : cps) {
            if (!cp.appliesIn(context) || !matches(current, cp, inboundHosts)) {
                continue;
            }
            if (cp.operation() == ConfigPatch.Operation.REMOVE) {
                log.applied(cp);
                return Optional.empty();
            }
            if (!cp.operation().merges()) {
                continue;
            }
            Cluster value = cp.value(Cluster.class);
            if (value.hasTransportSocket()) {
                current = mergeTransportSocket(current, value);
            } else {
                current = ProtoMerge.merge(current, value, lists(cp));
            }
            log.applied(cp);
        }
        return Optional.of(current);
    }

    static ProtoMerge.Lists lists(ConfigPatch cp) {
        return cp.operation() == ConfigPatch.Operation.MERGE_AND_REPLACE_LIST ? ProtoMerge.Lists.REPLACE
                : ProtoMerge.Lists.APPEND;
    }

    /** Istio's mergeTransportSocketCluster: a socket of the same name is merged into, otherwise replaced. */
    private static Cluster mergeTransportSocket(Cluster cluster, Cluster patch) {
        TransportSocket wanted = patch.getTransportSocket();
        if (cluster.getTransportSocketMatchesCount() > 0) {
            Cluster.Builder builder = cluster.toBuilder();
            for (int i = 0; i < cluster.getTransportSocketMatchesCount(); i++) {
                TransportSocketMatch match = cluster.getTransportSocketMatches(i);
                if (match.hasTransportSocket() && match.getTransportSocket().getName().equals(wanted.getName())) {
                    builder.setTransportSocketMatches(i, match.toBuilder().setTransportSocket(merged(match.getTransportSocket(), wanted)));
                    return builder.build();
                }
            }
            // merging would leave both transport_socket and transport_socket_matches: dropped, as in Istio
            return cluster;
        }
        if (cluster.hasTransportSocket() && cluster.getTransportSocket().getName().equals(wanted.getName())) {
            return cluster.toBuilder().setTransportSocket(merged(cluster.getTransportSocket(), wanted)).build();
        }
        return cluster.toBuilder().setTransportSocket(wanted).build();
    }

    private static TransportSocket merged(TransportSocket existing, TransportSocket patch) {
        if (!existing.hasTypedConfig() || !patch.hasTypedConfig()) {
            return existing;
        }
        return ProtoMerge.mergeAny(existing.getTypedConfig(), patch.getTypedConfig())
                .map(any -> existing.toBuilder().setTypedConfig(any).build()).orElse(existing);
    }

    /** Istio's clusterMatch. */
    static boolean matches(Cluster cluster, ConfigPatch cp, List<String> inboundHosts) {
        EnvoyFilter.ClusterMatch match = cp.match().cluster();
        if (match == null) {
            return true;
        }
        if (match.name() != null && !match.name().isEmpty()) {
            return match.name().equals(cluster.getName());
        }
        SubsetKey key = SubsetKey.parse(cluster.getName());
        String subset = key.subset();
        int port = key.port();
        List<String> hosts = key.direction().equals("inbound") && !inboundHosts.isEmpty() ? inboundHosts
                : List.of(key.hostname());
        if (match.subset() != null && !match.subset().isEmpty() && !match.subset().equals(subset)) {
            return false;
        }
        if (match.service() != null && !match.service().isEmpty() && !hosts.contains(match.service())) {
            return false;
        }
        return match.portNumber() == null || match.portNumber() == 0 || match.portNumber() == port;
    }
}
