package dev.mizzen.pilot.networking.grpcgen;

import dev.mizzen.pilot.model.ClusterName;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Service;
import dev.mizzen.pilot.model.ServicePort;
import dev.mizzen.pilot.networking.route.Faults;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;

import java.util.List;
import java.util.Optional;

/**
 * LDS for proxyless gRPC: one api_listener per requested name, named exactly as the client's
 * {@code xds:///} authority ({@code reviews:9080}, {@code reviews.default.svc.cluster.local:9080}), whose HTTP
 * connection manager fetches routes {@code outbound|<port>||<fqdn>} over ADS. Pure.
 */
final class GrpcListeners {
    static final String ROUTER_FILTER = "envoy.filters.http.router";

    private GrpcListeners() {
    }

    /**
     * The listener for one requested name, or empty when it names no service this proxy may see; a gRPC
     * server's inbound listener ({@link GrpcServerListeners}) for {@code xds.istio.io/grpc/lds/inbound/<ip>:<port>}.
     */
    static Optional<XdsResource> build(String name, Proxy proxy, PushContext push) {
        if (GrpcServerListeners.isServerListener(name)) {
            return GrpcServerListeners.build(name, proxy, push);
        }
        HostPort requested = HostPort.parse(name);
        Optional<Service> service = GrpcNames.resolveService(requested.host(), proxy, push);
        if (service.isEmpty()) {
            return Optional.empty();
        }
        Optional<ServicePort> port = requested.port() == null
                ? (service.get().ports().size() == 1 ? Optional.of(service.get().ports().get(0)) : Optional.empty())
                : service.get().port(requested.port());
        if (port.isEmpty()) {
            return Optional.empty();
        }
        String routeName = ClusterName.outbound(port.get().port(), "", service.get().hostname()).toString();
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix(routeName)
                .setRds(Rds.newBuilder()
                        .setConfigSource(ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()))
                        .setRouteConfigName(routeName))
                .addAllHttpFilters(FILTERS)
                .build();
        Listener listener = Listener.newBuilder()
                .setName(name)
                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                        .setAddress(service.get().clusterIp().isEmpty() ? "0.0.0.0" : service.get().clusterIp())
                        .setPortValue(port.get().port())))
                .setApiListener(ApiListener.newBuilder().setApiListener(XdsResource.pack(hcm)))
                .build();
        return Optional.of(XdsResource.of(name, listener));
    }

    /** Fault first, router last: the only filters proxyless clients need. */
    private static final List<HttpFilter> FILTERS = List.of(
            HttpFilter.newBuilder().setName(Faults.FILTER_NAME)
                    .setTypedConfig(XdsResource.pack(HTTPFault.getDefaultInstance())).build(),
            HttpFilter.newBuilder().setName(ROUTER_FILTER)
                    .setTypedConfig(XdsResource.pack(Router.getDefaultInstance())).build());

    record HostPort(String host, Integer port) {
        static HostPort parse(String name) {
            int colon = name.lastIndexOf(':');
            if (colon > 0 && colon < name.length() - 1 && name.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                return new HostPort(name.substring(0, colon), Integer.parseInt(name.substring(colon + 1)));
            }
            return new HostPort(name, null);
        }
    }
}
