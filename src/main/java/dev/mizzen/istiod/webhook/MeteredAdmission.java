package dev.mizzen.istiod.webhook;

import dev.mizzen.api.admission.AdmissionController;
import dev.mizzen.api.admission.AdmissionRequest;
import dev.mizzen.api.admission.AdmissionResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Locale;

/**
 * The webhooks' metrics under Istio's names, counted around the admission controllers so that they stay free of
 * metrics: {@code galley_validation_passed} / {@code galley_validation_failed} (labels group, version, resource
 * and for failures reason, as {@code pkg/webhooks/validation/server/monitoring.go}) and
 * {@code sidecar_injection_requests_total}, {@code _success_total}, {@code _skip_total}, {@code _failure_total},
 * {@code sidecar_injection_time_seconds} ({@code pkg/kube/inject/monitoring.go}). Thread-safe.
 */
public final class MeteredAdmission implements AdmissionController {
    private final AdmissionController inner;
    private final Kind kind;
    private final MeterRegistry meters;
    private final DistributionSummary injectionTime;

    /** Which of Istio's webhook metric families a controller counts into. */
    public enum Kind { VALIDATION, INJECTION }

    public MeteredAdmission(AdmissionController inner, Kind kind, MeterRegistry meters) {
        this.inner = inner;
        this.kind = kind;
        this.meters = meters;
        this.injectionTime = kind == Kind.INJECTION
                ? DistributionSummary.builder("sidecar_injection_time_seconds")
                        .description("Total time taken for injection in seconds.")
                        .serviceLevelObjectives(.1, 1, 3, 5, 10, 20, 30, 60).register(meters)
                : null;
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        long start = System.nanoTime();
        AdmissionResponse response;
        try {
            response = inner.admit(request);
        } catch (RuntimeException e) {
            count(request, null);
            throw e;
        }
        count(request, response);
        if (injectionTime != null) {
            injectionTime.record((System.nanoTime() - start) / 1e9);
        }
        return response;
    }

    private void count(AdmissionRequest request, AdmissionResponse response) {
        if (kind == Kind.VALIDATION) {
            String resource = request.kind().toLowerCase(Locale.ROOT);
            if (response != null && response.allowed()) {
                Counter.builder("galley_validation_passed").description("Resource is valid")
                        .tag("group", request.group()).tag("version", request.version()).tag("resource", resource)
                        .register(meters).increment();
            } else {
                Counter.builder("galley_validation_failed").description("Resource validation failed")
                        .tag("group", request.group()).tag("version", request.version()).tag("resource", resource)
                        .tag("reason", response == null ? "internal_error" : "invalid_resource")
                        .register(meters).increment();
            }
            return;
        }
        counter("sidecar_injection_requests_total", "Total number of sidecar injection requests.").increment();
        if (response == null || !response.allowed()) {
            counter("sidecar_injection_failure_total", "Total number of failed sidecar injection requests.").increment();
        } else if (response.jsonPatch() == null) {
            counter("sidecar_injection_skip_total", "Total number of skipped sidecar injection requests.").increment();
        } else {
            counter("sidecar_injection_success_total", "Total number of successful sidecar injection requests.").increment();
        }
    }

    private Counter counter(String name, String help) {
        return Counter.builder(name).description(help).register(meters);
    }
}
