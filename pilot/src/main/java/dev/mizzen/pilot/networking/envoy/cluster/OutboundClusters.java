package dev.mizzen.pilot.networking.envoy.cluster;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.api.networking.ClientTlsSettings;
import dev.mizzen.api.networking.DestinationRule;
import dev.mizzen.api.networking.Subset;
import dev.mizzen.api.networking.TrafficPolicy;
import dev.mizzen.pilot.model.ClusterName;
import dev.mizzen.pilot.model.Endpoint;
import dev.mizzen.pilot.model.Location;
import dev.mizzen.pilot.model.Protocol;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Resolution;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;
import dev.mizzen.pilot.networking.cluster.ClusterPolicies;
import dev.mizzen.pilot.networking.cluster.TrafficPolicies;
import dev.mizzen.pilot.networking.envoy.ConfigSources;
import dev.mizzen.pilot.networking.envoy.EnvoyNames;
import dev.mizzen.pilot.networking.envoy.TlsContexts;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;

import java.util.ArrayList;
import java.util.List;

/**
 * Envoy's outbound clusters for one service port: {@code outbound|<port>||<host>} and one per DestinationRule
 * subset, with the rule's policy (load balancing, connection limits, outlier detection, TLS). Mesh services
 * without TLS settings get Istio's auto mTLS: mTLS to endpoints labelled {@code tlsMode: istio}, plaintext
 * to the rest. Pure.
 */
public final class OutboundClusters {
    private OutboundClusters() {
    }

    public static List<Cluster> build(Service service, ServicePort port, Proxy proxy, PushContext push) {
        DestinationRule rule = push.destinationRule(service.hostname(), proxy.namespace()).orElse(null);
        List<Cluster> out = new ArrayList<>();
        out.add(cluster(service, port, "", rule, push));
        if (rule != null) {
            for (Subset subset : rule.subsets()) {
                out.add(cluster(service, port, subset.name(), rule, push));
            }
        }
        return out;
    }

    private static Cluster cluster(Service service, ServicePort port, String subset, DestinationRule rule, PushContext push) {
        String name = ClusterName.outbound(port.port(), subset, service.hostname()).toString();
        Cluster.Builder out = Cluster.newBuilder().setName(name);
        TrafficPolicy policy = TrafficPolicies.effective(rule, subset, port.port());
        ClusterPolicies.apply(policy, out, ClusterPolicies.LbSupport.ENVOY);
        switch (service.resolution()) {
            case CLIENT_SIDE_LB -> out.setType(Cluster.DiscoveryType.EDS).setEdsClusterConfig(
                    Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ConfigSources.ads()).setServiceName(name));
            case DNS_LB, DNS_ROUND_ROBIN_LB -> out
                    .setType(service.resolution() == Resolution.DNS_LB ? Cluster.DiscoveryType.STRICT_DNS
                            : Cluster.DiscoveryType.LOGICAL_DNS)
                    .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY)
                    .setRespectDnsTtl(true)
                    .setLoadAssignment(dnsEndpoints(name, service, port, push));
            case PASSTHROUGH -> out.setType(Cluster.DiscoveryType.ORIGINAL_DST)
                    .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
        }
        boolean http2 = port.protocol() == Protocol.HTTP2 || port.protocol() == Protocol.GRPC
                || (policy != null && policy.connectionPool() != null && policy.connectionPool().http() != null
                && "UPGRADE".equals(policy.connectionPool().http().h2UpgradePolicy()));
        if (http2) {
            ProtocolOptions.http2(out);
        }
        tls(out, policy == null ? null : policy.tls(), service, port, subset, push);
        out.setMetadata(ClusterMetadata.of(service, port.port()));
        return out.build();
    }

    private static void tls(Cluster.Builder out, ClientTlsSettings tls, Service service, ServicePort port, String subset,
                            PushContext push) {
        String sni = EnvoyNames.istioSni(port.port(), subset, service.hostname());
        if (tls == null || tls.mode() == null) {
            if (service.location() == Location.MESH_INTERNAL && service.resolution() != Resolution.PASSTHROUGH) {
                // auto mTLS: the endpoint's tlsMode metadata picks the socket
                out.addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder()
                        .setName("tlsMode-istio")
                        .setMatch(Struct.newBuilder().putFields("tlsMode", Value.newBuilder().setStringValue("istio").build()))
                        .setTransportSocket(TlsContexts.tls(TlsContexts.istioMutual(sni, push.identitiesOf(service)))));
                out.addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder()
                        .setName("tlsMode-disabled")
                        .setMatch(Struct.getDefaultInstance())
                        .setTransportSocket(TlsContexts.plaintext()));
            }
            return;
        }
        switch (tls.mode()) {
            case "ISTIO_MUTUAL" -> out.setTransportSocket(TlsContexts.tls(TlsContexts.istioMutual(sni, push.identitiesOf(service))));
            case "SIMPLE", "MUTUAL" -> out.setTransportSocket(TlsContexts.tls(TlsContexts.fromSettings(tls, service.hostname())));
            default -> { } // DISABLE
        }
    }

    /** DNS clusters carry their endpoints: host names Envoy resolves itself. */
    private static ClusterLoadAssignment dnsEndpoints(String name, Service service, ServicePort port, PushContext push) {
        LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
        for (Endpoint e : push.endpoints(service.hostname())) {
            Integer target = e.portFor(port).orElse(port.port());
            locality.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                    .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                            .setAddress(e.address()).setPortValue(target)))));
        }
        ClusterLoadAssignment.Builder out = ClusterLoadAssignment.newBuilder().setClusterName(name);
        if (locality.getLbEndpointsCount() > 0) {
            out.addEndpoints(locality);
        }
        return out.build();
    }
}
