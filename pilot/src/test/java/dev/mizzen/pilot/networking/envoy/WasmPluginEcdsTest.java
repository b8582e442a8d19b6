package dev.mizzen.pilot.networking.envoy;

import com.google.protobuf.StringValue;
import dev.mizzen.api.config.Config;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.networking.pgv.PgvValidator;
import dev.mizzen.pilot.testing.BookinfoRegistry;
import dev.mizzen.pilot.testing.EnvoyConfig;
import dev.mizzen.pilot.testing.IstioConfigs;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.XdsJson;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.TypeUrls;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.wasm.v3.FailurePolicy;
import io.envoyproxy.envoy.extensions.wasm.v3.PluginConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WasmPlugins become ECDS: an HTTP filter discovered over ADS in the listener, placed by phase and priority, and a
 * {@code TypedExtensionConfig} of the same name holding the Wasm config Istio's agent rewrites (module URL, pull
 * policy, resource version) before Envoy sees it.
 */
class WasmPluginEcdsTest {
    static PushSnapshot push(String... resources) {
        List<Config<?>> configs = IstioConfigs.load("default", resources);
        return PushSnapshot.fresh(PushContext.build(1, MeshSettings.DEFAULT, BookinfoRegistry.snapshot(),
                new MemoryConfigStore(configs).snapshot()));
    }

    @Test
    void basicAuthAtTheGatewayIsAnAuthnFilterFromEcds() throws Exception {
        PushSnapshot push = push("istio/bookinfo/networking/bookinfo-gateway.yaml", "istio/samples/wasm/basic-auth.yaml");
        EnvoyConfig gateway = EnvoyConfig.of(EnvoyGeneratorTest.GATEWAY, push);

        HttpConnectionManager hcm = EnvoyFilterSamplesTest.hcms(gateway.listener("0.0.0.0_8080")).get(0);
        assertThat(hcm.getHttpFiltersList()).extracting(HttpFilter::getName)
                .containsSubsequence("istio.metadata_exchange", "extensions.istio.io/wasmplugin/istio-system.basic-auth", "envoy.filters.http.router");
        HttpFilter wasm = hcm.getHttpFiltersList().stream().filter(f -> f.getName().equals("extensions.istio.io/wasmplugin/istio-system.basic-auth"))
                .findFirst().orElseThrow();
        assertThat(wasm.getConfigDiscovery().getTypeUrlsList()).containsExactly(
                "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
                "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC");
        assertThat(wasm.getConfigDiscovery().getConfigSource().hasAds()).isTrue();
        assertThat(wasm.getConfigDiscovery().getConfigSource().getInitialFetchTimeout().getSeconds()).isZero();

        List<XdsResource> ecds = new EnvoyGenerator().generate(EnvoyGeneratorTest.GATEWAY, push, TypeUrls.EXTENSION_CONFIG,
                Set.of("extensions.istio.io/wasmplugin/istio-system.basic-auth", "no-such-plugin"));
        XdsJson.assertGolden("wasm/gateway-basic-auth.ecds.golden.json", XdsJson.print(ecds));
        TypedExtensionConfig ec = ecds.get(0).body().unpack(TypedExtensionConfig.class);
        PluginConfig config = ec.getTypedConfig().unpack(Wasm.class).getConfig();
        assertThat(ec.getName()).isEqualTo("extensions.istio.io/wasmplugin/istio-system.basic-auth");
        assertThat(config.getVmConfig().getCode().getRemote().getHttpUri().getUri())
                .isEqualTo("oci://ghcr.io/istio-ecosystem/wasm-extensions/basic_auth:1.12.0");
        assertThat(config.getVmConfig().getRuntime()).isEqualTo("envoy.wasm.runtime.v8");
        assertThat(config.getConfiguration().unpack(StringValue.class).getValue()).contains("basic_auth_rules");
        assertThat(ecds).hasSize(1);
        // Envoy never sees this remote source: Istio's agent fetches the module and rewrites it to a local file
        // (so an empty sha256 is fine here, as in Istio); what Envoy does see, the listener, is valid
        PgvValidator.forEnvoy().validate(gateway.listener("0.0.0.0_8080")).assertValid();
        // the sidecars are not selected
        assertThat(new EnvoyGenerator().generate(EnvoyGeneratorTest.PRODUCTPAGE, push, TypeUrls.EXTENSION_CONFIG,
                Set.of("extensions.istio.io/wasmplugin/istio-system.basic-auth"))).isEmpty();
    }

