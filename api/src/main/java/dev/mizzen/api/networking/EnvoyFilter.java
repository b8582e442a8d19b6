package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import dev.mizzen.api.security.PolicyTargetReference;

import java.util.List;
import java.util.Map;

/**
 * Istio's {@code EnvoyFilter} ({@code networking.istio.io/v1alpha3}): patches to the Envoy config istiod
 * generates, for the workloads a {@code workloadSelector} or {@code targetRefs} pick (all of the namespace when
 * neither is set; every namespace when it lives in the root namespace). Enums stay strings so that the validator
 * can name a bad one; {@code patch.value} stays the untyped tree the user wrote, since its type depends on
 * {@code applyTo}.
 */
public record EnvoyFilter(WorkloadSelector workloadSelector, List<PolicyTargetReference> targetRefs,
                          List<EnvoyConfigObjectPatch> configPatches, Integer priority) {
    public EnvoyFilter {
        targetRefs = Copies.list(targetRefs);
        configPatches = Copies.list(configPatches);
    }

    /** One patch: what kind of object, which ones, and what to do to them. */
    public record EnvoyConfigObjectPatch(String applyTo, EnvoyConfigObjectMatch match, Patch patch) {
    }

    /** At most one of listener, routeConfiguration, cluster and waypoint, plus the context and proxy. */
    public record EnvoyConfigObjectMatch(String context, ProxyMatch proxy, ListenerMatch listener,
                                         RouteConfigurationMatch routeConfiguration, ClusterMatch cluster,
                                         WaypointMatch waypoint) {
    }

    /** A proxy by its version (a regular expression over {@code ISTIO_VERSION}) and metadata. */
    public record ProxyMatch(String proxyVersion, Map<String, String> metadata) {
        public ProxyMatch {
            metadata = Copies.map(metadata);
        }
    }

    public record ListenerMatch(Integer portNumber, String portName, FilterChainMatch filterChain,
                                String listenerFilter, String name) {
    }

    public record FilterChainMatch(String name, String sni, String transportProtocol, String applicationProtocols,
                                   FilterMatch filter, Integer destinationPort, String transportSocket) {
    }

    public record FilterMatch(String name, NameMatch subFilter) {
    }

    /** A sub-filter or waypoint route, by name. */
    public record NameMatch(String name) {
    }

    public record RouteConfigurationMatch(Integer portNumber, String portName, String gateway, VirtualHostMatch vhost,
                                          String name) {
    }

    public record VirtualHostMatch(String name, RouteMatch route, String domainName) {
    }

    public record RouteMatch(String name, String action) {
    }

    public record ClusterMatch(Integer portNumber, String service, String subset, String name) {
    }

    public record WaypointMatch(FilterMatch filter, NameMatch route, Integer portNumber) {
    }

    /**
     * @param value the Envoy object (or part of one) in proto-JSON form, as written
     */
    public record Patch(String operation, Map<String, Object> value, String filterClass) {
        public Patch {
            value = value == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(value));
        }
    }
}
