package dev.mizzen.pilot.xds.debug;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import dev.mizzen.pilot.xds.ConnectionStatus;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.admin.v3.BootstrapConfigDump;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EcdsConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.admin.v3.ScopedRoutesConfigDump;
import io.envoyproxy.envoy.admin.v3.SecretsConfigDump;

import java.util.List;
import java.util.Set;

/**
 * What istiod last sent one proxy, as Envoy's admin config dump ({@code /config_dump}), built as Istio's
 * {@code connectionConfigDump} builds it: bootstrap (empty), clusters, endpoints (only when asked), listeners,
 * scoped routes (empty), routes, secrets, extension configs; every resource as dynamic and active. Istio
 * regenerates the config from its last push context; we take the resources of the last response of each type,
 * which is exactly what the proxy was sent. Secrets are redacted ({@link Redaction}). Pure.
 */
public final class ConfigDumps {
    private ConfigDumps() {
    }

    /** The full dump; endpoints only with {@code includeEds}, as Envoy's own dump leaves them out by default. */
    public static ConfigDump of(ConnectionStatus status, boolean includeEds) {
        ClustersConfigDump.Builder clusters = ClustersConfigDump.newBuilder().setVersionInfo(version(status, TypeUrls.CLUSTER));
        resources(status, TypeUrls.CLUSTER).forEach(r -> clusters.addDynamicActiveClusters(
                ClustersConfigDump.DynamicCluster.newBuilder().setVersionInfo(r.version()).setCluster(r.body())));
        ListenersConfigDump.Builder listeners = ListenersConfigDump.newBuilder().setVersionInfo(version(status, TypeUrls.LISTENER));
        resources(status, TypeUrls.LISTENER).forEach(r -> listeners.addDynamicListeners(
                ListenersConfigDump.DynamicListener.newBuilder().setName(r.name())
                        .setActiveState(ListenersConfigDump.DynamicListenerState.newBuilder()
                                .setVersionInfo(r.version()).setListener(r.body()))));
        RoutesConfigDump.Builder routes = RoutesConfigDump.newBuilder();
        resources(status, TypeUrls.ROUTE).forEach(r -> routes.addDynamicRouteConfigs(
                RoutesConfigDump.DynamicRouteConfig.newBuilder().setVersionInfo(r.version()).setRouteConfig(r.body())));
        SecretsConfigDump.Builder secrets = SecretsConfigDump.newBuilder();
        resources(status, TypeUrls.SECRET).forEach(r -> secrets.addDynamicActiveSecrets(
                SecretsConfigDump.DynamicSecret.newBuilder().setName(r.name()).setVersionInfo(r.version())
                        .setSecret(Redaction.redact(r.body()))));
        // Istio's dump: each extension config (a WasmPlugin's filter) with the version of its response
        EcdsConfigDump.Builder ecds = EcdsConfigDump.newBuilder();
        resources(status, TypeUrls.EXTENSION_CONFIG).forEach(r -> ecds.addEcdsFilters(EcdsConfigDump.EcdsFilterConfig
                .newBuilder().setVersionInfo(version(status, TypeUrls.EXTENSION_CONFIG)).setEcdsFilter(Redaction.redact(r.body()))));
        ConfigDump.Builder dump = ConfigDump.newBuilder()
                .addConfigs(pack(BootstrapConfigDump.getDefaultInstance()))
                .addConfigs(pack(clusters.build()));
        if (includeEds) {
            EndpointsConfigDump.Builder endpoints = EndpointsConfigDump.newBuilder();
            resources(status, TypeUrls.ENDPOINT).forEach(r -> endpoints.addDynamicEndpointConfigs(
                    EndpointsConfigDump.DynamicEndpointConfig.newBuilder().setVersionInfo(r.version())
                            .setEndpointConfig(r.body())));
            dump.addConfigs(pack(endpoints.build()));
        }
        return dump.addConfigs(pack(listeners.build()))
                .addConfigs(pack(ScopedRoutesConfigDump.getDefaultInstance()))
                .addConfigs(pack(routes.build()))
                .addConfigs(pack(secrets.build()))
                .addConfigs(pack(ecds.build()))
                .build();
    }

    /**
     * Istio's {@code ?types=} form: the raw resources of the types asked for (short names such as {@code cds},
     * {@code eds} or type URLs), each redacted, one after the other.
     */
    public static ConfigDump ofTypes(ConnectionStatus status, Set<String> typeUrls) {
        ConfigDump.Builder dump = ConfigDump.newBuilder();
        for (String type : TypeUrls.PUSH_ORDER) {
            if (typeUrls.contains(type)) {
                resources(status, type).forEach(r -> dump.addConfigs(Redaction.redact(r.body())));
            }
        }
        return dump.build();
    }

    private static List<XdsResource> resources(ConnectionStatus status, String type) {
        ConnectionStatus.TypeStatus s = status.types().get(type);
        return s == null ? List.of() : s.resources();
    }

    private static String version(ConnectionStatus status, String type) {
        ConnectionStatus.TypeStatus s = status.types().get(type);
        return s == null ? "" : s.sentVersion();
    }

    private static Any pack(Message message) {
        return Any.pack(message);
    }
}
