package dev.mizzen.pilot.networking.envoy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mizzen.api.config.Config;
import dev.mizzen.api.proxy.stats.MetricConfig;
import dev.mizzen.api.proxy.stats.PluginConfig;
import dev.mizzen.pilot.model.MeshSettings;
import dev.mizzen.pilot.model.MeshTelemetry;
import dev.mizzen.pilot.model.Proxy;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.networking.pgv.PgvValidator;
import dev.mizzen.pilot.networking.telemetry.ProxyTelemetry;
import dev.mizzen.pilot.testing.BookinfoRegistry;
import dev.mizzen.pilot.testing.EnvoyConfig;
import dev.mizzen.pilot.testing.IstioConfigs;
import dev.mizzen.pilot.testing.MemoryConfigStore;
import dev.mizzen.pilot.testing.XdsJson;
import dev.mizzen.pilot.xds.PushSnapshot;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Istio's telemetry on Bookinfo's proxies, as Istio's documentation configures it (istio/samples/telemetry, see
 * istio/SOURCES.txt): metadata exchange and the stats filter by default, access logs from Telemetry with the
 * default format, filters and per-mode disabling, metric overrides, and Zipkin tracing.
 */
class TelemetrySamplesTest {
    private static final String SAMPLES = "istio/samples/telemetry/";
    static final Proxy PRODUCTPAGE = EnvoyGeneratorTest.PRODUCTPAGE;
    static final Proxy GATEWAY = EnvoyGeneratorTest.GATEWAY;

    static PushSnapshot push(MeshSettings mesh, String... resources) {
        List<Config<?>> configs = IstioConfigs.load("default", resources);
        return PushSnapshot.fresh(PushContext.build(1, mesh, BookinfoRegistry.snapshot(),
                new MemoryConfigStore(configs).snapshot()));
    }

    @Test
    void byDefaultEveryConnectionManagerExchangesMetadataAndCountsAsIstiosProxyExpects() throws Exception {
        EnvoyConfig sidecar = EnvoyConfig.of(PRODUCTPAGE, push(MeshSettings.DEFAULT));
        EnvoyConfig gateway = EnvoyConfig.of(GATEWAY, push(MeshSettings.DEFAULT, "istio/bookinfo/networking/bookinfo-gateway.yaml"));

        assertThat(httpFilterNames(sidecar.listener("0.0.0.0_9080"))).first().isEqualTo("istio.metadata_exchange");
        HttpConnectionManager inbound = hcms(sidecar.listener("virtualInbound")).get(0);
        assertThat(inbound.getHttpFiltersList()).extracting(HttpFilter::getName)
                .startsWith("istio.metadata_exchange").endsWith("istio.stats", "envoy.filters.http.router");
        assertThat(stats(inbound).getDisableHostHeaderFallback()).isTrue();
        assertThat(stats(hcms(sidecar.listener("0.0.0.0_9080")).get(0)).getDisableHostHeaderFallback()).isFalse();
        assertThat(stats(hcms(gateway.listener("0.0.0.0_8080")).get(0)).getDisableHostHeaderFallback()).isTrue();
        // TCP: stats before every tcp_proxy, metadata exchange first on the inbound side
        assertThat(sidecar.listener("virtualInbound").getFilterChainsList()).filteredOn(c -> c.getFiltersList().stream()
                .anyMatch(f -> f.getName().equals("envoy.filters.network.tcp_proxy"))).isNotEmpty().allSatisfy(c ->
                assertThat(c.getFiltersList()).extracting(Filter::getName).startsWith("istio.metadata_exchange")
                        .endsWith("istio.stats", "envoy.filters.network.tcp_proxy"));
        assertThat(sidecar.listener("virtualOutbound").getFilterChains(0).getFiltersList()).extracting(Filter::getName)
                .containsExactly("istio.stats", "envoy.filters.network.tcp_proxy");
        assertThat(inbound.getAccessLogList()).isEmpty();
        assertValid(sidecar);
    }

    @Test
    void meshWideEnvoyLoggingWritesIstiosDefaultFormatToStdoutFromEveryProxy() throws Exception {
        EnvoyConfig sidecar = EnvoyConfig.of(PRODUCTPAGE, push(MeshSettings.DEFAULT, SAMPLES + "mesh-logging-default.yaml"));

        XdsJson.assertGolden("telemetry/productpage-mesh-logging-default.golden.json", XdsJson.print(sidecar.listeners()));
        FileAccessLog log = fileLog(hcms(sidecar.listener("virtualInbound")).get(0).getAccessLog(0));
        assertThat(log.getPath()).isEqualTo("/dev/stdout");
        assertThat(log.getLogFormat().getTextFormatSource().getInlineString()).isEqualTo(ProxyTelemetry.ENVOY_TEXT_LOG_FORMAT);
        TcpProxy passthrough = tcpProxy(sidecar.listener("virtualOutbound").getFilterChains(0));
        assertThat(passthrough.getAccessLogCount()).isEqualTo(1);
        assertValid(sidecar);
    }

    @Test
    void theMeshsJsonEncodingUsesIstiosJsonLabels() throws Exception {
        MeshSettings mesh = MeshSettings.DEFAULT.withTelemetry(MeshTelemetry.ISTIO_DEFAULT
                .withAccessLog("/dev/stdout", "", MeshTelemetry.Encoding.JSON));
        EnvoyConfig sidecar = EnvoyConfig.of(PRODUCTPAGE, push(mesh));

        FileAccessLog log = fileLog(hcms(sidecar.listener("virtualInbound")).get(0).getAccessLog(0));
        assertThat(log.getLogFormat().getJsonFormat().getFieldsMap()).containsEntry("response_code",
                com.google.protobuf.Value.newBuilder().setStringValue("%RESPONSE_CODE%").build()).hasSize(24);
    }

