package dev.mizzen.galley.validation;

import dev.mizzen.api.telemetry.Telemetry;
import dev.mizzen.api.telemetry.Telemetry.ProviderRef;

import java.util.List;
import java.util.Set;

/**
 * Telemetry (Istio's ValidateTelemetry): one way to pick workloads, providers named, a sampling percentage in
 * 0..100, custom tags and tag overrides that say what they set. CEL filter expressions and tag values are
 * checked by Envoy, not here, as in Istio.
 */
final class TelemetryValidator implements KindValidator<Telemetry> {
    private static final Set<String> MODES = Set.of("CLIENT_AND_SERVER", "CLIENT", "SERVER");
    private static final Set<String> OPERATIONS = Set.of("UPSERT", "REMOVE");

    @Override
    public void validate(Telemetry telemetry, String namespace, Findings out) {
        FieldPath spec = FieldPath.SPEC;
        PolicyTargets.check(out, telemetry.selector(), telemetry.targetRef(), telemetry.targetRefs());
        metrics(out, spec.field("metrics"), telemetry.metrics());
        tracing(out, spec.field("tracing"), telemetry.tracing());
        for (int i = 0; i < telemetry.accessLogging().size(); i++) {
            Telemetry.AccessLogging logging = telemetry.accessLogging().get(i);
            FieldPath at = spec.field("accessLogging").index(i);
            providers(out, at.field("providers"), logging.providers());
            if (logging.match() != null) {
                Enums.check(out, at.field("match").field("mode"), logging.match().mode(), MODES);
            }
        }
    }

    private static void tracing(Findings out, FieldPath at, List<Telemetry.Tracing> tracing) {
        if (tracing.size() > 1) {
            out.warning(at, "multiple tracing is not currently supported");
        }
        for (int i = 0; i < tracing.size(); i++) {
            Telemetry.Tracing t = tracing.get(i);
            FieldPath p = at.index(i);
            if (t.providers().size() > 1) {
                out.warning(p.field("providers"), "multiple providers is not currently supported");
            }
            providers(out, p.field("providers"), t.providers());
            if (t.randomSamplingPercentage() != null
                    && (t.randomSamplingPercentage() < 0 || t.randomSamplingPercentage() > 100)) {
                out.error(p.field("randomSamplingPercentage"), "randomSamplingPercentage must be in range [0.0, 100.0]");
            }
            t.customTags().forEach((name, tag) -> {
                FieldPath tp = p.field("customTags").key(name);
                if (name.isEmpty()) {
                    out.error(tp, "tag name may not be empty");
                }
                if (tag.literal() != null && (tag.literal().value() == null || tag.literal().value().isEmpty())) {
                    out.error(tp.field("literal").field("value"), "literal tag value may not be empty");
                } else if (tag.header() != null && (tag.header().name() == null || tag.header().name().isEmpty())) {
                    out.error(tp.field("header").field("name"), "header tag name may not be empty");
                } else if (tag.environment() != null
                        && (tag.environment().name() == null || tag.environment().name().isEmpty())) {
                    out.error(tp.field("environment").field("name"), "environment tag name may not be empty");
                }
            });
            if (t.match() != null) {
                Enums.check(out, p.field("match").field("mode"), t.match().mode(), MODES);
            }
        }
    }

    private static void metrics(Findings out, FieldPath at, List<Telemetry.Metrics> metrics) {
        for (int i = 0; i < metrics.size(); i++) {
            Telemetry.Metrics m = metrics.get(i);
            FieldPath p = at.index(i);
            providers(out, p.field("providers"), m.providers());
            for (int j = 0; j < m.overrides().size(); j++) {
                Telemetry.MetricsOverrides o = m.overrides().get(j);
                FieldPath op = p.field("overrides").index(j);
                o.tagOverrides().forEach((tag, override) -> {
                    FieldPath tp = op.field("tagOverrides").key(tag);
                    if (tag.isEmpty()) {
                        out.warning(tp, "tagOverrides.name may not be empty");
                    }
                    Enums.check(out, tp.field("operation"), override.operation(), OPERATIONS);
                    boolean remove = "REMOVE".equals(override.operation());
                    boolean hasValue = override.value() != null && !override.value().isEmpty();
                    if (!remove && !hasValue) {
                        out.error(tp.field("value"), "tagOverrides.value must be set when operation is UPSERT");
                    } else if (remove && hasValue) {
                        out.error(tp.field("value"), "tagOverrides.value may only be set when operation is UPSERT");
                    }
                });
                if (o.match() != null && o.match().customMetric() != null && o.match().customMetric().isEmpty()) {
                    out.error(op.field("match").field("customMetric"), "customMetric may not be empty");
                }
            }
        }
    }

    private static void providers(Findings out, FieldPath at, List<ProviderRef> providers) {
        for (int i = 0; i < providers.size(); i++) {
            if (providers.get(i).name() == null || providers.get(i).name().isEmpty()) {
                out.error(at.index(i).field("name"), "providers.name may not be empty");
                return;
            }
        }
    }
}
