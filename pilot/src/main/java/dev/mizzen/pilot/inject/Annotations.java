package dev.mizzen.pilot.inject;

/** The Istio annotation and label names the injector reads or writes outside the templates. */
final class Annotations {
    static final String INJECT = "sidecar.istio.io/inject";
    static final String STATUS = "sidecar.istio.io/status";
    static final String TEMPLATES = "inject.istio.io/templates";
    static final String PROXY_CONFIG = "proxy.istio.io/config";
    static final String PROXY_OVERRIDES = "proxy.istio.io/overrides";
    static final String INTERCEPTION_MODE = "sidecar.istio.io/interceptionMode";
    static final String STATUS_PORT = "status.sidecar.istio.io/port";
    static final String READINESS_INITIAL_DELAY = "readiness.status.sidecar.istio.io/initialDelaySeconds";
    static final String READINESS_PERIOD = "readiness.status.sidecar.istio.io/periodSeconds";
    static final String READINESS_FAILURE_THRESHOLD = "readiness.status.sidecar.istio.io/failureThreshold";
    static final String INCLUDE_OUTBOUND_IP_RANGES = "traffic.sidecar.istio.io/includeOutboundIPRanges";
    static final String EXCLUDE_OUTBOUND_IP_RANGES = "traffic.sidecar.istio.io/excludeOutboundIPRanges";
    static final String INCLUDE_INBOUND_PORTS = "traffic.sidecar.istio.io/includeInboundPorts";
    static final String EXCLUDE_INBOUND_PORTS = "traffic.sidecar.istio.io/excludeInboundPorts";
    static final String INCLUDE_OUTBOUND_PORTS = "traffic.sidecar.istio.io/includeOutboundPorts";
    static final String EXCLUDE_OUTBOUND_PORTS = "traffic.sidecar.istio.io/excludeOutboundPorts";
    static final String PROMETHEUS_MERGE = "prometheus.istio.io/merge-metrics";
    static final String PROXY_CPU = "sidecar.istio.io/proxyCPU";
    static final String PROXY_MEMORY = "sidecar.istio.io/proxyMemory";
    static final String PROXY_CPU_LIMIT = "sidecar.istio.io/proxyCPULimit";
    static final String PROXY_MEMORY_LIMIT = "sidecar.istio.io/proxyMemoryLimit";
    static final String PROXY_IMAGE_TYPE = "sidecar.istio.io/proxyImageType";
    static final String USER_VOLUME = "sidecar.istio.io/userVolume";
    static final String USER_VOLUME_MOUNT = "sidecar.istio.io/userVolumeMount";
    static final String REWRITE_PROBES = "sidecar.istio.io/rewriteAppHTTPProbers";
    static final String INIT_CONTAINERS_BEFORE_PROXY = "sidecar.istio.io/init-containers-before-proxy";

    static final String LABEL_REVISION = "istio.io/rev";
    static final String LABEL_NAMESPACE_INJECTION = "istio-injection";
    static final String LABEL_NETWORK = "topology.istio.io/network";

    static final String PROXY_CONTAINER = "istio-proxy";
    static final String INIT_CONTAINER = "istio-init";
    static final String VALIDATION_CONTAINER = "istio-validation";
    static final String CORE_DUMP_CONTAINER = "enable-core-dump";

    private Annotations() {
    }
}
