package dev.mizzen.pilot.xds;

import java.util.List;

/** The xDS resource types we serve, by type URL, in the order a push sends them (CDS, EDS, LDS, RDS, ECDS, SDS). */
public final class TypeUrls {
    public static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public static final String ENDPOINT = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    public static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public static final String ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    public static final String SECRET = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";
    /** ECDS: the Wasm filters of WasmPlugins (and EnvoyFilter EXTENSION_CONFIG patches), by filter name */
    public static final String EXTENSION_CONFIG = "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig";

    public static final List<String> PUSH_ORDER = List.of(CLUSTER, ENDPOINT, LISTENER, ROUTE, EXTENSION_CONFIG, SECRET);

    private TypeUrls() {
    }

    /** Istio's {@code type} label of xDS metrics ({@code GetMetricType}): cds, eds, lds, rds, sds. */
    public static String metricType(String typeUrl) {
        String s = shortName(typeUrl);
        return s.equals(typeUrl) ? "other" : s.toLowerCase(java.util.Locale.ROOT);
    }

    public static String shortName(String typeUrl) {
        return switch (typeUrl) {
            case CLUSTER -> "CDS";
            case ENDPOINT -> "EDS";
            case LISTENER -> "LDS";
            case ROUTE -> "RDS";
            case SECRET -> "SDS";
            case EXTENSION_CONFIG -> "ECDS";
            default -> typeUrl;
        };
    }
}
