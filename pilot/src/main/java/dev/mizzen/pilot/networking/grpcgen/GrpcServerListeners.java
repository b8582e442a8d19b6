package dev.mizzen.pilot.networking.grpcgen;

import dev.mizzen.pilot.model.ClusterName;
import dev.mizzen.pilot.model.MtlsMode;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.SecurityPolicies;
import dev.mizzen.pilot.networking.envoy.EnvoyNames;
import dev.mizzen.pilot.networking.envoy.InboundPorts;
import dev.mizzen.pilot.security.authz.HttpRbacFilters;
import dev.mizzen.pilot.security.authz.ProxyKind;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.NonForwardingAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * LDS for proxyless gRPC servers, as Istio's gRPC generator builds it ({@code buildInboundListeners} in
 * {@code pilot/pkg/networking/grpcgen/lds.go}). grpc-java's {@code XdsServerBuilder} asks for
 * {@code xds.istio.io/grpc/lds/inbound/<ip>:<port>}: Istio's agent writes that template into the bootstrap
 * ({@code server_listener_resource_name_template}) and grpc-java puts in the address it listens on, usually
 * {@code 0.0.0.0:<port>} or {@code [::]:<port>}.
 * <ul>
 * <li>The port is where the server listens: the target port of a Service port that selects the workload. No such
 * port, no listener (Istio: "has no service instance for port"): grpc-java then hears the resource does not
 * exist and does not serve, so a server no Service knows is never open without its policies.</li>
 * <li>The listener's address is the one in its name: grpc-java refuses a listener whose address is not the one
 * it listens on ("Listener address mismatch").</li>
 * <li>One filter chain without a match (grpc-java tells TLS from plaintext by nothing but the chain it picks, so
 * a port cannot be both): its HTTP connection manager has an inline route config (virtual host {@code *}, one
 * route with {@code non_forwarding_action}: the server itself answers) and the HTTP filters grpc-java runs on
 * servers, the DENY and ALLOW RBAC filters ({@link HttpRbacFilters} for {@link ProxyKind#PROXYLESS_GRPC_SERVER})
 * then the router.</li>
 * <li>PeerAuthentication: STRICT requires mTLS ({@code require_client_certificate}), DISABLE is plaintext, and
 * PERMISSIVE, which grpc-java cannot offer on one port, is plaintext, or mTLS when the pod carries
 * {@code security.istio.io/tlsMode: istio} (its clients then use mTLS: Istio's rule). The certificates are
 * those of the bootstrap's {@code default} certificate provider ({@link GrpcTls}).</li>
 * </ul>
 * Pure.
 */
final class GrpcServerListeners {
    static final String PREFIX = "xds.istio.io/grpc/lds/inbound/";
    static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";

    private GrpcServerListeners() {
    }

    static boolean isServerListener(String name) {
        return name.startsWith(PREFIX);
    }

    /** The listener for {@code xds.istio.io/grpc/lds/inbound/<ip>:<port>}, or empty when the workload serves no such port. */
    static Optional<XdsResource> build(String name, Proxy proxy, PushContext push) {
        Optional<HostPort> address = HostPort.parse(name.substring(PREFIX.length()));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int port = address.get().port();
        Optional<InboundPorts.InboundPort> served = InboundPorts.of(proxy, push).stream()
                .filter(p -> p.targetPort() == port).findFirst();
        if (served.isEmpty()) {
            return Optional.empty();
        }
        boolean mtls = mode(proxy, push, port) == MtlsMode.STRICT;
        FilterChain.Builder chain = FilterChain.newBuilder()
                .setName(mtls ? "inbound-mtls" : "inbound-plaintext")
                .addFilters(Filter.newBuilder().setName(EnvoyNames.HTTP_CONNECTION_MANAGER)
                        .setTypedConfig(XdsResource.pack(hcm(served.get(), proxy, push))));
        if (mtls) {
            chain.setTransportSocket(GrpcTls.server());
        }
        Listener listener = Listener.newBuilder()
                .setName(name)
                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                        .setAddress(address.get().host()).setPortValue(port)))
                .setTrafficDirection(TrafficDirection.INBOUND)
                .addFilterChains(chain)
                .build();
        return Optional.of(XdsResource.of(name, listener));
    }

    /** PERMISSIVE is plaintext, or STRICT for a pod whose clients use mTLS (Istio's auto-mTLS label). */
    static MtlsMode mode(Proxy proxy, PushContext push, int port) {
        MtlsMode mode = push.mtlsMode(proxy, port);
        if (mode != MtlsMode.PERMISSIVE) {
            return mode;
        }
        return "istio".equals(proxy.labels().get(TLS_MODE_LABEL)) ? MtlsMode.STRICT : MtlsMode.DISABLE;
    }

    private static HttpConnectionManager hcm(InboundPorts.InboundPort port, Proxy proxy, PushContext push) {
        String cluster = ClusterName.inbound(port.targetPort()).toString();
        List<HttpFilter> filters = new ArrayList<>(HttpRbacFilters.build(
                push.security().authorizationPolicies(SecurityPolicies.workload(proxy)),
                push.security().options(ProxyKind.PROXYLESS_GRPC_SERVER)).filters());
        filters.add(HttpFilter.newBuilder().setName(GrpcListeners.ROUTER_FILTER)
                .setTypedConfig(XdsResource.pack(Router.getDefaultInstance())).build());
        return HttpConnectionManager.newBuilder()
                .setStatPrefix("inbound_" + port.targetPort())
                .setRouteConfig(RouteConfiguration.newBuilder()
                        .setName(cluster)
                        .addVirtualHosts(VirtualHost.newBuilder()
                                .setName("inbound|http|" + port.servicePort().port())
                                .addDomains("*")
                                .addRoutes(Route.newBuilder()
                                        .setName("default")
                                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                        .setNonForwardingAction(NonForwardingAction.getDefaultInstance()))))
                .addAllHttpFilters(filters)
                .build();
    }

    /** {@code 0.0.0.0:8080}, {@code [::]:8080}, {@code 10.1.0.5:8080}. */
    record HostPort(String host, int port) {
        static Optional<HostPort> parse(String address) {
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                return Optional.empty();
            }
            String host = address.substring(0, colon);
            String port = address.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            int number = Integer.parseInt(port);
            return number >= 1 && number <= 65535 ? Optional.of(new HostPort(host, number)) : Optional.empty();
        }
    }
}
