package dev.mizzen.pilot.networking.envoy;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;

/** Where Envoy fetches what a resource refers to. */
public final class ConfigSources {
    private static final ConfigSource ADS = ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance())
            .setInitialFetchTimeout(Duration.getDefaultInstance())
            .setResourceApiVersion(ApiVersion.V3)
            .build();

    /** The agent's SDS server, through the {@code sds-grpc} cluster of Envoy's bootstrap. */
    private static final ConfigSource AGENT_SDS = ConfigSource.newBuilder()
            .setApiConfigSource(ApiConfigSource.newBuilder()
                    .setApiType(ApiConfigSource.ApiType.GRPC)
                    .setTransportApiVersion(ApiVersion.V3)
                    .setSetNodeOnFirstMessageOnly(true)
                    .addGrpcServices(GrpcService.newBuilder()
                            .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(EnvoyNames.SDS_CLUSTER))))
            .setInitialFetchTimeout(Duration.getDefaultInstance())
            .setResourceApiVersion(ApiVersion.V3)
            .build();

    private ConfigSources() {
    }

    /** From istiod, on the same ADS stream. */
    public static ConfigSource ads() {
        return ADS;
    }

    public static ConfigSource agentSds() {
        return AGENT_SDS;
    }
}