    @Test
    void phasePriorityModePortAndTheAgentsFieldsAreIstios() throws Exception {
        PushSnapshot push = push("istio/samples/wasm/productpage-plugins.yaml");
        EnvoyConfig sidecar = EnvoyConfig.of(EnvoyGeneratorTest.PRODUCTPAGE, push);

        HttpConnectionManager inbound = EnvoyFilterSamplesTest.hcms(sidecar.listener("virtualInbound")).get(0);
        assertThat(inbound.getHttpFiltersList()).extracting(HttpFilter::getName).containsSubsequence(
                "istio.metadata_exchange", "extensions.istio.io/wasmplugin/default.authz-server", "extensions.istio.io/wasmplugin/default.stats-high", "extensions.istio.io/wasmplugin/default.stats-low", "istio.stats",
                "envoy.filters.http.router");
        HttpConnectionManager outbound = EnvoyFilterSamplesTest.hcms(sidecar.listener("0.0.0.0_9080")).get(0);
        assertThat(outbound.getHttpFiltersList()).extracting(HttpFilter::getName)
                .contains("extensions.istio.io/wasmplugin/default.stats-high", "extensions.istio.io/wasmplugin/default.stats-low").doesNotContain("extensions.istio.io/wasmplugin/default.authz-server");

        List<XdsResource> ecds = new EnvoyGenerator().generate(EnvoyGeneratorTest.PRODUCTPAGE, push,
                TypeUrls.EXTENSION_CONFIG, Set.of("extensions.istio.io/wasmplugin/default.authz-server", "extensions.istio.io/wasmplugin/default.stats-low", "extensions.istio.io/wasmplugin/default.stats-high"));
        XdsJson.assertGolden("wasm/productpage-plugins.ecds.golden.json", XdsJson.print(ecds));
        PluginConfig authz = ecds.stream().filter(r -> r.name().equals("extensions.istio.io/wasmplugin/default.authz-server")).findFirst().orElseThrow()
                .body().unpack(TypedExtensionConfig.class).getTypedConfig().unpack(Wasm.class).getConfig();
        assertThat(authz.getFailurePolicy()).isEqualTo(FailurePolicy.FAIL_OPEN);
        assertThat(authz.getName()).isEqualTo("default.authz-server");
        assertThat(authz.getRootId()).isEqualTo("authz_root");
        assertThat(authz.getVmConfig().getEnvironmentVariables().getKeyValuesMap())
                .containsEntry("ISTIO_META_WASM_IMAGE_PULL_POLICY", "Always").containsEntry("TIER", "gold")
                .containsEntry("ISTIO_META_WASM_PLUGIN_RESOURCE_VERSION", "1");
        assertThat(authz.getVmConfig().getEnvironmentVariables().getHostEnvKeysList()).containsExactly("POD_NAME");
        PluginConfig low = ecds.stream().filter(r -> r.name().equals("extensions.istio.io/wasmplugin/default.stats-low")).findFirst().orElseThrow()
                .body().unpack(TypedExtensionConfig.class).getTypedConfig().unpack(Wasm.class).getConfig();
        assertThat(low.getVmConfig().getCode().getRemote().getHttpUri().getUri()).isEqualTo("oci://ghcr.io/example/stats:1.0");
        assertThat(low.getFailurePolicy()).as("FAIL_CLOSE by default").isEqualTo(FailurePolicy.FAIL_CLOSED);
    }