    @Test
    void aWorkloadCanTurnOffItsServerSideLogsOnly() throws Exception {
        EnvoyConfig sidecar = EnvoyConfig.of(PRODUCTPAGE, push(MeshSettings.DEFAULT, SAMPLES + "mesh-logging-default.yaml",
                SAMPLES + "disable-productpage-server-logging.yaml"));

        assertThat(hcms(sidecar.listener("virtualInbound"))).allSatisfy(h -> assertThat(h.getAccessLogList()).isEmpty());
        assertThat(hcms(sidecar.listener("0.0.0.0_9080")).get(0).getAccessLogList()).hasSize(1);
    }

    @Test
    void aFilterExpressionBecomesEnvoysCelFilter() throws Exception {
        EnvoyConfig sidecar = EnvoyConfig.of(PRODUCTPAGE, push(MeshSettings.DEFAULT, SAMPLES + "default-exception-logging.yaml"));

        AccessLog log = hcms(sidecar.listener("0.0.0.0_9080")).get(0).getAccessLog(0);
        assertThat(log.getFilter().getExtensionFilter().getName()).isEqualTo("envoy.access_loggers.extension_filters.cel");
        assertThat(log.getFilter().getExtensionFilter().getTypedConfig().unpack(ExpressionFilter.class).getExpression())
                .startsWith("response.code >= 400");
        assertValid(sidecar);
    }

    @Test
    void metricOverridesReachTheStatsFilterByMode() throws Exception {
        EnvoyConfig sidecar = EnvoyConfig.of(PRODUCTPAGE, push(MeshSettings.DEFAULT, SAMPLES + "metrics-overrides.yaml"));

        PluginConfig client = stats(hcms(sidecar.listener("0.0.0.0_9080")).get(0));
        PluginConfig server = stats(hcms(sidecar.listener("virtualInbound")).get(0));
        assertThat(client.getMetricsList()).filteredOn(m -> m.getName().equals("requests_total")).singleElement()
                .satisfies(m -> assertThat(m.getDrop()).isTrue());
        assertThat(client.getMetricsList()).filteredOn(m -> m.getName().equals("request_bytes")).singleElement()
                .satisfies(m -> assertThat(m.getTagsToRemoveList()).containsExactly("grpc_response_status"));
        assertThat(server.getMetricsList()).filteredOn(m -> m.getName().equals("requests_total")).singleElement()
                .satisfies(m -> {
                    assertThat(m.getDrop()).isFalse();
                    assertThat(m.getDimensionsMap()).containsEntry("request_host", "request.host");
                    assertThat(m.getTagsToRemoveList()).containsExactly("grpc_response_status");
                });
        assertThat(server.getMetricsList()).extracting(MetricConfig::getName).hasSize(10).first().isEqualTo("request_messages_total");
    }

    @Test
    void zipkinTracingSamplesWhatTheTelemetrySaysWithItsTags() throws Exception {
        MeshSettings mesh = MeshSettings.DEFAULT.withTelemetry(MeshTelemetry.ISTIO_DEFAULT.withProviders(List.of(
                MeshTelemetry.Provider.prometheus("prometheus"), MeshTelemetry.Provider.tracer("zipkin",
                        MeshTelemetry.Provider.Kind.ZIPKIN, "zipkin.istio-system.svc.cluster.local", 9411))));
        EnvoyConfig sidecar = EnvoyConfig.of(PRODUCTPAGE, push(mesh, SAMPLES + "tracing-zipkin.yaml"));

        HttpConnectionManager.Tracing tracing = hcms(sidecar.listener("0.0.0.0_9080")).get(0).getTracing();
        assertThat(tracing.getRandomSampling().getValue()).isEqualTo(100.0);
        assertThat(tracing.getCustomTags(0).getLiteral().getValue()).isEqualTo("zipkin");
        assertThat(tracing.getProvider().getName()).isEqualTo("envoy.tracers.zipkin");
        assertThat(tracing.getProvider().getTypedConfig().unpack(ZipkinConfig.class).getCollectorCluster())
                .isEqualTo("outbound|9411||zipkin.istio-system.svc.cluster.local");
        assertValid(sidecar);
    }

    private static void assertValid(EnvoyConfig config) throws InvalidProtocolBufferException {
        List<com.google.protobuf.Message> all = new ArrayList<>();
        for (XdsResource r : config.listeners()) {
            all.add(r.body().unpack(Listener.class));
        }
        PgvValidator.forEnvoy().validateAll(all).assertValid();
    }

    private static PluginConfig stats(HttpConnectionManager hcm) throws InvalidProtocolBufferException {
        return hcm.getHttpFiltersList().stream().filter(f -> f.getName().equals("istio.stats")).findFirst().orElseThrow()
                .getTypedConfig().unpack(PluginConfig.class);
    }

    private static FileAccessLog fileLog(AccessLog log) throws InvalidProtocolBufferException {
        return log.getTypedConfig().unpack(FileAccessLog.class);
    }

    private static TcpProxy tcpProxy(io.envoyproxy.envoy.config.listener.v3.FilterChain chain) throws InvalidProtocolBufferException {
        return chain.getFilters(chain.getFiltersCount() - 1).getTypedConfig().unpack(TcpProxy.class);
    }

    private static List<String> httpFilterNames(Listener listener) {
        return hcms(listener).get(0).getHttpFiltersList().stream().map(HttpFilter::getName).toList();
    }

    private static List<HttpConnectionManager> hcms(Listener listener) {
        return EnvoyFilterSamplesTest.hcms(listener);
    }

    @SuppressWarnings("unused")
    private static final Map<String, String> NONE = Map.of();
}
