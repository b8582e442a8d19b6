package dev.mizzen.pilot.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.api.config.Config;
import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.networking.envoy.EnvoyGenerator;
import dev.mizzen.pilot.push.PushRequest;
import dev.mizzen.pilot.testing.BookinfoRegistry;
import dev.mizzen.pilot.testing.IstioConfigs;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.ResponseQueue;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WasmPlugin as Istio's agent meets it on its ADS stream: the listeners name filters discovered over ECDS, the
 * agent asks for those names with the {@code TypedExtensionConfig} type and gets the Wasm config; a change of the
 * plugin sends a new ECDS response (the listeners, unchanged, are not sent again); a deleted plugin leaves the
 * listeners and, for the name still asked for, nothing.
 */
class WasmPluginAdsTest {
    private static final String NODE_ID = "sidecar~10.1.0.1~productpage-v1-abc.default~default.svc.cluster.local";
    private static final String PLUGIN = "extensions.istio.io/wasmplugin/default.header-rewrite";

    private AdsServer ads;
    private Server server;
    private ManagedChannel channel;
    private final ResponseQueue<DiscoveryResponse> responses = new ResponseQueue<>();
    private StreamObserver<DiscoveryRequest> requests;

    @BeforeEach
    void start() throws Exception {
        ads = new AdsServer(p -> Optional.of(new EnvoyGenerator()), Executors.newFixedThreadPool(2),
                new SimpleMeterRegistry(), XdsAccess.PLAINTEXT);
        ads.initialize(context(1, Optional.of("oci://ghcr.io/example/header-rewrite:1.0")));
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(ads).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(responses);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    /** Bookinfo, with the plugin at this URL (none when empty). */
    private static PushContext context(long version, Optional<String> url) {
        List<Config<?>> configs = url.<List<Config<?>>>map(u -> List.of(IstioConfigs.parse("""
                apiVersion: extensions.istio.io/v1alpha1
                kind: WasmPlugin
                metadata: {name: header-rewrite, namespace: default}
                spec:
                  selector: {matchLabels: {app: productpage}}
                  url: %s
                  phase: STATS
                  pluginConfig: {header: x-rewritten}
                """.formatted(u), "default", Instant.EPOCH))).orElse(List.of());
        return PushContext.build(version, MeshSettings.DEFAULT, BookinfoRegistry.snapshot(),
                new MemoryConfigStore(configs).snapshot());
    }

    private static DiscoveryRequest.Builder request(String type) {
        return DiscoveryRequest.newBuilder().setTypeUrl(type).setNode(Node.newBuilder().setId(NODE_ID)
                .setMetadata(Struct.newBuilder()
                        .putFields("NAMESPACE", Value.newBuilder().setStringValue("default").build())
                        .putFields("LABELS", Value.newBuilder().setStructValue(Struct.newBuilder()
                                .putFields("app", Value.newBuilder().setStringValue("productpage").build())).build())));
    }

    private void ack(DiscoveryResponse r, Iterable<String> names) {
        requests.onNext(request(r.getTypeUrl()).setResponseNonce(r.getNonce()).setVersionInfo(r.getVersionInfo())
                .addAllResourceNames(names).build());
    }

    /** The names of the filters the listeners discover over ECDS, as Istio's agent and Envoy collect them. */
    private static TreeSet<String> discovered(DiscoveryResponse listeners) throws Exception {
        TreeSet<String> names = new TreeSet<>();
        for (var any : listeners.getResourcesList()) {
            for (var chain : any.unpack(Listener.class).getFilterChainsList()) {
                for (var filter : chain.getFiltersList()) {
                    if (filter.hasConfigDiscovery()) {
                        names.add(filter.getName());
                    }
                    if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
                        filter.getTypedConfig().unpack(HttpConnectionManager.class).getHttpFiltersList().stream()
                                .filter(HttpFilter::hasConfigDiscovery).forEach(f -> names.add(f.getName()));
                    }
                }
            }
        }
        return names;
    }

