package dev.mizzen.pilot.inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The annotation checks done before rendering. */
class AnnotationValidatorTest {
    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "0.0.0.0/0", "192.168.1.1/32", "::/0", "fd00::/8", "2001:db8::1/128",
            "::ffff:10.0.0.1/128"})
    void acceptsCidrs(String cidr) {
        assertThat(AnnotationValidator.cidr(cidr)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0", "10.0.0.0/33", "10.0.0/8", "010.0.0.0/8", "10.0.0.0/08", "host/8",
            "256.0.0.0/8", "::/129", " 10.0.0.0/8", "10.0.0.0/8/8", "fe80::1%eth0/64", "/8", "10.0.0.0/"})
    void rejectsCidrs(String cidr) {
        assertThat(AnnotationValidator.cidr(cidr)).isFalse();
    }

    @Test
    void acceptsIstiosOwnAnnotationValues() {
        assertThat(AnnotationValidator.validate(Map.of(
                "traffic.sidecar.istio.io/includeOutboundIPRanges", "*",
                "traffic.sidecar.istio.io/excludeOutboundIPRanges", "",
                "traffic.sidecar.istio.io/includeInboundPorts", "*",
                "traffic.sidecar.istio.io/excludeInboundPorts", "4, 5,6",
                "status.sidecar.istio.io/port", "0",
                "readiness.status.sidecar.istio.io/periodSeconds", "200",
                "sidecar.istio.io/proxyMemoryLimit", "1Gi",
                "proxy.istio.io/config", "concurrency: 0\nproxyMetadata: {A: b}",
                "prometheus.istio.io/merge-metrics", "False",
                "sidecar.istio.io/userVolume", "{\"data\": {\"emptyDir\": {}}}"))).isEmpty();
    }

    @Test
    void namesEachBadValue() {
        assertThat(AnnotationValidator.validate(Map.of(
                "status.sidecar.istio.io/port", "70000",
                "readiness.status.sidecar.istio.io/failureThreshold", "-1",
                "proxy.istio.io/config", "[a, b]",
                "prometheus.istio.io/merge-metrics", "yes",
                "sidecar.istio.io/userVolumeMount", "{\"data\": 3}",
                "traffic.sidecar.istio.io/excludeOutboundPorts", "1,,2")))
                .containsExactly(
                        "invalid value 'yes' for annotation 'prometheus.istio.io/merge-metrics': not a boolean",
                        "invalid value '[a, b]' for annotation 'proxy.istio.io/config': not a ProxyConfig mapping",
                        "invalid value '-1' for annotation 'readiness.status.sidecar.istio.io/failureThreshold': "
                                + "not an unsigned 32-bit integer",
                        "invalid value '{\"data\": 3}' for annotation 'sidecar.istio.io/userVolumeMount': "
                                + "every entry must be a JSON object",
                        "invalid value '70000' for annotation 'status.sidecar.istio.io/port': not a port number (0-65535)",
                        "invalid value '1,,2' for annotation 'traffic.sidecar.istio.io/excludeOutboundPorts': "
                                + "failed parsing port ''");
    }
}
