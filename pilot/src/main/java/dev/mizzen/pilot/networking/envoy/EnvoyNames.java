package dev.mizzen.pilot.networking.envoy;

import dev.mizzen.pilot.model.SecretName;

/** The names Istio gives Envoy's resources and filters, so Istio's tools read our config as theirs. */
public final class EnvoyNames {
    public static final String BLACKHOLE_CLUSTER = "BlackHoleCluster";
    public static final String PASSTHROUGH_CLUSTER = "PassthroughCluster";
    public static final String INBOUND_PASSTHROUGH_CLUSTER = "InboundPassthroughCluster";
    public static final String VIRTUAL_OUTBOUND = "virtualOutbound";
    public static final String VIRTUAL_INBOUND = "virtualInbound";
    public static final int VIRTUAL_OUTBOUND_PORT = 15001;
    public static final int VIRTUAL_INBOUND_PORT = 15006;
    /** Inbound traffic is sent from this address so that iptables lets it reach the app instead of looping. */
    public static final String INBOUND_SOURCE_ADDRESS = "127.0.0.6";

    public static final String HTTP_CONNECTION_MANAGER = "envoy.filters.network.http_connection_manager";
    public static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
    public static final String ROUTER = "envoy.filters.http.router";
    public static final String FAULT = "envoy.filters.http.fault";
    public static final String CORS = "envoy.filters.http.cors";
    public static final String ORIGINAL_DST = "envoy.filters.listener.original_dst";
    public static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
    public static final String HTTP_INSPECTOR = "envoy.filters.listener.http_inspector";
    public static final String TLS_TRANSPORT_SOCKET = "envoy.transport_sockets.tls";
    public static final String RAW_BUFFER = "envoy.transport_sockets.raw_buffer";
    public static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    /** Secrets the Istio agent serves to its Envoy over SDS: the workload certificate and the root. */
    public static final String SDS_DEFAULT = "default";
    public static final String SDS_ROOT = "ROOTCA";
    /** The agent's SDS cluster in Envoy's bootstrap. */
    public static final String SDS_CLUSTER = "sds-grpc";
    /** Prefix of secrets istiod serves from Kubernetes Secrets (credentialName). */
    public static final String KUBERNETES_SECRET_PREFIX = SecretName.PREFIX;
    /** Suffix of the secret that carries a credential's CA certificate (MUTUAL TLS). */
    public static final String CA_CERT_SUFFIX = SecretName.CA_SUFFIX;

    /** The ALPN values of Istio mTLS between sidecars. */
    public static final java.util.List<String> ISTIO_ALPN = java.util.List.of("istio-peer-exchange", "istio");

    private EnvoyNames() {
    }

    /** The SNI of Istio mTLS to a cluster: {@code outbound_.9080_.v1_.reviews.default.svc.cluster.local}. */
    public static String istioSni(int port, String subset, String hostname) {
        return "outbound_." + port + "_." + subset + "_." + hostname;
    }
}
