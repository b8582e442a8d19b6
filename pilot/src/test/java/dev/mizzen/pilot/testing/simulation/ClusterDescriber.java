package dev.mizzen.pilot.testing.simulation;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Describes a cluster: discovery type, load balancer, endpoints (EDS by eds_cluster_config.service_name,
 * else the cluster's name; or its inline load_assignment) and transport sockets. Each endpoint gets the
 * transport socket Envoy would use: the first transport_socket_matches entry whose match is contained in
 * the endpoint's {@code envoy.transport_socket_match} metadata, else the cluster's default.
 */
final class ClusterDescriber {
    private static final String SOCKET_MATCH = "envoy.transport_socket_match";

    private ClusterDescriber() {
    }

    static ClusterInfo describe(Cluster cluster, XdsConfig config) {
        String type = cluster.hasClusterType() ? cluster.getClusterType().getName() : cluster.getType().name();
        String lb = cluster.hasLoadBalancingPolicy() && cluster.getLoadBalancingPolicy().getPoliciesCount() > 0
                ? cluster.getLoadBalancingPolicy().getPolicies(0).getTypedExtensionConfig().getName()
                : cluster.getLbPolicy().name();
        List<TransportSocketInfo> transports = new ArrayList<>();
        cluster.getTransportSocketMatchesList().forEach(m -> transports.add(
                transport(m.getName(), struct(m.getMatch()), m.getTransportSocket())));
        transports.add(transport("default", Map.of(), cluster.getTransportSocket()));
        ClusterLoadAssignment assignment;
        String source;
        if (!cluster.hasClusterType() && cluster.getType() == Cluster.DiscoveryType.EDS) {
            String service = cluster.getEdsClusterConfig().getServiceName().isEmpty() ? cluster.getName()
                    : cluster.getEdsClusterConfig().getServiceName();
            Optional<ClusterLoadAssignment> eds = config.endpoints(service);
            assignment = eds.orElse(ClusterLoadAssignment.getDefaultInstance());
            source = "EDS " + service + (eds.isPresent() ? "" : " (missing)");
        } else {
            assignment = cluster.getLoadAssignment();
            source = cluster.hasLoadAssignment() ? "load_assignment" : "none";
        }
        return new ClusterInfo(cluster.getName(), type, lb, endpoints(assignment, cluster), source, transports);
    }

    private static List<Endpoint> endpoints(ClusterLoadAssignment assignment, Cluster cluster) {
        List<Endpoint> out = new ArrayList<>();
        for (LocalityLbEndpoints group : assignment.getEndpointsList()) {
            for (LbEndpoint e : group.getLbEndpointsList()) {
                var socket = e.getEndpoint().getAddress().getSocketAddress();
                Map<String, String> labels = e.getMetadata().getFilterMetadataMap().containsKey(SOCKET_MATCH)
                        ? struct(e.getMetadata().getFilterMetadataMap().get(SOCKET_MATCH)) : Map.of();
                out.add(new Endpoint(socket.getAddress(), socket.getPortValue(), e.getHealthStatus().name(),
                        locality(group.getLocality()), e.hasLoadBalancingWeight()
                        ? e.getLoadBalancingWeight().getValue() : 1, transportFor(labels, cluster)));
            }
        }
        return out;
    }

    private static String transportFor(Map<String, String> endpointLabels, Cluster cluster) {
        for (Cluster.TransportSocketMatch m : cluster.getTransportSocketMatchesList()) {
            if (endpointLabels.entrySet().containsAll(struct(m.getMatch()).entrySet())) {
                return m.getName();
            }
        }
        return "default";
    }

    @SuppressWarnings("deprecation") // match_subject_alt_names: older generators still set it
    private static TransportSocketInfo transport(String name, Map<String, String> match, TransportSocket socket) {
        String matchText = match.toString();
        Optional<UpstreamTlsContext> tls = TypedConfigs.unpack(socket.getTypedConfig(), UpstreamTlsContext.class);
        if (tls.isEmpty()) {
            String kind = socket.getName().isEmpty() || socket.getName().endsWith("raw_buffer")
                    || socket.getTypedConfig().getTypeUrl().endsWith("RawBuffer") ? "plaintext"
                    : socket.getName();
            return new TransportSocketInfo(name, matchText, false, "", List.of(), List.of(), List.of(), kind);
        }
        CommonTlsContext common = tls.get().getCommonTlsContext();
        List<String> secrets = new ArrayList<>();
        common.getTlsCertificateSdsSecretConfigsList().forEach(s -> secrets.add(s.getName()));
        CertificateValidationContext validation = CertificateValidationContext.getDefaultInstance();
        switch (common.getValidationContextTypeCase()) {
            case VALIDATION_CONTEXT -> validation = common.getValidationContext();
            case VALIDATION_CONTEXT_SDS_SECRET_CONFIG -> secrets.add(common.getValidationContextSdsSecretConfig()
                    .getName());
            case COMBINED_VALIDATION_CONTEXT -> {
                validation = common.getCombinedValidationContext().getDefaultValidationContext();
                SdsSecretConfig sds = common.getCombinedValidationContext().getValidationContextSdsSecretConfig();
                if (!sds.getName().isEmpty()) {
                    secrets.add(sds.getName());
                }
            }
            default -> { }
        }
        List<String> sans = Stream.concat(
                validation.getMatchTypedSubjectAltNamesList().stream().map(m -> matcher(m.getMatcher())),
                validation.getMatchSubjectAltNamesList().stream().map(ClusterDescriber::matcher)).toList();
        return new TransportSocketInfo(name, matchText, true, tls.get().getSni(), sans, common.getAlpnProtocolsList(),
                secrets, "tls");
    }

    private static String matcher(StringMatcher m) {
        return switch (m.getMatchPatternCase()) {
            case EXACT -> m.getExact();
            case PREFIX -> m.getPrefix() + "*";
            case SUFFIX -> "*" + m.getSuffix();
            case CONTAINS -> "*" + m.getContains() + "*";
            case SAFE_REGEX -> "~" + m.getSafeRegex().getRegex();
            default -> m.toString();
        };
    }

    private static Map<String, String> struct(Struct s) {
        return s.getFieldsMap().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> text(e.getValue()), (a, b) -> a, TreeMap::new));
    }

    private static String text(Value v) {
        return v.hasStringValue() ? v.getStringValue() : v.hasBoolValue() ? String.valueOf(v.getBoolValue())
                : v.hasNumberValue() ? String.valueOf(v.getNumberValue()) : v.toString().trim();
    }

    private static String locality(Locality l) {
        return Stream.of(l.getRegion(), l.getZone(), l.getSubZone()).filter(s -> !s.isEmpty())
                .collect(Collectors.joining("/"));
    }
}
