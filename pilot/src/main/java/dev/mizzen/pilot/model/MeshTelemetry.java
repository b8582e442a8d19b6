package dev.mizzen.pilot.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The telemetry part of Istio's mesh config: the {@code extensionProviders} Telemetry resources name, the
 * {@code defaultProviders} that apply when none does, and the legacy {@code accessLogFile},
 * {@code accessLogFormat} and {@code accessLogEncoding}. {@link #ISTIO_DEFAULT} is what a default Istio install
 * has: Prometheus metrics on, the built-in {@code envoy} file logger known but not enabled.
 */
public record MeshTelemetry(List<Provider> providers, List<String> defaultMetrics, List<String> defaultAccessLogging,
                            List<String> defaultTracing, String accessLogFile, String accessLogFormat,
                            Encoding accessLogEncoding, double defaultSamplingPercentage) {
    public static final MeshTelemetry ISTIO_DEFAULT = new MeshTelemetry(
            List.of(Provider.prometheus("prometheus"), Provider.of("stackdriver", Provider.Kind.STACKDRIVER),
                    Provider.fileAccessLog("envoy", "/dev/stdout", "", Map.of())),
            List.of("prometheus"), List.of(), List.of(), "", "", Encoding.TEXT, 1.0);

    /** How the legacy mesh access log is written. */
    public enum Encoding { TEXT, JSON }

    public MeshTelemetry {
        providers = List.copyOf(providers);
        defaultMetrics = List.copyOf(defaultMetrics);
        defaultAccessLogging = List.copyOf(defaultAccessLogging);
        defaultTracing = List.copyOf(defaultTracing);
        accessLogFile = accessLogFile == null ? "" : accessLogFile;
        accessLogFormat = accessLogFormat == null ? "" : accessLogFormat;
        Objects.requireNonNull(accessLogEncoding, "accessLogEncoding");
    }

    /** Istio's fetchProvider: by name, ignoring case. */
    public Optional<Provider> provider(String name) {
        return providers.stream().filter(p -> p.name().equalsIgnoreCase(name)).findFirst();
    }

    public MeshTelemetry withProviders(List<Provider> newProviders) {
        return new MeshTelemetry(newProviders, defaultMetrics, defaultAccessLogging, defaultTracing, accessLogFile,
                accessLogFormat, accessLogEncoding, defaultSamplingPercentage);
    }

    public MeshTelemetry withDefaults(List<String> metrics, List<String> accessLogging, List<String> tracing) {
        return new MeshTelemetry(providers, metrics, accessLogging, tracing, accessLogFile, accessLogFormat,
                accessLogEncoding, defaultSamplingPercentage);
    }

    public MeshTelemetry withAccessLog(String file, String format, Encoding encoding) {
        return new MeshTelemetry(providers, defaultMetrics, defaultAccessLogging, defaultTracing, file, format, encoding,
                defaultSamplingPercentage);
    }

    /**
     * One {@code meshConfig.extensionProviders[]} entry of a telemetry kind.
     *
     * @param path       envoyFileAccessLog: the file ({@code /dev/stdout} when empty)
     * @param textFormat envoyFileAccessLog: {@code logFormat.text}; empty for Istio's default
     * @param labels     envoyFileAccessLog: {@code logFormat.labels} (JSON encoding when set)
     * @param service    zipkin/opentelemetry: {@code [<namespace>/]<host>} of the collector
     */
    public record Provider(String name, Kind kind, String path, String textFormat, Map<String, String> labels,
                           String service, int port, int maxTagLength) {
        public enum Kind { PROMETHEUS, STACKDRIVER, ENVOY_FILE_ACCESS_LOG, ZIPKIN, OPENTELEMETRY }

        public Provider {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            path = path == null ? "" : path;
            textFormat = textFormat == null ? "" : textFormat;
            service = service == null ? "" : service;
        }

        public static Provider of(String name, Kind kind) {
            return new Provider(name, kind, "", "", Map.of(), "", 0, 0);
        }

        public static Provider prometheus(String name) {
            return of(name, Kind.PROMETHEUS);
        }

        public static Provider fileAccessLog(String name, String path, String textFormat, Map<String, String> labels) {
            return new Provider(name, Kind.ENVOY_FILE_ACCESS_LOG, path, textFormat, labels, "", 0, 0);
        }

        public static Provider tracer(String name, Kind kind, String service, int port) {
            return new Provider(name, kind, "", "", Map.of(), service, port, 0);
        }
    }
}
