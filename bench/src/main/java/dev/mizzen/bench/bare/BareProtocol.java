package dev.mizzen.bench.bare;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * The bare stream: a bidirectional method shaped like ADS. The server side reads and writes raw bytes;
 * the client side parses responses as DiscoveryResponse and answers each with a DiscoveryRequest ACK,
 * as the simulated proxies do, so both runs load the client side alike.
 */
final class BareProtocol {
    static final String METHOD = "mizzen.bench.BareStream/Stream";

    static final MethodDescriptor<byte[], byte[]> SERVER = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(METHOD)
            .setRequestMarshaller(RawMarshaller.INSTANCE)
            .setResponseMarshaller(RawMarshaller.INSTANCE)
            .build();

    static final MethodDescriptor<DiscoveryRequest, DiscoveryResponse> CLIENT =
            MethodDescriptor.<DiscoveryRequest, DiscoveryResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                    .setFullMethodName(METHOD)
                    .setRequestMarshaller(ProtoUtils.marshaller(DiscoveryRequest.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(DiscoveryResponse.getDefaultInstance()))
                    .build();

    private BareProtocol() {
    }
}
