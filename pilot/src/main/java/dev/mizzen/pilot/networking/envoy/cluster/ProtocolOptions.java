package dev.mizzen.pilot.networking.envoy.cluster;

import dev.mizzen.pilot.networking.envoy.EnvoyNames;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/** Which HTTP version a cluster speaks upstream. */
final class ProtocolOptions {
    private ProtocolOptions() {
    }

    /** HTTP/2 to the upstream: gRPC and HTTP/2 ports, or a DestinationRule's h2UpgradePolicy UPGRADE. */
    static void http2(Cluster.Builder cluster) {
        cluster.putTypedExtensionProtocolOptions(EnvoyNames.HTTP_PROTOCOL_OPTIONS, XdsResource.pack(
                HttpProtocolOptions.newBuilder().setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                        .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance())).build()));
    }

    /** Whatever the downstream spoke: for passthrough clusters, which carry any protocol. */
    static void useDownstream(Cluster.Builder cluster) {
        cluster.putTypedExtensionProtocolOptions(EnvoyNames.HTTP_PROTOCOL_OPTIONS, XdsResource.pack(
                HttpProtocolOptions.newBuilder().setUseDownstreamProtocolConfig(
                        HttpProtocolOptions.UseDownstreamHttpConfig.newBuilder()
                                .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance())
                                .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance())).build()));
    }
}