    @Test
    void eachPhaseLandsWhereIstioAppendsIt() throws Exception {
        PushSnapshot push = push("wasm/phases-with-policies.yaml");
        EnvoyConfig sidecar = EnvoyConfig.of(EnvoyGeneratorTest.PRODUCTPAGE, push);
        String prefix = "extensions.istio.io/wasmplugin/default.";

        HttpConnectionManager inbound = EnvoyFilterSamplesTest.hcms(sidecar.listener("virtualInbound")).get(0);
        // Istio's buildHTTPConnectionManager: mx, AUTHN, jwt_authn, AUTHZ, RBAC, STATS and unspecified, (fault, cors,) stats
        assertThat(inbound.getHttpFiltersList()).extracting(HttpFilter::getName).containsSubsequence(
                "istio.metadata_exchange", prefix + "authn", "envoy.filters.http.jwt_authn", prefix + "authz",
                "envoy.filters.http.rbac", prefix + "unspecified", "istio.stats",
                "envoy.filters.http.router");
        // the network plugin: before the connection manager of the inbound HTTP chain, on the server side only
        io.envoyproxy.envoy.config.listener.v3.FilterChain chain = sidecar.listener("virtualInbound").getFilterChainsList()
                .stream().filter(c -> c.getFiltersList().stream().anyMatch(f -> f.getName().equals(prefix + "tcp-authz")))
                .findFirst().orElseThrow();
        List<String> names = chain.getFiltersList().stream().map(io.envoyproxy.envoy.config.listener.v3.Filter::getName).toList();
        assertThat(names.indexOf(prefix + "tcp-authz")).isLessThan(names.indexOf("envoy.filters.network.http_connection_manager"));
        assertThat(chain.getFiltersList().get(names.indexOf(prefix + "tcp-authz")).getConfigDiscovery().getTypeUrlsList())
                .containsExactly("type.googleapis.com/envoy.extensions.filters.network.wasm.v3.Wasm",
                        "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC");
        assertThat(sidecar.listener("0.0.0.0_9080").getFilterChainsList()).allSatisfy(c -> assertThat(c.getFiltersList())
                .extracting(io.envoyproxy.envoy.config.listener.v3.Filter::getName).doesNotContain(prefix + "tcp-authz"));
        for (var l : List.of(sidecar.listener("virtualInbound"), sidecar.listener("0.0.0.0_9080"))) {
            PgvValidator.forEnvoy().validate(l).assertValid();
        }

        TypedExtensionConfig tcp = new EnvoyGenerator().generate(EnvoyGeneratorTest.PRODUCTPAGE, push,
                TypeUrls.EXTENSION_CONFIG, Set.of(prefix + "tcp-authz")).get(0).body().unpack(TypedExtensionConfig.class);
        assertThat(tcp.getTypedConfig().is(io.envoyproxy.envoy.extensions.filters.network.wasm.v3.Wasm.class)).isTrue();
    }

    @Test
    void anEnvoyFilterCanAddAnExtensionConfig() throws Exception {
        PushSnapshot push = push("envoyfilter/wasm-extension-config.yaml");
        List<XdsResource> ecds = new EnvoyGenerator().generate(EnvoyGeneratorTest.PRODUCTPAGE, push,
                TypeUrls.EXTENSION_CONFIG, Set.of("my-wasm-extension"));

        assertThat(ecds).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("my-wasm-extension"));
        HttpConnectionManager inbound = EnvoyFilterSamplesTest.hcms(EnvoyConfig.of(EnvoyGeneratorTest.PRODUCTPAGE, push)
                .listener("virtualInbound")).get(0);
        assertThat(inbound.getHttpFiltersList()).extracting(HttpFilter::getName).contains("my-wasm-extension");
    }
}
