package dev.mizzen.pilot.xds;

import com.google.protobuf.Any;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Packed resources as a proxy decodes them: type URL and bytes as protobuf's own {@code Any.pack} writes them. */
class XdsResourceTest {

    @Test
    void packedTypeUrlsAreProtobufsOwnForGeneratedNestedAndDynamicMessages() throws Exception {
        Cluster cluster = Cluster.newBuilder().setName("outbound|80||a.default.svc.cluster.local")
                .setLbSubsetConfig(Cluster.LbSubsetConfig.newBuilder().setPanicModeAny(true)).build();
        List<Message> messages = List.of(cluster, cluster.getLbSubsetConfig(),
                HttpConnectionManager.newBuilder().setStatPrefix("outbound_0.0.0.0_80").build(),
                UpstreamTlsContext.newBuilder().setSni("a").build(),
                DynamicMessage.parseFrom(Cluster.getDescriptor(), cluster.toByteString()));
        for (Message message : messages) {
            Any packed = XdsResource.pack(message);
            assertThat(packed.getTypeUrl()).isEqualTo(Any.pack(message).getTypeUrl());
            assertThat(packed.getValue()).isEqualTo(message.toByteString());
        }
        assertThat(XdsResource.of("c", cluster).body().unpack(Cluster.class)).isEqualTo(cluster);
    }

    @Test
    void isAndUnpackDecideAsProtobufDoes() throws Exception {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setStatPrefix("inbound_0.0.0.0_9080").build();
        Any packed = XdsResource.pack(hcm);
        Any otherPrefix = packed.toBuilder().setTypeUrl("example.com/x/" + HttpConnectionManager.getDescriptor().getFullName()).build();
        Any noSlash = packed.toBuilder().setTypeUrl(HttpConnectionManager.getDescriptor().getFullName()).build();
        Any longer = packed.toBuilder().setTypeUrl(packed.getTypeUrl() + "X").build();
        for (Any any : List.of(packed, otherPrefix, noSlash, longer)) {
            assertThat(XdsResource.is(any, HttpConnectionManager.class)).as(any.getTypeUrl())
                    .isEqualTo(any.is(HttpConnectionManager.class));
            assertThat(XdsResource.is(any, Cluster.class)).as(any.getTypeUrl()).isFalse();
        }
        assertThat(XdsResource.unpack(otherPrefix, HttpConnectionManager.class)).isEqualTo(hcm);
        assertThatThrownBy(() -> XdsResource.unpack(packed, Cluster.class))
                .isInstanceOf(com.google.protobuf.InvalidProtocolBufferException.class);
    }
}
