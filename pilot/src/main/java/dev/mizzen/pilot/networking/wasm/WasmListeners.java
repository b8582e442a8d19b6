package dev.mizzen.pilot.networking.wasm;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mizzen.api.extensions.WasmPlugin;
import dev.mizzen.pilot.networking.envoyfilter.ConfigPatch;
import dev.mizzen.pilot.networking.envoyfilter.FilterPhases;
import dev.mizzen.pilot.networking.telemetry.ListenerClass;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.ExtensionConfigSource;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Puts a proxy's WasmPlugins into its listeners as Istio does (pilot/pkg/networking/core/extension): each an
 * HTTP filter (or, for {@code type: NETWORK}, a network filter before the chain's terminal filter) named as its
 * ECDS resource ({@code extensions.istio.io/wasmplugin/<namespace>.<name>}), whose config comes over ECDS from ADS
 * ({@code initial_fetch_timeout: 0s}: the listener waits for it, since it may be a security filter), accepting the Wasm type and RBAC (what the agent
 * sends instead when it cannot fetch the module: deny for FAIL_CLOSE, allow for FAIL_OPEN); placed by phase
 * ({@link FilterPhases}) and, within a phase, by priority; only on listeners of the plugin's mode and ports.
 * Pure.
 */
public final class WasmListeners {
    static final String WASM_HTTP = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";
    static final String RBAC_HTTP = "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC";
    static final String WASM_NETWORK = "type.googleapis.com/envoy.extensions.filters.network.wasm.v3.Wasm";
    static final String RBAC_NETWORK = "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC";
    private static final ConfigSource ADS = ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
            .setResourceApiVersion(ApiVersion.V3).setInitialFetchTimeout(com.google.protobuf.Duration.getDefaultInstance())
            .build();

    private WasmListeners() {
    }

    public static List<Listener> apply(List<Listener> listeners, List<WasmPluginIndex.Plugin> plugins,
                                       Function<Listener, ListenerClass> classOf) {
        if (plugins.isEmpty()) {
            return listeners;
        }
        List<Listener> out = new ArrayList<>(listeners.size());
        for (Listener listener : listeners) {
            ListenerClass c = classOf.apply(listener);
            int listenerPort = listener.getAddress().getSocketAddress().getPortValue();
            Listener.Builder b = listener.toBuilder();
            for (int i = 0; i < b.getFilterChainsCount(); i++) {
                FilterChain chain = b.getFilterChains(i);
                int port = chain.getFilterChainMatch().hasDestinationPort()
                        ? chain.getFilterChainMatch().getDestinationPort().getValue() : listenerPort;
                List<WasmPluginIndex.Plugin> here = plugins.stream().filter(p -> matches(p, c, port)).toList();
                if (!here.isEmpty()) {
                    b.setFilterChains(i, chain(chain, here));
                }
            }
            out.add(b.build());
        }
        return out;
    }

    /** Istio's WasmPlugin match: a traffic selector of the listener's mode (all when none), and its port if any. */
    static boolean matches(WasmPluginIndex.Plugin p, ListenerClass c, int port) {
        if (p.match().isEmpty()) {
            return true;
        }
        String mode = c == ListenerClass.SIDECAR_INBOUND ? "SERVER" : "CLIENT";
        for (WasmPlugin.TrafficSelector s : p.match()) {
            boolean modeMatches = s.mode() == null || s.mode().equals("UNDEFINED") || s.mode().equals("CLIENT_AND_SERVER")
                    || s.mode().equals(mode);
            boolean portMatches = s.ports().isEmpty() || s.ports().stream().anyMatch(x -> x.number() != null && x.number() == port);
            if (modeMatches && portMatches) {
                return true;
            }
        }
        return false;
    }

    /**
     * A chain with the plugins in it: HTTP ones in its connection manager, network ones before its terminal filter
     * (Istio adds them to TCP chains and in front of the connection manager of HTTP chains alike).
     */
    private static FilterChain chain(FilterChain chain, List<WasmPluginIndex.Plugin> plugins) {
        List<WasmPluginIndex.Plugin> http = inPhaseOrder(plugins.stream().filter(p -> !p.network()).toList());
        List<Filter> filters = new ArrayList<>();
        for (Filter f : chain.getFiltersList()) {
            filters.add(XdsResource.is(f.getTypedConfig(), HttpConnectionManager.class) ? hcm(f, http) : f);
        }
        for (WasmPluginIndex.Plugin p : inPhaseOrder(plugins.stream().filter(WasmPluginIndex.Plugin::network).toList())) {
            filters = FilterPhases.insertNetwork(filters, Filter.newBuilder().setName(p.resourceName())
                    .setConfigDiscovery(discovery(WASM_NETWORK, RBAC_NETWORK)).build(), phase(p.phase()));
        }
        return chain.toBuilder().clearFilters().addAllFilters(filters).build();
    }

    /**
     * Phase by phase as Istio appends them (AUTHN, AUTHZ, STATS, then unspecified), keeping the priority order within
     * one: a later phase sharing an anchor with an earlier one then lands after it.
     */
    private static List<WasmPluginIndex.Plugin> inPhaseOrder(List<WasmPluginIndex.Plugin> plugins) {
        return plugins.stream().sorted(Comparator.comparingInt(p -> switch (phase(p.phase())) {
            case AUTHN -> 0;
            case AUTHZ -> 1;
            case STATS -> 2;
            case UNSPECIFIED -> 3;
        })).toList();
    }

    private static Filter hcm(Filter filter, List<WasmPluginIndex.Plugin> plugins) {
        if (plugins.isEmpty()) {
            return filter;
        }
        HttpConnectionManager hcm;
        try {
            hcm = XdsResource.unpack(filter.getTypedConfig(), HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
            return filter;
        }
        List<HttpFilter> httpFilters = hcm.getHttpFiltersList();
        for (WasmPluginIndex.Plugin p : plugins) {
            HttpFilter wasm = HttpFilter.newBuilder().setName(p.resourceName())
                    .setConfigDiscovery(discovery(WASM_HTTP, RBAC_HTTP)).build();
            httpFilters = FilterPhases.insert(httpFilters, wasm, phase(p.phase()));
        }
        return filter.toBuilder().setTypedConfig(XdsResource.pack(hcm.toBuilder().clearHttpFilters()
                .addAllHttpFilters(httpFilters).build())).build();
    }

    private static ConfigPatch.FilterClass phase(String phase) {
        return switch (phase) {
            case "AUTHN" -> ConfigPatch.FilterClass.AUTHN;
            case "AUTHZ" -> ConfigPatch.FilterClass.AUTHZ;
            case "STATS" -> ConfigPatch.FilterClass.STATS;
            default -> ConfigPatch.FilterClass.UNSPECIFIED;
        };
    }

    private static ExtensionConfigSource discovery(String... typeUrls) {
        return ExtensionConfigSource.newBuilder().setConfigSource(ADS).addAllTypeUrls(List.of(typeUrls)).build();
    }
}
