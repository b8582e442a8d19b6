package dev.mizzen.pilot.networking.envoy.route;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

/**
 * The fields Istio sets on every route configuration it serves over RDS to a sidecar or a gateway
 * (pilot/pkg/networking/core/httproute.go and gateway.go).
 */
public final class RouteConfigurations {
    /**
     * Istio's {@code DefaultMaxDirectResponseBodySizeBytes}: 1 MiB, the limit its webhook puts on a VirtualService's
     * direct response body, where Envoy's default (4 KiB) would refuse the route configuration for a larger one.
     */
    public static final int MAX_DIRECT_RESPONSE_BODY_BYTES = 1024 * 1024;

    private RouteConfigurations() {
    }

    /**
     * A route configuration named {@code name} as Istio starts one: clusters not validated (a route may name a
     * cluster CDS has not delivered yet), the direct response limit above, and the port of the Host header ignored
     * when virtual hosts are matched (a request for {@code reviews:80} redirected to port 9080 still finds reviews).
     */
    public static RouteConfiguration.Builder istioDefaults(String name) {
        return RouteConfiguration.newBuilder()
                .setName(name)
                .setValidateClusters(BoolValue.of(false))
                .setMaxDirectResponseBodySizeBytes(UInt32Value.of(MAX_DIRECT_RESPONSE_BODY_BYTES))
                .setIgnorePortInHostMatching(true);
    }
}
