package dev.mizzen.pilot.networking.telemetry;

import com.github.udpa.udpa.type.v1.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.mizzen.pilot.xds.XdsResource;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.List;

/**
 * The metadata exchange filters of Istio's proxy, exactly as istiod configures them (pilot/pkg/xds/filters):
 * {@code istio.metadata_exchange} as an HTTP filter of type {@code io.istio.http.peer_metadata.Config} (inbound:
 * discover the downstream peer from Istio's headers or the workload metadata, propagate ours in headers;
 * outbound: the same for the upstream) and as a network filter of type
 * {@code envoy.tcp.metadataexchange.config.MetadataExchange} on inbound TCP. Envoy's jar has neither type, and
 * Istio itself sends them as {@code udpa.type.v1.TypedStruct}: so do we. Constants.
 */
public final class IstioProxyFilters {
    public static final String MX = "istio.metadata_exchange";
    public static final String STATS = "istio.stats";

    private static final Struct ISTIO_HEADERS = struct("istio_headers", Value.newBuilder().setStructValue(Struct.getDefaultInstance()).build());
    private static final Struct WORKLOAD_DISCOVERY = struct("workload_discovery",
            Value.newBuilder().setStructValue(Struct.getDefaultInstance()).build());

    public static final HttpFilter SIDECAR_INBOUND_MX = HttpFilter.newBuilder().setName(MX)
            .setTypedConfig(typedStruct("type.googleapis.com/io.istio.http.peer_metadata.Config", Struct.newBuilder()
                    .putFields("downstream_discovery", list(ISTIO_HEADERS, WORKLOAD_DISCOVERY))
                    .putFields("downstream_propagation", list(ISTIO_HEADERS))
                    .build()))
            .build();

    public static final HttpFilter SIDECAR_OUTBOUND_MX = HttpFilter.newBuilder().setName(MX)
            .setTypedConfig(typedStruct("type.googleapis.com/io.istio.http.peer_metadata.Config", Struct.newBuilder()
                    .putFields("upstream_discovery", list(ISTIO_HEADERS, WORKLOAD_DISCOVERY))
                    .putFields("upstream_propagation", list(ISTIO_HEADERS))
                    .build()))
            .build();

    public static final Filter TCP_MX = Filter.newBuilder().setName(MX)
            .setTypedConfig(typedStruct("type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange",
                    Struct.newBuilder()
                            .putFields("protocol", Value.newBuilder().setStringValue("istio-peer-exchange").build())
                            .putFields("enable_discovery", Value.newBuilder().setBoolValue(true).build())
                            .build()))
            .build();

    private IstioProxyFilters() {
    }

    static Any typedStruct(String typeUrl, Struct value) {
        return XdsResource.pack(TypedStruct.newBuilder().setTypeUrl(typeUrl).setValue(value).build());
    }

    private static Struct struct(String key, Value value) {
        return Struct.newBuilder().putFields(key, value).build();
    }

    private static Value list(Struct... items) {
        ListValue.Builder list = ListValue.newBuilder();
        for (Struct s : List.of(items)) {
            list.addValues(Value.newBuilder().setStructValue(s));
        }
        return Value.newBuilder().setListValue(list).build();
    }
}
