package dev.mizzen.pilot.networking.route;

import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;

/**
 * What route translation depends on besides the VirtualService.
 *
 * @param port    the port of the listener or route config being built
 * @param gateway {@code mesh} for sidecars and proxyless clients, {@code ns/name} for a gateway
 * @param flavor  which client reads the routes: Envoy, or grpc-java/grpc-go's xDS client
 */
public record RouteContext(Proxy proxy, PushContext push, int port, String gateway, Flavor flavor) {
    /** The clients differ in what they read: gRPC takes timeouts from max_stream_duration only. */
    public enum Flavor { ENVOY, GRPC }
}
