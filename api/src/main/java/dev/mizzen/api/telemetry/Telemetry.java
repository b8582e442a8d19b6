package dev.mizzen.api.telemetry;

import dev.mizzen.api.config.Copies;

import dev.mizzen.api.security.PolicyTargetReference;
import dev.mizzen.api.security.WorkloadSelector;

import java.util.List;
import java.util.Map;

/**
 * Istio's {@code Telemetry} ({@code telemetry.istio.io}): tracing, metrics and access logging for the workloads
 * a selector or target references pick, mesh-wide in the root namespace, namespace-wide without either.
 * Providers are named by {@code meshConfig.extensionProviders}; an empty list means the mesh's defaults.
 */
public record Telemetry(WorkloadSelector selector, PolicyTargetReference targetRef,
                        List<PolicyTargetReference> targetRefs, List<Tracing> tracing, List<Metrics> metrics,
                        List<AccessLogging> accessLogging) {
    public Telemetry {
        targetRefs = Copies.list(targetRefs);
        tracing = Copies.list(tracing);
        metrics = Copies.list(metrics);
        accessLogging = Copies.list(accessLogging);
    }

    public record ProviderRef(String name) {
    }

    /** {@code CLIENT}, {@code SERVER} or {@code CLIENT_AND_SERVER} (the default). */
    public record WorkloadModeSelector(String mode) {
    }

    public record Tracing(WorkloadModeSelector match, List<ProviderRef> providers, Double randomSamplingPercentage,
                          Boolean disableSpanReporting, Map<String, CustomTag> customTags,
                          Boolean useRequestIdForTraceSampling, Boolean enableIstioTags,
                          Boolean disableContextPropagation) {
        public Tracing {
            providers = Copies.list(providers);
            customTags = Copies.map(customTags);
        }
    }

    /** One of a literal, an environment variable, a request header or a formatter. */
    public record CustomTag(Literal literal, Environment environment, RequestHeader header, Formatter formatter) {
    }

    public record Literal(String value) {
    }

    public record Environment(String name, String defaultValue) {
    }

    public record RequestHeader(String name, String defaultValue) {
    }

    public record Formatter(String value) {
    }

    public record Metrics(List<ProviderRef> providers, List<MetricsOverrides> overrides, String reportingInterval) {
        public Metrics {
            providers = Copies.list(providers);
            overrides = Copies.list(overrides);
        }
    }

    public record MetricsOverrides(MetricSelector match, Boolean disabled, Map<String, TagOverride> tagOverrides) {
        public MetricsOverrides {
            tagOverrides = Copies.map(tagOverrides);
        }
    }

    /** One of Istio's standard metrics ({@code REQUEST_COUNT}, ... or {@code ALL_METRICS}) or a custom one. */
    public record MetricSelector(String metric, String customMetric, String mode) {
    }

    /** {@code UPSERT} (the default) a tag to a CEL expression, or {@code REMOVE} it. */
    public record TagOverride(String operation, String value) {
    }

    public record AccessLogging(WorkloadModeSelector match, List<ProviderRef> providers, Boolean disabled,
                                Filter filter) {
        public AccessLogging {
            providers = Copies.list(providers);
        }
    }

    /** A CEL expression over Envoy's attributes: only matching requests are logged. */
    public record Filter(String expression) {
    }
}
