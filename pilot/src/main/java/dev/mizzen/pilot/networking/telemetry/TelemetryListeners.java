package dev.mizzen.pilot.networking.telemetry;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Puts Istio's telemetry into generated listeners where Istio's listener builder puts it: in every HTTP
 * connection manager the metadata exchange filter first (inbound or outbound flavour), {@code istio.stats} just
 * before the router, the access logs and the tracing; before every TCP proxy {@code istio.stats}, preceded on a
 * sidecar's inbound side by the TCP metadata exchange filter, and the access logs on the proxy. Pure.
 */
public final class TelemetryListeners {
    static final String HCM = "envoy.filters.network.http_connection_manager";
    static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
    static final String ROUTER = "envoy.filters.http.router";

    private TelemetryListeners() {
    }

    /** @param classOf the class of each listener (a gateway's are all GATEWAY; a sidecar's virtualInbound is inbound) */
    public static List<Listener> apply(List<Listener> listeners, ProxyTelemetry telemetry,
                                       Function<Listener, ListenerClass> classOf) {
        List<Listener> out = new ArrayList<>(listeners.size());
        for (Listener listener : listeners) {
            ListenerClass c = classOf.apply(listener);
            Listener.Builder b = listener.toBuilder();
            for (int i = 0; i < b.getFilterChainsCount(); i++) {
                b.setFilterChains(i, chain(b.getFilterChains(i), telemetry, c));
            }
            if (b.hasDefaultFilterChain()) {
                b.setDefaultFilterChain(chain(b.getDefaultFilterChain(), telemetry, c));
            }
            out.add(b.build());
        }
        return out;
    }

    private static FilterChain chain(FilterChain chain, ProxyTelemetry telemetry, ListenerClass c) {
        List<Filter> filters = new ArrayList<>();
        for (Filter f : chain.getFiltersList()) {
            if (f.getName().equals(HCM) && XdsResource.is(f.getTypedConfig(), HttpConnectionManager.class)) {
                filters.add(hcm(f, telemetry, c));
            } else if (f.getName().equals(TCP_PROXY) && XdsResource.is(f.getTypedConfig(), TcpProxy.class)) {
                if (c == ListenerClass.SIDECAR_INBOUND) {
                    filters.add(0, IstioProxyFilters.TCP_MX);
                }
                filters.addAll(telemetry.tcpStats(c));
                filters.add(tcpProxy(f, telemetry, c));
            } else {
                filters.add(f);
            }
        }
        return chain.toBuilder().clearFilters().addAllFilters(filters).build();
    }

    private static Filter hcm(Filter filter, ProxyTelemetry telemetry, ListenerClass c) {
        HttpConnectionManager hcm = unpack(filter, HttpConnectionManager.class);
        List<HttpFilter> httpFilters = new ArrayList<>();
        httpFilters.add(c == ListenerClass.SIDECAR_INBOUND ? IstioProxyFilters.SIDECAR_INBOUND_MX
                : IstioProxyFilters.SIDECAR_OUTBOUND_MX);
        for (HttpFilter f : hcm.getHttpFiltersList()) {
            if (f.getName().equals(ROUTER)) {
                httpFilters.addAll(telemetry.httpStats(c));
            }
            httpFilters.add(f);
        }
        HttpConnectionManager.Builder b = hcm.toBuilder().clearHttpFilters().addAllHttpFilters(httpFilters)
                .addAllAccessLog(telemetry.accessLogs(c));
        telemetry.tracing(c).ifPresent(b::setTracing);
        return filter.toBuilder().setTypedConfig(XdsResource.pack(b.build())).build();
    }

    private static Filter tcpProxy(Filter filter, ProxyTelemetry telemetry, ListenerClass c) {
        if (telemetry.accessLogs(c).isEmpty()) {
            return filter;
        }
        TcpProxy proxy = unpack(filter, TcpProxy.class).toBuilder().addAllAccessLog(telemetry.accessLogs(c)).build();
        return filter.toBuilder().setTypedConfig(XdsResource.pack(proxy)).build();
    }

    private static <M extends com.google.protobuf.Message> M unpack(Filter f, Class<M> type) {
        try {
            return XdsResource.unpack(f.getTypedConfig(), type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("generated " + f.getName() + " does not read back", e);
        }
    }
}
