package dev.mizzen.pilot.networking.envoy.cluster;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.pilot.model.Service;
import io.envoyproxy.envoy.config.core.v3.Metadata;

/** The {@code istio} filter metadata Istio's telemetry and tools read from a cluster. */
final class ClusterMetadata {
    private ClusterMetadata() {
    }

    static Metadata of(Service service, int port) {
        Struct serviceEntry = Struct.newBuilder()
                .putFields("host", string(service.hostname()))
                .putFields("name", string(service.name()))
                .putFields("namespace", string(service.namespace()))
                .build();
        Struct istio = Struct.newBuilder()
                .putFields("services", Value.newBuilder().setListValue(ListValue.newBuilder()
                        .addValues(Value.newBuilder().setStructValue(serviceEntry))).build())
                .putFields("default_original_port", Value.newBuilder().setNumberValue(port).build())
                .build();
        return Metadata.newBuilder().putFilterMetadata("istio", istio).build();
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
