package dev.mizzen.pilot.networking.telemetry;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.api.proxy.stats.MetricConfig;
import dev.mizzen.api.proxy.stats.PluginConfig;
import dev.mizzen.api.telemetry.Telemetry;
import dev.mizzen.pilot.model.MeshTelemetry;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLogFilter;
import io.envoyproxy.envoy.config.accesslog.v3.ExtensionFilter;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.JsonFormatOptions;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.Tracing;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.tracing.v3.CustomTag;
import io.envoyproxy.envoy.type.v3.Percent;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The telemetry of one proxy, by listener class, as Istio's proxy needs it (pilot/pkg/model/telemetry.go,
 * telemetry_logging.go, networking/core/tracing.go): the {@code istio.stats} filter of each Prometheus provider
 * with its overrides, the access logs of the providers that log (or the mesh's {@code accessLogFile}), and the
 * connection manager's tracing. Computed once per proxy group; immutable.
 */
public final class ProxyTelemetry {
    /** Istio's EnvoyTextLogFormat. */
    public static final String ENVOY_TEXT_LOG_FORMAT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% "
            + "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "
            + "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
            + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
            + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" %UPSTREAM_CLUSTER_RAW% "
            + "%UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% "
            + "%ROUTE_NAME%\n";
    /** Istio's EnvoyJSONLogFormatIstio, in its order. */
    static final Map<String, String> ENVOY_JSON_LOG_FORMAT = jsonFormat();
    private static final Map<String, String> PROMETHEUS_NAMES = Map.of(
            "REQUEST_COUNT", "requests_total", "REQUEST_DURATION", "request_duration_milliseconds",
            "REQUEST_SIZE", "request_bytes", "RESPONSE_SIZE", "response_bytes",
            "TCP_OPENED_CONNECTIONS", "tcp_connections_opened_total", "TCP_CLOSED_CONNECTIONS", "tcp_connections_closed_total",
            "TCP_SENT_BYTES", "tcp_sent_bytes_total", "TCP_RECEIVED_BYTES", "tcp_received_bytes_total",
            "GRPC_REQUEST_MESSAGES", "request_messages_total", "GRPC_RESPONSE_MESSAGES", "response_messages_total");

    private final Map<ListenerClass, List<HttpFilter>> httpStats = new EnumMap<>(ListenerClass.class);
    private final Map<ListenerClass, List<Filter>> tcpStats = new EnumMap<>(ListenerClass.class);
    private final Map<ListenerClass, List<AccessLog>> accessLogs = new EnumMap<>(ListenerClass.class);
    private final Map<ListenerClass, Optional<HttpConnectionManager.Tracing>> tracing = new EnumMap<>(ListenerClass.class);

    private ProxyTelemetry() {
    }

    /** @param serviceName the workload's canonical service and namespace, for tracers that name it */
    public static ProxyTelemetry of(TelemetryIndex.Applicable applicable, MeshTelemetry mesh, String serviceName) {
        ProxyTelemetry out = new ProxyTelemetry();
        List<Telemetry.Metrics> metrics = applicable.specs().stream().flatMap(t -> t.metrics().stream()).toList();
        List<List<Telemetry.AccessLogging>> logging = applicable.specs().stream().map(Telemetry::accessLogging)
                .filter(l -> !l.isEmpty()).toList();
        List<Telemetry.Tracing> traces = applicable.specs().stream().flatMap(t -> t.tracing().stream()).toList();
        Map<String, MetricsMerge.MetricsConfig> merged = MetricsMerge.merge(metrics, mesh);
        for (ListenerClass c : ListenerClass.values()) {
            Map<String, LogsMerge.LoggingSpec> logs = LogsMerge.merge(logging, mesh, c.mode());
            List<Any> stats = new ArrayList<>();
            // Istio walks the providers that log or count, sorted by name
            TreeSet<String> keys = new TreeSet<>(merged.keySet());
            logs.forEach((k, v) -> {
                if (!v.disabled()) {
                    keys.add(k);
                }
            });
            for (String key : keys) {
                Optional<MeshTelemetry.Provider> provider = mesh.provider(key);
                if (provider.isPresent() && provider.get().kind() == MeshTelemetry.Provider.Kind.PROMETHEUS
                        && merged.containsKey(key)) {
                    statsConfig(c, merged.get(key)).ifPresent(stats::add);
                }
            }
            out.httpStats.put(c, stats.stream().map(a -> HttpFilter.newBuilder().setName(IstioProxyFilters.STATS)
                    .setTypedConfig(a).build()).toList());
            out.tcpStats.put(c, stats.stream().map(a -> Filter.newBuilder().setName(IstioProxyFilters.STATS)
                    .setTypedConfig(a).build()).toList());
            out.accessLogs.put(c, accessLogs(logging, logs, mesh));
            out.tracing.put(c, TracingMerge.merge(traces, mesh, c.mode()).map(spec -> tracing(spec, mesh, serviceName)));
        }
        return out;
    }

    public List<HttpFilter> httpStats(ListenerClass c) {
        return httpStats.get(c);
    }

    public List<Filter> tcpStats(ListenerClass c) {
        return tcpStats.get(c);
    }

    public List<AccessLog> accessLogs(ListenerClass c) {
        return accessLogs.get(c);
    }

    public Optional<HttpConnectionManager.Tracing> tracing(ListenerClass c) {
        return tracing.get(c);
    }

    /** Istio's generateStatsConfig. */
    private static Optional<Any> statsConfig(ListenerClass c, MetricsMerge.MetricsConfig config) {
        MetricsMerge.ModeConfig mode = config.forClass(c);
        if (mode.disabled()) {
            return Optional.empty();
        }
        PluginConfig.Builder cfg = PluginConfig.newBuilder()
                .setDisableHostHeaderFallback(c == ListenerClass.SIDECAR_INBOUND || c == ListenerClass.GATEWAY);
        if (config.reportingInterval() != null) {
            cfg.setTcpReportingDuration(com.google.protobuf.Duration.newBuilder()
                    .setSeconds(config.reportingInterval().getSeconds()).setNanos(config.reportingInterval().getNano()));
        }
        for (MetricsMerge.Override o : mode.overrides()) {
            MetricConfig.Builder mc = MetricConfig.newBuilder()
                    .setName(PROMETHEUS_NAMES.getOrDefault(o.name(), o.name())).setDrop(o.disabled());
            for (MetricsMerge.Tag t : o.tags()) {
                if (t.remove()) {
                    mc.addTagsToRemove(t.name());
                } else {
                    mc.putDimensions(t.name(), t.value());
                }
            }
            cfg.addMetrics(mc);
        }
        return Optional.of(XdsResource.pack(cfg.build()));
    }

    /** Telemetry's loggers when any Telemetry or the mesh's defaults name one, else the mesh's accessLogFile. */
    private static List<AccessLog> accessLogs(List<List<Telemetry.AccessLogging>> logging,
                                              Map<String, LogsMerge.LoggingSpec> logs, MeshTelemetry mesh) {
        if (logging.isEmpty() && mesh.defaultAccessLogging().isEmpty()) {
            return mesh.accessLogFile().isEmpty() ? List.of() : List.of(fromMesh(mesh.accessLogFile(), mesh));
        }
        List<AccessLog> out = new ArrayList<>();
        new TreeSet<>(logs.keySet()).forEach(name -> {
            LogsMerge.LoggingSpec spec = logs.get(name);
            Optional<MeshTelemetry.Provider> provider = mesh.provider(name);
            if (spec.disabled() || provider.isEmpty()
                    || provider.get().kind() != MeshTelemetry.Provider.Kind.ENVOY_FILE_ACCESS_LOG) {
                return;
            }
            MeshTelemetry.Provider p = provider.get();
            AccessLog.Builder al = (p.name().equals("envoy") && p.textFormat().isEmpty() && p.labels().isEmpty()
                    ? fromMesh(p.path(), mesh) : fromProvider(p)).toBuilder();
            if (spec.filter() != null && !spec.filter().isEmpty()) {
                al.setFilter(AccessLogFilter.newBuilder().setExtensionFilter(ExtensionFilter.newBuilder()
                        .setName("envoy.access_loggers.extension_filters.cel")
                        .setTypedConfig(XdsResource.pack(ExpressionFilter.newBuilder().setExpression(spec.filter()).build()))));
            }
            out.add(al.build());
        });
        return out;
    }

    /** Istio's FileAccessLogFromMeshConfig: the mesh's format and encoding, Istio's defaults when unset. */
    private static AccessLog fromMesh(String path, MeshTelemetry mesh) {
        SubstitutionFormatString format;
        if (mesh.accessLogEncoding() == MeshTelemetry.Encoding.JSON) {
            format = json(ENVOY_JSON_LOG_FORMAT);
        } else {
            format = text(mesh.accessLogFormat().isEmpty() ? ENVOY_TEXT_LOG_FORMAT : withNewline(mesh.accessLogFormat()));
        }
        return fileLog(path, format);
    }

    /** Istio's fileAccessLogFromTelemetry. */
    private static AccessLog fromProvider(MeshTelemetry.Provider p) {
        String path = p.path().isEmpty() ? "/dev/stdout" : p.path();
        SubstitutionFormatString format = !p.labels().isEmpty() ? json(p.labels())
                : text(p.textFormat().isEmpty() ? ENVOY_TEXT_LOG_FORMAT : withNewline(p.textFormat()));
        return fileLog(path, format);
    }

    private static AccessLog fileLog(String path, SubstitutionFormatString format) {
        return AccessLog.newBuilder().setName("envoy.access_loggers.file")
                .setTypedConfig(XdsResource.pack(FileAccessLog.newBuilder().setPath(path).setLogFormat(format).build()))
                .build();
    }

    private static SubstitutionFormatString text(String format) {
        return SubstitutionFormatString.newBuilder()
                .setTextFormatSource(DataSource.newBuilder().setInlineString(format)).build();
    }

    private static SubstitutionFormatString json(Map<String, String> labels) {
        Struct.Builder struct = Struct.newBuilder();
        labels.forEach((k, v) -> struct.putFields(k, Value.newBuilder().setStringValue(v).build()));
        return SubstitutionFormatString.newBuilder().setJsonFormat(struct)
                .setJsonFormatOptions(JsonFormatOptions.newBuilder().setSortProperties(false)).build();
    }

    private static String withNewline(String format) {
        return format.endsWith("\n") ? format : format + "\n";
    }

    /** Istio's HCM tracing for Zipkin and OpenTelemetry providers; other providers are left out. */
    private static HttpConnectionManager.Tracing tracing(TracingMerge.TracingSpec spec, MeshTelemetry mesh,
                                                         String serviceName) {
        double sampling = spec.disabled() ? 0 : spec.randomSamplingPercentage() != null ? spec.randomSamplingPercentage()
                : mesh.defaultSamplingPercentage();
        HttpConnectionManager.Tracing.Builder t = HttpConnectionManager.Tracing.newBuilder()
                .setClientSampling(Percent.newBuilder().setValue(100))
                .setRandomSampling(Percent.newBuilder().setValue(sampling))
                .setOverallSampling(Percent.newBuilder().setValue(100));
        new TreeSet<>(spec.customTags().keySet()).forEach(name -> customTag(name, spec.customTags().get(name))
                .ifPresent(t::addCustomTags));
        spec.provider().flatMap(p -> provider(p, serviceName)).ifPresent(t::setProvider);
        return t.build();
    }

    private static Optional<Tracing.Http> provider(MeshTelemetry.Provider p, String serviceName) {
        String host = p.service().contains("/") ? p.service().substring(p.service().indexOf('/') + 1) : p.service();
        String cluster = "outbound|" + p.port() + "||" + host;
        return switch (p.kind()) {
            case ZIPKIN -> Optional.of(Tracing.Http.newBuilder().setName("envoy.tracers.zipkin")
                    .setTypedConfig(XdsResource.pack(ZipkinConfig.newBuilder().setCollectorCluster(cluster)
                            .setCollectorEndpoint("/api/v2/spans")
                            .setCollectorEndpointVersion(ZipkinConfig.CollectorEndpointVersion.HTTP_JSON)
                            .setCollectorHostname(host).setTraceId128Bit(true)
                            .setSharedSpanContext(com.google.protobuf.BoolValue.of(false)).build())).build());
            case OPENTELEMETRY -> Optional.of(Tracing.Http.newBuilder().setName("envoy.tracers.opentelemetry")
                    .setTypedConfig(XdsResource.pack(OpenTelemetryConfig.newBuilder()
                            .setGrpcService(GrpcService.newBuilder().setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder()
                                    .setClusterName(cluster).setAuthority(host)))
                            .setServiceName(serviceName).build())).build());
            default -> Optional.empty();
        };
    }

    private static Optional<CustomTag> customTag(String name, Telemetry.CustomTag tag) {
        CustomTag.Builder out = CustomTag.newBuilder().setTag(name);
        if (tag.literal() != null) {
            out.setLiteral(CustomTag.Literal.newBuilder().setValue(nz(tag.literal().value())));
        } else if (tag.environment() != null) {
            out.setEnvironment(CustomTag.Environment.newBuilder().setName(nz(tag.environment().name()))
                    .setDefaultValue(nz(tag.environment().defaultValue())));
        } else if (tag.header() != null) {
            out.setRequestHeader(CustomTag.Header.newBuilder().setName(nz(tag.header().name()))
                    .setDefaultValue(nz(tag.header().defaultValue())));
        } else {
            return Optional.empty();
        }
        return Optional.of(out.build());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static Map<String, String> jsonFormat() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("start_time", "%START_TIME%");
        m.put("route_name", "%ROUTE_NAME%");
        m.put("method", "%REQ(:METHOD)%");
        m.put("path", "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%");
        m.put("protocol", "%PROTOCOL%");
        m.put("response_code", "%RESPONSE_CODE%");
        m.put("response_flags", "%RESPONSE_FLAGS%");
        m.put("response_code_details", "%RESPONSE_CODE_DETAILS%");
        m.put("connection_termination_details", "%CONNECTION_TERMINATION_DETAILS%");
        m.put("bytes_received", "%BYTES_RECEIVED%");
        m.put("bytes_sent", "%BYTES_SENT%");
        m.put("duration", "%DURATION%");
        m.put("upstream_service_time", "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%");
        m.put("x_forwarded_for", "%REQ(X-FORWARDED-FOR)%");
        m.put("user_agent", "%REQ(USER-AGENT)%");
        m.put("request_id", "%REQ(X-REQUEST-ID)%");
        m.put("authority", "%REQ(:AUTHORITY)%");
        m.put("upstream_host", "%UPSTREAM_HOST%");
        m.put("upstream_cluster", "%UPSTREAM_CLUSTER_RAW%");
        m.put("upstream_local_address", "%UPSTREAM_LOCAL_ADDRESS%");
        m.put("downstream_local_address", "%DOWNSTREAM_LOCAL_ADDRESS%");
        m.put("downstream_remote_address", "%DOWNSTREAM_REMOTE_ADDRESS%");
        m.put("requested_server_name", "%REQUESTED_SERVER_NAME%");
        m.put("upstream_transport_failure_reason", "%UPSTREAM_TRANSPORT_FAILURE_REASON%");
        return java.util.Collections.unmodifiableMap(m);
    }
}