    private static String moduleUrl(DiscoveryResponse ecds) throws Exception {
        assertThat(ecds.getTypeUrl()).isEqualTo(TypeUrls.EXTENSION_CONFIG);
        TypedExtensionConfig config = ecds.getResources(0).unpack(TypedExtensionConfig.class);
        assertThat(config.getName()).isEqualTo(PLUGIN);
        return config.getTypedConfig().unpack(Wasm.class).getConfig().getVmConfig().getCode().getRemote()
                .getHttpUri().getUri();
    }

    @Test
    void theAgentGetsThePluginsItsListenersNameAndEveryChangeOfThem() throws Exception {
        requests.onNext(request(TypeUrls.LISTENER).build());
        DiscoveryResponse listeners = responses.next();
        TreeSet<String> names = discovered(listeners);
        assertThat(names).containsExactly(PLUGIN);
        ack(listeners, List.of());

        requests.onNext(request(TypeUrls.EXTENSION_CONFIG).addAllResourceNames(names).build());
        DiscoveryResponse ecds = responses.next();
        assertThat(ecds.getResourcesCount()).isEqualTo(1);
        assertThat(moduleUrl(ecds)).isEqualTo("oci://ghcr.io/example/header-rewrite:1.0");
        ack(ecds, names);
        // what istioctl's config dump shows for it: the filter in Envoy's ECDS section
        var dump = dev.mizzen.pilot.xds.debug.ConfigDumps.of(ads.find(NODE_ID).orElseThrow(), false);
        var ecdsDump = dump.getConfigsList().stream()
                .filter(a -> a.is(io.envoyproxy.envoy.admin.v3.EcdsConfigDump.class)).findFirst().orElseThrow()
                .unpack(io.envoyproxy.envoy.admin.v3.EcdsConfigDump.class);
        assertThat(ecdsDump.getEcdsFiltersList()).singleElement().satisfies(f -> {
            assertThat(f.getVersionInfo()).isEqualTo(ecds.getVersionInfo());
            assertThat(f.getEcdsFilter().unpack(TypedExtensionConfig.class).getName()).isEqualTo(PLUGIN);
        });

        ads.push(context(2, Optional.of("oci://ghcr.io/example/header-rewrite:2.0")),
                PushRequest.config(ConfigKey.of(ConfigKind.WASM_PLUGIN, "default", "header-rewrite")));
        DiscoveryResponse changed = responses.next();
        assertThat(moduleUrl(changed)).as("only ECDS changed").isEqualTo("oci://ghcr.io/example/header-rewrite:2.0");
        assertThat(changed.getVersionInfo()).isNotEqualTo(ecds.getVersionInfo());
        ack(changed, names);

        ads.push(context(3, Optional.empty()),
                PushRequest.config(ConfigKey.of(ConfigKind.WASM_PLUGIN, "default", "header-rewrite")));
        DiscoveryResponse withoutPlugin = responses.next();
        assertThat(withoutPlugin.getTypeUrl()).isEqualTo(TypeUrls.LISTENER);
        assertThat(discovered(withoutPlugin)).isEmpty();
        DiscoveryResponse noConfig = responses.next();
        assertThat(noConfig.getTypeUrl()).isEqualTo(TypeUrls.EXTENSION_CONFIG);
        assertThat(noConfig.getResourcesList()).isEmpty();
    }

    @Test
    void aProxyTheyDoNotSelectGetsNothingForTheirNames() throws Exception {
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(TypeUrls.EXTENSION_CONFIG).addResourceNames(PLUGIN)
                .setNode(Node.newBuilder().setId("sidecar~10.1.0.9~reviews-v1-abc.default~default.svc.cluster.local")
                        .setMetadata(Struct.newBuilder().putFields("NAMESPACE",
                                Value.newBuilder().setStringValue("default").build()))).build());
        assertThat(responses.next().getResourcesList()).isEmpty();
    }
}
