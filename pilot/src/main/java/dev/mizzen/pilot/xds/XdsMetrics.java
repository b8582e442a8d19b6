package dev.mizzen.pilot.xds;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What the xDS server counts, with Istio's metric names where Istio has them. */
final class XdsMetrics {
    final Counter rejects;
    final Counter responses;
    final Counter secretRefusals;

    XdsMetrics(MeterRegistry meters) {
        this.rejects = Counter.builder("pilot_total_xds_rejects").description("xDS responses NACKed by proxies")
                .register(meters);
        this.responses = Counter.builder("pilot_xds_pushes").description("xDS responses sent").register(meters);
        this.secretRefusals = Counter.builder("pilot_sds_certificate_errors_total")
                .description("Secrets a proxy asked for over SDS and may not receive").register(meters);
    }
}
