package dev.mizzen.pilot.networking.grpcgen;

import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.TrafficPolicy;
import dev.mizzen.pilot.model.ClusterName;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.networking.cluster.ClusterPolicies;
import dev.mizzen.pilot.networking.cluster.TrafficPolicies;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;

import java.util.Optional;

/**
 * CDS for proxyless gRPC: the requested {@code outbound|<port>|<subset>|<fqdn>} clusters, of type EDS over
 * ADS, with the DestinationRule's policy for that port and subset. A route that names a service, port or
 * subset that does not exist still gets its cluster, with no endpoints: calls there fail at once instead
 * of the client waiting out its resource timeout with the whole route config on hold. A DestinationRule's
 * ISTIO_MUTUAL gives Istio mTLS ({@link GrpcTls#client}); as in Istio's gRPC generator there is no automatic mTLS:
 * grpc-java cannot fall back to plaintext per endpoint. Pure.
 */
final class GrpcClusters {
    private GrpcClusters() {
    }

    static Optional<XdsResource> build(String name, Proxy proxy, PushContext push) {
        Optional<ClusterName> parsed = ClusterName.parse(name).filter(c -> c.direction() == ClusterName.Direction.OUTBOUND);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        ClusterName cluster = parsed.get();
        Optional<Service> service = push.service(cluster.hostname()).filter(s -> s.visibleTo(proxy.namespace()));
        DestinationRule rule = push.destinationRule(cluster.hostname(), proxy.namespace()).orElse(null);
        boolean exists = service.isPresent() && service.get().port(cluster.port()).isPresent()
                && (cluster.subset().isEmpty() || TrafficPolicies.subset(rule, cluster.subset()).isPresent());
        Cluster.Builder out = Cluster.newBuilder()
                .setName(name)
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                        .setServiceName(name)
                        .setEdsConfig(ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())));
        TrafficPolicy policy = exists ? TrafficPolicies.effective(rule, cluster.subset(), cluster.port()) : null;
        ClusterPolicies.apply(policy, out, ClusterPolicies.LbSupport.GRPC);
        if (policy != null && policy.tls() != null && "ISTIO_MUTUAL".equals(policy.tls().mode())) {
            out.setTransportSocket(GrpcTls.client(push.identitiesOf(service.get())));
        }
        return Optional.of(XdsResource.of(name, out.build()));
    }

}
